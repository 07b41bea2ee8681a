import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * EC2's error codes. EC2's model lists none: its codes (`InvalidVpcID.NotFound`, …) go on the wire
 * as this table names them.
 */
export const EC2_ERROR_TABLE: ErrorTable = {
  'NotFound/vpc': 'InvalidVpcID.NotFound',
  'NotFound/subnet': 'InvalidSubnetID.NotFound',
  'NotFound/security-group': 'InvalidGroup.NotFound',
  'NotFound/rule': 'InvalidSecurityGroupRuleId.NotFound',
  'NotFound/permission': 'InvalidPermission.NotFound',
  'NotFound/internet-gateway': 'InvalidInternetGatewayID.NotFound',
  'NotFound/route-table': 'InvalidRouteTableID.NotFound',
  'NotFound/network-acl': 'InvalidNetworkAclID.NotFound',
  'NotFound/network-interface': 'InvalidNetworkInterfaceID.NotFound',
  'NotFound/association': 'InvalidAssociationID.NotFound',
  'NotFound/route': 'InvalidRoute.NotFound',
  'NotFound/id': 'InvalidID',
  'AlreadyExists/security-group': 'InvalidGroup.Duplicate',
  'AlreadyExists/permission': 'InvalidPermission.Duplicate',
  'AlreadyExists/route': 'RouteAlreadyExists',
  'Conflict/subnet': 'InvalidSubnet.Conflict',
  'Conflict/association': 'Resource.AlreadyAssociated',
  'Conflict/idempotency': 'IdempotentParameterMismatch',
  'InvalidArgument/subnet-range': 'InvalidSubnet.Range',
  'InvalidArgument/vpc-range': 'InvalidVpc.Range',
  'InvalidArgument/missing': 'MissingParameter',
  'InvalidArgument/combination': 'InvalidParameterCombination',
  'InvalidArgument/dry-run': 'DryRunOperation',
  'InvalidArgument/parameter': 'InvalidParameterValue',
  'FailedPrecondition/dependency': 'DependencyViolation',
  'FailedPrecondition/default-group': 'CannotDelete',
  'FailedPrecondition/gateway-not-attached': 'Gateway.NotAttached',
  'FailedPrecondition/no-default-vpc': 'VPCIdNotSpecified',
  'LimitExceeded/vpc': 'VpcLimitExceeded',
  'LimitExceeded/subnet': 'SubnetLimitExceeded',
  'LimitExceeded/security-group': 'SecurityGroupLimitExceeded',
  'LimitExceeded/rules': 'RulesPerSecurityGroupLimitExceeded',
  'LimitExceeded/tags': 'TagLimitExceeded',
  Unavailable: 'Unavailable',
  Internal: 'InternalError',
};

export const ec2ErrorName = errorNameLookup(EC2_ERROR_TABLE, 'InvalidParameterValue');
