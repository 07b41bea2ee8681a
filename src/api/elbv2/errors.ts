import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * ELB's error table: domain error kind (and subject) → the exception ELB answers with. On the
 * Query wire these go by their codes (LoadBalancerNotFound, DuplicateListener, ...). A name the
 * model does not list for the operation falls back to ValidationError.
 */
export const ELBV2_ERROR_TABLE: ErrorTable = {
  'NotFound/load-balancer': 'LoadBalancerNotFoundException',
  'NotFound/target-group': 'TargetGroupNotFoundException',
  'NotFound/listener': 'ListenerNotFoundException',
  'NotFound/rule': 'RuleNotFoundException',
  'NotFound/certificate': 'CertificateNotFoundException',
  'AlreadyExists/load-balancer': 'DuplicateLoadBalancerNameException',
  'AlreadyExists/target-group': 'DuplicateTargetGroupNameException',
  'AlreadyExists/listener': 'DuplicateListenerException',
  'AlreadyExists/tag-keys': 'DuplicateTagKeysException',
  'InvalidArgument/configuration': 'InvalidConfigurationRequestException',
  'InvalidArgument/target': 'InvalidTargetException',
  'InvalidArgument/incompatible-protocols': 'IncompatibleProtocolsException',
  'InvalidArgument/unsupported-protocol': 'UnsupportedProtocolException',
  'InvalidArgument/load-balancer-action': 'InvalidLoadBalancerActionException',
  'InvalidArgument/subnet': 'InvalidSubnetException',
  'InvalidArgument/security-group': 'InvalidSecurityGroupException',
  InvalidArgument: 'ValidationError',
  'LimitExceeded/targets': 'TooManyTargetsException',
  'LimitExceeded/rules': 'TooManyRulesException',
  'LimitExceeded/load-balancers': 'TooManyLoadBalancersException',
  'LimitExceeded/target-groups': 'TooManyTargetGroupsException',
  'LimitExceeded/listeners': 'TooManyListenersException',
  'LimitExceeded/tags': 'TooManyTagsException',
  'LimitExceeded/certificates': 'TooManyCertificatesException',
  'LimitExceeded/actions': 'TooManyActionsException',
  'LimitExceeded/target-group-association': 'TargetGroupAssociationLimitException',
  'Conflict/priority': 'PriorityInUseException',
  'FailedPrecondition/in-use': 'ResourceInUseException',
  'FailedPrecondition/operation-not-permitted': 'OperationNotPermittedException',
  Unavailable: 'InternalFailure',
  Internal: 'InternalFailure',
};

/** The ELB exception name for a domain error. */
export const elbv2ErrorName = errorNameLookup(ELBV2_ERROR_TABLE, 'ValidationError');
