import type { CancelRotateSecretRequest, RotateSecretRequest } from '@aws-sdk/client-secrets-manager';
import { invalidParameter } from '../../lib/errors.js';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { OperationHandler } from '../../server/service.js';
import { rotationRulesIn } from './wire.js';

/** Handlers of rotation: RotateSecret and CancelRotateSecret. */
export function rotationHandlers({ rotations }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async RotateSecret(input: RotateSecretRequest, { scope }) {
      // Managed external secrets (a partner's rotation) are not served.
      if (input.ExternalSecretRotationMetadata !== undefined || input.ExternalSecretRotationRoleArn !== undefined) {
        throw invalidParameter('Managed external secret rotation is not supported.');
      }
      const rules = rotationRulesIn(input.RotationRules);
      const rotated = await rotations.rotate(scope, input.SecretId!, {
        ...(input.ClientRequestToken !== undefined && { token: input.ClientRequestToken }),
        ...(input.RotationLambdaARN !== undefined && { functionArn: input.RotationLambdaARN }),
        ...(rules && { rules }),
        immediately: input.RotateImmediately ?? true,
      });
      return { ARN: rotated.arn, Name: rotated.name, ...(rotated.versionId !== undefined && { VersionId: rotated.versionId }) };
    },
    async CancelRotateSecret(input: CancelRotateSecretRequest, { scope }) {
      const cancelled = await rotations.cancel(scope, input.SecretId!);
      return { ARN: cancelled.arn, Name: cancelled.name, ...(cancelled.versionId !== undefined && { VersionId: cancelled.versionId }) };
    },
  };
}
