import type { BatchGetSecretValueRequest, ListSecretVersionIdsRequest, ListSecretsRequest } from '@aws-sdk/client-secrets-manager';
import { invalidParameter } from '../../lib/errors.js';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { SecretSortBy } from '../../secrets/secrets-manager/secret-listing.js';
import type { OperationHandler } from '../../server/service.js';
import { secretsManagerErrorName } from './errors.js';
import { listEntryOut, seconds, secretValueOut } from './wire.js';

/** Page sizes when MaxResults is not given (the model bounds the values given). */
const DEFAULT_PAGE = { ListSecrets: 100, ListSecretVersionIds: 100, BatchGetSecretValue: 20 } as const;

/** Handlers of ListSecrets, ListSecretVersionIds and BatchGetSecretValue. */
export function listingHandlers({ secretListing }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async ListSecrets(input: ListSecretsRequest, { scope }) {
      const page = await secretListing.list(scope, {
        filters: input.Filters ?? [],
        includePlannedDeletion: input.IncludePlannedDeletion ?? false,
        ...(input.SortBy !== undefined && { sortBy: input.SortBy as SecretSortBy }),
        ...(input.SortOrder !== undefined && { sortOrder: input.SortOrder }),
        maxResults: input.MaxResults ?? DEFAULT_PAGE.ListSecrets,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      return { SecretList: page.items.map(listEntryOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async ListSecretVersionIds(input: ListSecretVersionIdsRequest, { scope }) {
      const { secret, page } = await secretListing.versionIds(scope, input.SecretId!, {
        includeDeprecated: input.IncludeDeprecated ?? false,
        maxResults: input.MaxResults ?? DEFAULT_PAGE.ListSecretVersionIds,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      return {
        ARN: secret.arn,
        Name: secret.name,
        Versions: page.items.map((v) => ({
          VersionId: v.versionId,
          VersionStages: v.stages,
          CreatedDate: seconds(v.createdDate),
          ...(v.lastAccessedDate !== undefined && { LastAccessedDate: seconds(v.lastAccessedDate) }),
          // AWS's name for the aws/secretsmanager key in this list.
          KmsKeyIds: [v.kmsKeyId ?? 'DefaultEncryptionKey'],
        })),
        ...(page.nextToken && { NextToken: page.nextToken }),
      };
    },
    async BatchGetSecretValue(input: BatchGetSecretValueRequest, { scope }) {
      const ids = input.SecretIdList;
      const filters = input.Filters;
      if (ids !== undefined && filters !== undefined) {
        throw invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
      }
      if (ids === undefined && filters === undefined) throw invalidParameter("Either 'SecretIdList' or 'Filters' must be provided.");
      if (input.MaxResults !== undefined && filters === undefined) {
        throw invalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
      }
      const result = await secretListing.batchGet(scope, {
        ...(ids !== undefined && { secretIds: ids }),
        ...(filters !== undefined && { filters }),
        maxResults: input.MaxResults ?? DEFAULT_PAGE.BatchGetSecretValue,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      return {
        SecretValues: result.values.map(secretValueOut),
        Errors: result.errors.map((e) => ({ SecretId: e.secretId, ErrorCode: secretsManagerErrorName(e.error), Message: e.error.message })),
        ...(result.nextToken && { NextToken: result.nextToken }),
      };
    },
  };
}
