import type {
  DeleteSecretRequest,
  DescribeSecretRequest,
  GetRandomPasswordRequest,
  GetSecretValueRequest,
  RestoreSecretRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateSecretVersionStageRequest,
} from '@aws-sdk/client-secrets-manager';
import { invalidParameter } from '../../lib/errors.js';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import { randomPassword } from '../../secrets/secrets-manager/random-password.js';
import type { OperationHandler } from '../../server/service.js';
import { describeOut, seconds, secretValueOut, tagsIn, valueIn } from './wire.js';

// The SDK's request types carry SecretBinary as a Uint8Array; on the wire it is base64 text.
interface CreateSecretWire {
  Name: string;
  ClientRequestToken?: string;
  Description?: string;
  KmsKeyId?: string;
  SecretString?: string;
  SecretBinary?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
  AddReplicaRegions?: unknown[];
  Type?: string;
}

interface PutSecretValueWire {
  SecretId: string;
  ClientRequestToken?: string;
  SecretString?: string;
  SecretBinary?: string;
  VersionStages?: string[];
}

interface UpdateSecretWire {
  SecretId: string;
  ClientRequestToken?: string;
  Description?: string;
  KmsKeyId?: string;
  SecretString?: string;
  SecretBinary?: string;
  Type?: string;
}

/** Managed external secrets (a partner's Type) are not served: refused rather than made plain secrets. */
function refuseType(type: string | undefined): void {
  if (type !== undefined) throw invalidParameter('Managed external secrets (Type) are not supported by this endpoint.');
}

/** Handlers of the operations on one secret, and GetRandomPassword. */
export function secretHandlers({ secrets }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async CreateSecret(input: CreateSecretWire, { scope }) {
      refuseType(input.Type);
      const value = valueIn(input);
      const created = await secrets.create(scope, {
        name: input.Name,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
        ...(value && { value }),
        tags: tagsIn(input.Tags),
        ...(input.ClientRequestToken !== undefined && { clientRequestToken: input.ClientRequestToken }),
        replicate: (input.AddReplicaRegions ?? []).length > 0,
      });
      return { ARN: created.arn, Name: created.name, ...(created.versionId && { VersionId: created.versionId }) };
    },
    async GetSecretValue(input: GetSecretValueRequest, { scope }) {
      const view = await secrets.getValue(scope, input.SecretId!, {
        ...(input.VersionId !== undefined && { versionId: input.VersionId }),
        ...(input.VersionStage !== undefined && { versionStage: input.VersionStage }),
      });
      return secretValueOut(view);
    },
    async PutSecretValue(input: PutSecretValueWire, { scope }) {
      const value = valueIn(input);
      const put = await secrets.putValue(scope, input.SecretId, {
        ...(value && { value }),
        ...(input.ClientRequestToken !== undefined && { clientRequestToken: input.ClientRequestToken }),
        ...(input.VersionStages !== undefined && { versionStages: input.VersionStages }),
      });
      return { ARN: put.arn, Name: put.name, VersionId: put.versionId, VersionStages: put.stages };
    },
    async UpdateSecret(input: UpdateSecretWire, { scope }) {
      refuseType(input.Type);
      const value = valueIn(input);
      const updated = await secrets.update(scope, input.SecretId, {
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
        ...(value && { value }),
        ...(input.ClientRequestToken !== undefined && { clientRequestToken: input.ClientRequestToken }),
      });
      return { ARN: updated.arn, Name: updated.name, ...(updated.versionId && { VersionId: updated.versionId }) };
    },
    async DescribeSecret(input: DescribeSecretRequest, { scope }) {
      return describeOut(await secrets.describe(scope, input.SecretId!));
    },
    async DeleteSecret(input: DeleteSecretRequest, { scope }) {
      const deleted = await secrets.delete(scope, input.SecretId!, {
        ...(input.RecoveryWindowInDays !== undefined && { recoveryWindowInDays: input.RecoveryWindowInDays }),
        ...(input.ForceDeleteWithoutRecovery !== undefined && { force: input.ForceDeleteWithoutRecovery }),
      });
      return { ARN: deleted.arn, Name: deleted.name, DeletionDate: seconds(deleted.deletionDate) };
    },
    async RestoreSecret(input: RestoreSecretRequest, { scope }) {
      const restored = await secrets.restore(scope, input.SecretId!);
      return { ARN: restored.arn, Name: restored.name };
    },
    async UpdateSecretVersionStage(input: UpdateSecretVersionStageRequest, { scope }) {
      const moved = await secrets.updateVersionStage(scope, input.SecretId!, input.VersionStage!, {
        ...(input.MoveToVersionId !== undefined && { moveToVersionId: input.MoveToVersionId }),
        ...(input.RemoveFromVersionId !== undefined && { removeFromVersionId: input.RemoveFromVersionId }),
      });
      return { ARN: moved.arn, Name: moved.name };
    },
    async TagResource(input: TagResourceRequest, { scope }) {
      await secrets.tag(scope, input.SecretId!, tagsIn(input.Tags));
      return {};
    },
    async UntagResource(input: UntagResourceRequest, { scope }) {
      await secrets.untag(scope, input.SecretId!, input.TagKeys ?? []);
      return {};
    },
    async GetRandomPassword(input: GetRandomPasswordRequest) {
      return {
        RandomPassword: randomPassword({
          ...(input.PasswordLength !== undefined && { passwordLength: input.PasswordLength }),
          ...(input.ExcludeCharacters !== undefined && { excludeCharacters: input.ExcludeCharacters }),
          ...(input.ExcludeNumbers !== undefined && { excludeNumbers: input.ExcludeNumbers }),
          ...(input.ExcludePunctuation !== undefined && { excludePunctuation: input.ExcludePunctuation }),
          ...(input.ExcludeUppercase !== undefined && { excludeUppercase: input.ExcludeUppercase }),
          ...(input.ExcludeLowercase !== undefined && { excludeLowercase: input.ExcludeLowercase }),
          ...(input.IncludeSpace !== undefined && { includeSpace: input.IncludeSpace }),
          ...(input.RequireEachIncludedType !== undefined && { requireEachIncludedType: input.RequireEachIncludedType }),
        }),
      };
    },
  };
}
