import type { AwsService } from '../../server/service.js';
import type { Authorizer } from '../../iam/authorization.js';
import { authorizing } from './authorizing.js';
import type { AuthorizationTable } from './table.js';
import { ACM_AUTHORIZATION } from './tables/acm.js';
import { ADMIN_AUTHORIZATION } from './tables/admin.js';
import { APPLICATION_AUTOSCALING_AUTHORIZATION } from './tables/application-autoscaling.js';
import { CLOUDWATCH_AUTHORIZATION } from './tables/cloudwatch.js';
import { EC2_AUTHORIZATION } from './tables/ec2.js';
import { ECR_AUTHORIZATION } from './tables/ecr.js';
import { ECS_AUTHORIZATION } from './tables/ecs.js';
import { ELBV2_AUTHORIZATION } from './tables/elbv2.js';
import { iamAuthorization, type IamPaths } from './tables/iam.js';
import { LOGS_AUTHORIZATION } from './tables/logs.js';
import { secretsManagerAuthorization, type SecretArnLookup } from './tables/secretsmanager.js';
import { SERVICEDISCOVERY_AUTHORIZATION } from './tables/servicediscovery.js';
import { SNS_AUTHORIZATION } from './tables/sns.js';
import { SSM_AUTHORIZATION } from './tables/ssm.js';
import { STS_AUTHORIZATION } from './tables/sts.js';

/** The lookups some tables need to name a resource as AWS does. */
export interface AuthorizationLookups {
  secretArn: SecretArnLookup;
  iamPaths: IamPaths;
}

/** Every served API's table, by the service's signing name. */
export function authorizationTables(lookups: AuthorizationLookups): ReadonlyMap<string, AuthorizationTable> {
  return new Map([
    ['ecs', ECS_AUTHORIZATION],
    ['minato', ADMIN_AUTHORIZATION],
    ['ecr', ECR_AUTHORIZATION],
    ['logs', LOGS_AUTHORIZATION],
    ['secretsmanager', secretsManagerAuthorization(lookups.secretArn)],
    ['ssm', SSM_AUTHORIZATION],
    ['sts', STS_AUTHORIZATION],
    ['iam', iamAuthorization(lookups.iamPaths)],
    ['ec2', EC2_AUTHORIZATION],
    ['elasticloadbalancing', ELBV2_AUTHORIZATION],
    ['acm', ACM_AUTHORIZATION],
    ['monitoring', CLOUDWATCH_AUTHORIZATION],
    ['application-autoscaling', APPLICATION_AUTOSCALING_AUTHORIZATION],
    ['sns', SNS_AUTHORIZATION],
    ['servicediscovery', SERVICEDISCOVERY_AUTHORIZATION],
  ]);
}

/**
 * Every service authorised by its table. A service without one is refused at start: an API
 * served without authorisation would let any role session do anything there.
 */
export function authorizeAll(services: readonly AwsService[], authorizer: Authorizer, tables: ReadonlyMap<string, AuthorizationTable>): AwsService[] {
  return services.map((service) => {
    const table = tables.get(service.signingName);
    if (!table) throw new Error(`no authorization table for the ${service.signingName} API`);
    return authorizing(service, authorizer, table);
  });
}
