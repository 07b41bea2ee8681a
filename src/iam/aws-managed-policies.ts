import { createHash } from 'node:crypto';

/**
 * AWS's own managed policies that ECS set-ups name (task execution roles, service roles, the
 * infrastructure role for volumes), with their published default versions. They exist in every
 * account, cannot be changed or deleted, and are attached like any managed policy. Their policy
 * ids are derived from the ARN (stable, in IAM's ANPA form) rather than AWS's own. The documents
 * follow AWS's managed policy reference; AmazonECS_FullAccess, CloudWatchLogsFullAccess and
 * AmazonECSInfrastructureRolePolicyForVolumes change often and should be compared with it when
 * AWS publishes a new default version.
 */
export interface AwsManagedPolicy {
  name: string;
  path: string;
  arn: string;
  policyId: string;
  description: string;
  /** ISO 8601. */
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  document: string;
}

interface Entry {
  name: string;
  path: string;
  description: string;
  createDate: string;
  updateDate: string;
  version: string;
  document: unknown;
}

const ENTRIES: Entry[] = [
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    createDate: '2017-11-16T18:48:22Z',
    updateDate: '2017-11-16T18:48:22Z',
    version: 'v1',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    path: '/',
    description: 'Provides read-only access to Amazon EC2 Container Registry repositories.',
    createDate: '2015-12-21T17:04:00Z',
    updateDate: '2019-12-10T20:56:00Z',
    version: 'v3',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:GetRepositoryPolicy',
            'ecr:DescribeRepositories',
            'ecr:ListImages',
            'ecr:DescribeImages',
            'ecr:BatchGetImage',
            'ecr:GetLifecyclePolicy',
            'ecr:GetLifecyclePolicyPreview',
            'ecr:ListTagsForResource',
            'ecr:DescribeImageScanFindings',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonSSMReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to Amazon SSM.',
    createDate: '2015-05-29T17:44:00Z',
    updateDate: '2015-05-29T17:44:00Z',
    version: 'v1',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], Resource: '*' }],
    },
  },
  {
    name: 'CloudWatchLogsFullAccess',
    path: '/',
    description: 'Provides full access to CloudWatch Logs',
    createDate: '2015-02-06T18:40:00Z',
    updateDate: '2023-11-27T15:00:00Z',
    version: 'v2',
    document: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'CloudWatchLogsFullAccess', Effect: 'Allow', Action: ['logs:*', 'cloudwatch:GenerateQuery'], Resource: '*' }],
    },
  },
  {
    name: 'SecretsManagerReadWrite',
    path: '/',
    description: 'Provides read/write access to AWS Secrets Manager via the AWS Management Console. Note: this exludes IAM actions, so combine with IAMFullAccess if rotation configuration is required.',
    createDate: '2018-04-04T18:05:29Z',
    updateDate: '2024-02-22T18:12:00Z',
    version: 'v5',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BasePermissions',
          Effect: 'Allow',
          Action: [
            'secretsmanager:*',
            'cloudformation:CreateChangeSet',
            'cloudformation:DescribeChangeSet',
            'cloudformation:DescribeStackResource',
            'cloudformation:DescribeStacks',
            'cloudformation:ExecuteChangeSet',
            'docdb-elastic:GetCluster',
            'docdb-elastic:ListClusters',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'kms:DescribeKey',
            'kms:ListAliases',
            'kms:ListKeys',
            'lambda:ListFunctions',
            'rds:DescribeDBClusters',
            'rds:DescribeDBInstances',
            'redshift:DescribeClusters',
            'redshift-serverless:ListWorkgroups',
            'redshift-serverless:GetNamespace',
            'tag:GetResources',
          ],
          Resource: '*',
        },
        {
          Sid: 'LambdaPermissions',
          Effect: 'Allow',
          Action: ['lambda:AddPermission', 'lambda:CreateFunction', 'lambda:GetFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionConfiguration'],
          Resource: 'arn:aws:lambda:*:*:function:SecretsManager*',
        },
        {
          Sid: 'SARPermissions',
          Effect: 'Allow',
          Action: ['serverlessrepo:CreateCloudFormationChangeSet', 'serverlessrepo:GetApplication'],
          Resource: 'arn:aws:serverlessrepo:*:*:applications/SecretsManager*',
        },
        {
          Sid: 'S3Permissions',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::awsserverlessrepo-changesets*', 'arn:aws:s3:::secrets-manager-rotation-apps-*/*'],
        },
      ],
    },
  },
  {
    name: 'AmazonECS_FullAccess',
    path: '/',
    description:
      'Provides administrative access to Amazon ECS resources and enables ECS features through access to other AWS service resources, including VPCs, Auto Scaling groups, and CloudFormation stacks.',
    createDate: '2017-11-07T21:36:00Z',
    updateDate: '2025-11-19T00:00:00Z',
    version: 'v22',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ECSIntegrationsManagementPolicy',
          Effect: 'Allow',
          Action: [
            'application-autoscaling:DeleteScalingPolicy',
            'application-autoscaling:DeregisterScalableTarget',
            'application-autoscaling:DescribeScalableTargets',
            'application-autoscaling:DescribeScalingActivities',
            'application-autoscaling:DescribeScalingPolicies',
            'application-autoscaling:PutScalingPolicy',
            'application-autoscaling:RegisterScalableTarget',
            'appmesh:DescribeVirtualGateway',
            'appmesh:DescribeVirtualNode',
            'appmesh:ListMeshes',
            'appmesh:ListVirtualGateways',
            'appmesh:ListVirtualNodes',
            'autoscaling:CreateAutoScalingGroup',
            'autoscaling:CreateLaunchConfiguration',
            'autoscaling:DeleteAutoScalingGroup',
            'autoscaling:DeleteLaunchConfiguration',
            'autoscaling:Describe*',
            'autoscaling:UpdateAutoScalingGroup',
            'cloudformation:CreateStack',
            'cloudformation:DeleteStack',
            'cloudformation:DescribeStack*',
            'cloudformation:UpdateStack',
            'cloudwatch:DeleteAlarms',
            'cloudwatch:DescribeAlarms',
            'cloudwatch:GetMetricStatistics',
            'cloudwatch:PutMetricAlarm',
            'codedeploy:BatchGetApplicationRevisions',
            'codedeploy:BatchGetApplications',
            'codedeploy:BatchGetDeploymentGroups',
            'codedeploy:BatchGetDeployments',
            'codedeploy:ContinueDeployment',
            'codedeploy:CreateApplication',
            'codedeploy:CreateDeployment',
            'codedeploy:CreateDeploymentGroup',
            'codedeploy:GetApplication',
            'codedeploy:GetApplicationRevision',
            'codedeploy:GetDeployment',
            'codedeploy:GetDeploymentConfig',
            'codedeploy:GetDeploymentGroup',
            'codedeploy:GetDeploymentTarget',
            'codedeploy:ListApplicationRevisions',
            'codedeploy:ListApplications',
            'codedeploy:ListDeploymentConfigs',
            'codedeploy:ListDeploymentGroups',
            'codedeploy:ListDeployments',
            'codedeploy:ListDeploymentTargets',
            'codedeploy:RegisterApplicationRevision',
            'codedeploy:StopDeployment',
            'ec2:AssociateRouteTable',
            'ec2:AttachInternetGateway',
            'ec2:AuthorizeSecurityGroupIngress',
            'ec2:CancelSpotFleetRequests',
            'ec2:CreateInternetGateway',
            'ec2:CreateLaunchTemplate',
            'ec2:CreateRoute',
            'ec2:CreateRouteTable',
            'ec2:CreateSecurityGroup',
            'ec2:CreateSubnet',
            'ec2:CreateVpc',
            'ec2:DeleteLaunchTemplate',
            'ec2:DeleteSubnet',
            'ec2:DeleteVpc',
            'ec2:Describe*',
            'ec2:DetachInternetGateway',
            'ec2:DisassociateRouteTable',
            'ec2:ModifySubnetAttribute',
            'ec2:ModifyVpcAttribute',
            'ec2:RequestSpotFleet',
            'ec2:RunInstances',
            'ecs:*',
            'elasticfilesystem:DescribeAccessPoints',
            'elasticfilesystem:DescribeFileSystems',
            'elasticloadbalancing:CreateListener',
            'elasticloadbalancing:CreateLoadBalancer',
            'elasticloadbalancing:CreateRule',
            'elasticloadbalancing:CreateTargetGroup',
            'elasticloadbalancing:DeleteListener',
            'elasticloadbalancing:DeleteLoadBalancer',
            'elasticloadbalancing:DeleteRule',
            'elasticloadbalancing:DeleteTargetGroup',
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeLoadBalancers',
            'elasticloadbalancing:DescribeRules',
            'elasticloadbalancing:DescribeTargetGroups',
            'events:DeleteRule',
            'events:DescribeRule',
            'events:ListRuleNamesByTarget',
            'events:ListTargetsByRule',
            'events:PutRule',
            'events:PutTargets',
            'events:RemoveTargets',
            'fsx:DescribeFileSystems',
            'iam:ListAttachedRolePolicies',
            'iam:ListInstanceProfiles',
            'iam:ListRoles',
            'lambda:ListFunctions',
            'logs:CreateLogGroup',
            'logs:DescribeLogGroups',
            'logs:FilterLogEvents',
            'route53:CreateHostedZone',
            'route53:DeleteHostedZone',
            'route53:GetHealthCheck',
            'route53:GetHostedZone',
            'route53:ListHostedZonesByName',
            'servicediscovery:CreatePrivateDnsNamespace',
            'servicediscovery:CreateService',
            'servicediscovery:DeleteService',
            'servicediscovery:GetNamespace',
            'servicediscovery:GetOperation',
            'servicediscovery:GetService',
            'servicediscovery:ListNamespaces',
            'servicediscovery:ListServices',
            'servicediscovery:UpdateService',
            'sns:ListTopics',
          ],
          Resource: ['*'],
        },
        {
          Sid: 'SSMPolicy',
          Effect: 'Allow',
          Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
          Resource: 'arn:aws:ssm:*:*:parameter/aws/service/ecs*',
        },
        {
          Sid: 'ManagedCloudformationResourcesCleanupPolicy',
          Effect: 'Allow',
          Action: ['ec2:DeleteInternetGateway', 'ec2:DeleteRoute', 'ec2:DeleteRouteTable', 'ec2:DeleteSecurityGroup'],
          Resource: ['*'],
          Condition: { StringLike: { 'ec2:ResourceTag/aws:cloudformation:stack-name': 'EC2ContainerService-*' } },
        },
        {
          Sid: 'TasksPassRolePolicy',
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: ['*'],
          Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Sid: 'InfrastructurePassRolePolicy',
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: ['arn:aws:iam::*:role/ecsInfrastructureRole'],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } },
        },
        {
          Sid: 'InstancePassRolePolicy',
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: ['arn:aws:iam::*:role/ecsInstanceRole*'],
          Condition: { StringLike: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
        },
        {
          Sid: 'AutoScalingPassRolePolicy',
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: ['arn:aws:iam::*:role/ecsAutoscaleRole*'],
          Condition: { StringLike: { 'iam:PassedToService': ['application-autoscaling.amazonaws.com', 'application-autoscaling.amazonaws.com.cn'] } },
        },
        {
          Sid: 'ServiceLinkedRoleCreationPolicy',
          Effect: 'Allow',
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: {
            StringLike: {
              'iam:AWSServiceName': [
                'ecs.amazonaws.com',
                'autoscaling.amazonaws.com',
                'ecs.application-autoscaling.amazonaws.com',
                'spot.amazonaws.com',
                'spotfleet.amazonaws.com',
              ],
            },
          },
        },
        {
          Sid: 'ELBTaggingPolicy',
          Effect: 'Allow',
          Action: ['elasticloadbalancing:AddTags'],
          Resource: '*',
          Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateRule', 'CreateListener', 'CreateLoadBalancer'] } },
        },
      ],
    },
  },
  {
    name: 'AmazonECSInfrastructureRolePolicyForVolumes',
    path: '/service-role/',
    description:
      'Provides access to other AWS service resources required to manage volumes associated with ECS workloads. For more information, see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html',
    createDate: '2024-01-11T20:33:00Z',
    updateDate: '2025-07-28T00:00:00Z',
    version: 'v4',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CreateEBSManagedVolume',
          Effect: 'Allow',
          Action: 'ec2:CreateVolume',
          Resource: 'arn:aws:ec2:*:*:volume/*',
          Condition: { ArnLike: { 'aws:RequestTag/AmazonECSCreated': 'arn:aws:ecs:*:*:task/*' }, StringEquals: { 'aws:RequestTag/AmazonECSManaged': 'true' } },
        },
        {
          Sid: 'TagOnCreateVolume',
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: 'arn:aws:ec2:*:*:volume/*',
          Condition: {
            ArnLike: { 'aws:RequestTag/AmazonECSCreated': 'arn:aws:ecs:*:*:task/*' },
            StringEquals: { 'ec2:CreateAction': 'CreateVolume', 'aws:RequestTag/AmazonECSManaged': 'true' },
          },
        },
        {
          Sid: 'DescribeVolumesForLifecycle',
          Effect: 'Allow',
          Action: ['ec2:DescribeVolumes', 'ec2:DescribeAvailabilityZones'],
          Resource: '*',
        },
        {
          Sid: 'ManageEBSVolumeLifecycle',
          Effect: 'Allow',
          Action: ['ec2:AttachVolume', 'ec2:DetachVolume'],
          Resource: 'arn:aws:ec2:*:*:volume/*',
          Condition: { StringEquals: { 'aws:ResourceTag/AmazonECSManaged': 'true' } },
        },
        {
          Sid: 'ManageVolumeAttachmentsForEC2',
          Effect: 'Allow',
          Action: ['ec2:AttachVolume', 'ec2:DetachVolume'],
          Resource: 'arn:aws:ec2:*:*:instance/*',
        },
        {
          Sid: 'DeleteEBSManagedVolume',
          Effect: 'Allow',
          Action: 'ec2:DeleteVolume',
          Resource: 'arn:aws:ec2:*:*:volume/*',
          Condition: { ArnLike: { 'aws:ResourceTag/AmazonECSCreated': 'arn:aws:ecs:*:*:task/*' }, StringEquals: { 'aws:ResourceTag/AmazonECSManaged': 'true' } },
        },
      ],
    },
  },
];

function policyIdOf(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! & 31];
  return id;
}

/** AWS's managed policies by ARN. */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, AwsManagedPolicy> = new Map(
  ENTRIES.map((e) => {
    const arn = `arn:aws:iam::aws:policy${e.path}${e.name}`;
    const policy: AwsManagedPolicy = {
      name: e.name,
      path: e.path,
      arn,
      policyId: policyIdOf(arn),
      description: e.description,
      createDate: e.createDate,
      updateDate: e.updateDate,
      defaultVersionId: e.version,
      document: JSON.stringify(e.document, null, 2),
    };
    return [arn, policy];
  }),
);

/** The ARN of a service-linked role's policy (named, not served: AWS attaches it, no one reads it here). */
export const SERVICE_LINKED_POLICY_PREFIX = 'arn:aws:iam::aws:policy/aws-service-role/';
