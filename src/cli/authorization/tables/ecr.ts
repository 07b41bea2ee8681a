import { formatArn } from '../../../lib/arn.js';
import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, each, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * ECR (prefix `ecr`). Every operation on one repository is authorised on the repository's ARN
 * (in the registry the request names, else the caller's account), the batch ones included
 * (BatchGetImage, BatchDeleteImage, BatchCheckLayerAvailability: one repository each); the tagging
 * operations on the ARN they name; DescribeRepositories and BatchGetRepositoryScanningConfiguration
 * on each repository named (`*` when none). On `*`, as the reference has it: GetAuthorizationToken
 * and the registry-wide settings (pull through cache rules, registry scanning configuration).
 */

const repositoryArn = (scope: Scope, registryId: string | undefined, name: string) =>
  formatArn('ecr', scope.region, registryId ?? scope.accountId, `repository/${name}`);
const repository: Resources = (input: Input, scope) => [input.repositoryName === undefined ? undefined : repositoryArn(scope, input.registryId, input.repositoryName)];
const repositories: Resources = (input: Input, scope) => each(input.repositoryNames, (name) => repositoryArn(scope, input.registryId, name));
const tagged: Resources = (input: Input) => [input.resourceArn];

const ON_ONE_REPOSITORY = [
  'CreateRepository',
  'DeleteRepository',
  'PutImageTagMutability',
  'PutImageScanningConfiguration',
  'SetRepositoryPolicy',
  'GetRepositoryPolicy',
  'DeleteRepositoryPolicy',
  'ListImages',
  'DescribeImages',
  'BatchGetImage',
  'BatchDeleteImage',
  'PutImage',
  'ListImageReferrers',
  'BatchCheckLayerAvailability',
  'InitiateLayerUpload',
  'UploadLayerPart',
  'CompleteLayerUpload',
  'GetDownloadUrlForLayer',
  'PutLifecyclePolicy',
  'GetLifecyclePolicy',
  'DeleteLifecyclePolicy',
  'StartLifecyclePolicyPreview',
  'GetLifecyclePolicyPreview',
  'StartImageScan',
  'DescribeImageScanFindings',
];

export const ECR_AUTHORIZATION: AuthorizationTable = {
  prefix: 'ecr',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: {
    ...Object.fromEntries(ON_ONE_REPOSITORY.map((op) => [op, repository])),
    DescribeRepositories: repositories,
    BatchGetRepositoryScanningConfiguration: repositories,
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
