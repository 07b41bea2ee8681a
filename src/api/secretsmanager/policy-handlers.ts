import type {
  DeleteResourcePolicyRequest,
  GetResourcePolicyRequest,
  PutResourcePolicyRequest,
  ValidateResourcePolicyRequest,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import { validateResourcePolicy } from '../../secrets/secrets-manager/resource-policy.js';
import type { OperationHandler } from '../../server/service.js';

/** Handlers of a secret's resource-based policy. */
export function policyHandlers({ secrets }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async PutResourcePolicy(input: PutResourcePolicyRequest, { scope }) {
      // "By default, public policies aren't blocked."
      const ref = await secrets.putResourcePolicy(scope, input.SecretId!, input.ResourcePolicy!, input.BlockPublicPolicy ?? false);
      return { ARN: ref.arn, Name: ref.name };
    },

    async GetResourcePolicy(input: GetResourcePolicyRequest, { scope }) {
      const secret = await secrets.describe(scope, input.SecretId!);
      // A secret without a policy answers without the member, not with an error.
      return { ARN: secret.arn, Name: secret.name, ...(secret.resourcePolicy !== undefined && { ResourcePolicy: secret.resourcePolicy }) };
    },

    async DeleteResourcePolicy(input: DeleteResourcePolicyRequest, { scope }) {
      const ref = await secrets.deleteResourcePolicy(scope, input.SecretId!);
      return { ARN: ref.arn, Name: ref.name };
    },

    async ValidateResourcePolicy(input: ValidateResourcePolicyRequest, { scope }) {
      if (input.SecretId !== undefined) await secrets.describe(scope, input.SecretId);
      const findings = validateResourcePolicy(input.ResourcePolicy!);
      return {
        PolicyValidationPassed: findings.length === 0,
        ValidationErrors: findings.map((f) => ({ CheckName: f.checkName, ErrorMessage: f.errorMessage })),
      };
    },
  };
}
