import type {
  DeleteParameterRequest,
  DeleteParametersRequest,
  DescribeParametersRequest,
  GetParameterHistoryRequest,
  GetParameterRequest,
  GetParametersByPathRequest,
  GetParametersRequest,
  PutParameterRequest,
} from '@aws-sdk/client-ssm';
import type { ParameterStringFilter, ParametersFilter } from '../../secrets/parameters/filters.js';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { OperationHandler } from '../../server/service.js';
import { historyOut, metadataOut, parameterOut, tagsIn } from './wire.js';

/** Page sizes when MaxResults is not given (the model bounds the values given). */
const DEFAULT_PAGE = { GetParametersByPath: 10, DescribeParameters: 10, GetParameterHistory: 50 } as const;

/** Handlers of the parameter operations. */
export function parameterHandlers({ parameters, parameterQueries }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async PutParameter(input: PutParameterRequest, { scope }) {
      const put = await parameters.put(scope, {
        name: input.Name!,
        value: input.Value!,
        ...(input.Type !== undefined && { type: input.Type }),
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.KeyId !== undefined && { keyId: input.KeyId }),
        ...(input.Overwrite !== undefined && { overwrite: input.Overwrite }),
        ...(input.AllowedPattern !== undefined && { allowedPattern: input.AllowedPattern }),
        ...(input.Tags !== undefined && { tags: tagsIn(input.Tags) }),
        ...(input.Tier !== undefined && { tier: input.Tier }),
        ...(input.Policies !== undefined && { policies: input.Policies }),
        ...(input.DataType !== undefined && { dataType: input.DataType }),
      });
      return { Version: put.version, Tier: put.tier };
    },
    async GetParameter(input: GetParameterRequest, { scope }) {
      return { Parameter: parameterOut(await parameters.get(scope, input.Name!, input.WithDecryption ?? false)) };
    },
    async GetParameters(input: GetParametersRequest, { scope }) {
      const { found, invalid } = await parameters.getMany(scope, input.Names ?? [], input.WithDecryption ?? false);
      return { Parameters: found.map(parameterOut), InvalidParameters: invalid };
    },
    async GetParametersByPath(input: GetParametersByPathRequest, { scope }) {
      const page = await parameterQueries.byPath(scope, {
        path: input.Path!,
        recursive: input.Recursive ?? false,
        filters: (input.ParameterFilters ?? []) as ParameterStringFilter[],
        decrypt: input.WithDecryption ?? false,
        maxResults: input.MaxResults ?? DEFAULT_PAGE.GetParametersByPath,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      return { Parameters: page.items.map(parameterOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async DeleteParameter(input: DeleteParameterRequest, { scope }) {
      await parameters.delete(scope, input.Name!);
      return {};
    },
    async DeleteParameters(input: DeleteParametersRequest, { scope }) {
      const { deleted, invalid } = await parameters.deleteMany(scope, input.Names ?? []);
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },
    async DescribeParameters(input: DescribeParametersRequest, { scope }) {
      const page = await parameterQueries.describe(scope, {
        filters: (input.Filters ?? []) as ParametersFilter[],
        parameterFilters: (input.ParameterFilters ?? []) as ParameterStringFilter[],
        maxResults: input.MaxResults ?? DEFAULT_PAGE.DescribeParameters,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      // Shared lists the parameters other accounts share through RAM; this endpoint has no resource
      // sharing, so there are none (the filters and token are still checked above).
      if (input.Shared === true) return { Parameters: [] };
      return { Parameters: page.items.map(metadataOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async GetParameterHistory(input: GetParameterHistoryRequest, { scope }) {
      const page = await parameterQueries.history(scope, input.Name!, {
        decrypt: input.WithDecryption ?? false,
        maxResults: input.MaxResults ?? DEFAULT_PAGE.GetParameterHistory,
        ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
      });
      return { Parameters: page.items.map(historyOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
  };
}
