import { acmService } from '../api/acm/acm-service.js';
import { adminService } from '../api/admin/admin-service.js';
import { applicationAutoScalingService } from '../api/application-autoscaling/application-autoscaling-service.js';
import { cloudWatchService } from '../api/cloudwatch/cloudwatch-service.js';
import { ec2Service } from '../api/ec2/ec2-service.js';
import { ecrService } from '../api/ecr/ecr-service.js';
import { ecsService } from '../api/ecs/ecs-service.js';
import { elbv2Service } from '../api/elbv2/elbv2-service.js';
import { iamService } from '../api/iam/iam-service.js';
import { logsService } from '../api/logs/logs-service.js';
import { secretsManagerService } from '../api/secretsmanager/secretsmanager-service.js';
import { serviceDiscoveryService } from '../api/servicediscovery/servicediscovery-service.js';
import { snsService } from '../api/sns/sns-service.js';
import { ssmService } from '../api/ssm/ssm-service.js';
import { stsService } from '../api/sts/sts-service.js';
import type { ApplicationAutoScaling } from '../autoscaling/application-autoscaling.js';
import type { Certificates } from '../certificates/certificates.js';
import type { EcsControl } from '../control/ecs-control.js';
import type { Discovery } from '../discovery/discovery.js';
import type { ElbDomain } from '../elb/elb-domain.js';
import type { IamDomain } from '../iam/iam-domain.js';
import type { LogService } from '../logstore/log-service.js';
import type { AlarmService } from '../metrics/alarms/alarm-service.js';
import type { MetricService } from '../metrics/metric-service.js';
import { DOWNLOAD_TOKEN_PARAM } from '../registry/http/routes.js';
import type { Registry } from '../registry/registry.js';
import type { SecretsDomain } from '../secrets/secrets-domain.js';
import type { AwsService } from '../server/service.js';
import type { Sns } from '../sns/sns.js';
import type { Ec2Network } from '../vpc/network.js';
import { authorizationTables, authorizeAll } from './authorization/index.js';

/** The domains the APIs are served from. */
export interface PlatformDomains {
  ecs: EcsControl;
  iam: IamDomain;
  secrets: SecretsDomain;
  logs: LogService;
  metrics: MetricService;
  alarms: AlarmService;
  autoscaling: ApplicationAutoScaling;
  discovery: Discovery;
  elb: ElbDomain;
  certificates: Certificates;
  registry: Registry;
  sns: Sns;
  ec2: Ec2Network;
  /** The front door's URL once it listens (ECR's answers name it). */
  endpoint(): string;
}

/**
 * Every AWS API the front door serves, each of its requests made with a role session's
 * credentials authorised by the role's policies first.
 */
export function platformApis(d: PlatformDomains): AwsService[] {
  return authorizeAll(
    [
      ecsService(d.ecs),
      adminService(d.ecs),
      stsService(d.iam.tokens),
      iamService(d.iam),
      secretsManagerService(d.secrets),
      ssmService(d.secrets),
      logsService(d.logs),
      cloudWatchService(d.metrics, d.alarms),
      applicationAutoScalingService(d.autoscaling),
      serviceDiscoveryService(d.discovery),
      elbv2Service(d.elb),
      acmService(d.certificates),
      ecrService(d.registry, { endpoint: d.endpoint, downloadTokenParam: DOWNLOAD_TOKEN_PARAM }),
      snsService(d.sns),
      ec2Service(d.ec2),
    ],
    d.iam.authorizer,
    authorizationTables({
      secretArn: async (scope, id) => (await d.secrets.secrets.describe(scope, id).catch(() => undefined))?.arn,
      iamPaths: {
        role: async (scope, name) => (await d.iam.roles.get(scope, name).catch(() => undefined))?.path,
        user: async (scope, name) => (await d.iam.users.get(scope, name).catch(() => undefined))?.path,
        group: async (scope, name) => (await d.iam.groups.get(scope, name).catch(() => undefined))?.path,
      },
    }),
  );
}
