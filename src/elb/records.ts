/**
 * The Elastic Load Balancing records kept in the store. Rule conditions and actions are kept in
 * ELB's own shapes (validated on the way in), so that what a caller gave is what it reads back.
 */

/** A resource tag. */
export interface Tag {
  Key: string;
  Value?: string;
}

export type LoadBalancerType = 'application' | 'network';

export interface LoadBalancerRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  type: LoadBalancerType;
  scheme: 'internet-facing' | 'internal';
  dnsName: string;
  /** The IPv4 address of this host the listeners bind (from the load-balancer subnet). */
  address: string;
  /** Epoch milliseconds. */
  createdTime: number;
  /** `provisioning` until the data plane applied it once, then `active`. */
  state: 'provisioning' | 'active';
  vpcId: string;
  zones: Array<{ zoneName: string; subnetId?: string }>;
  securityGroups: string[];
  ipAddressType: string;
  attributes: Record<string, string>;
  tags: Tag[];
}

export interface HealthCheckRecord {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: string;
}

export interface TargetRecord {
  id: string;
  port: number;
  /** Where the data plane connects: the id of an `ip` target, the instance's address otherwise. */
  address: string;
  availabilityZone?: string;
  /** Epoch ms: set while the target drains after DeregisterTargets; removed when it passes. */
  drainUntil?: number;
}

export type TargetGroupProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

export interface TargetGroupRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  targetType: 'instance' | 'ip';
  protocol: TargetGroupProtocol;
  protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
  port: number;
  vpcId: string;
  ipAddressType: string;
  healthCheck: HealthCheckRecord;
  attributes: Record<string, string>;
  targets: TargetRecord[];
  createdTime: number;
  tags: Tag[];
}

/** ELB's Action shape (the members minato serves). */
export interface WireAction {
  Type: string;
  TargetGroupArn?: string;
  Order?: number;
  ForwardConfig?: {
    TargetGroups?: Array<{ TargetGroupArn?: string; Weight?: number }>;
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
  RedirectConfig?: { Protocol?: string; Port?: string; Host?: string; Path?: string; Query?: string; StatusCode: string };
  AuthenticateOidcConfig?: unknown;
  AuthenticateCognitoConfig?: unknown;
  JwtValidationConfig?: unknown;
}

/** ELB's RuleCondition shape. */
export interface WireCondition {
  Field?: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[]; RegexValues?: string[] };
  PathPatternConfig?: { Values?: string[]; RegexValues?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[]; RegexValues?: string[] };
  QueryStringConfig?: { Values?: Array<{ Key?: string; Value?: string }> };
  HttpRequestMethodConfig?: { Values?: string[] };
  SourceIpConfig?: { Values?: string[] };
  RegexValues?: string[];
}

export interface ListenerCertificate {
  arn: string;
  isDefault: boolean;
}

export interface ListenerRecord {
  arn: string;
  accountId: string;
  region: string;
  loadBalancerArn: string;
  port: number;
  protocol: TargetGroupProtocol;
  certificates: ListenerCertificate[];
  sslPolicy?: string;
  alpnPolicy?: string[];
  defaultActions: WireAction[];
  /** The ARN of the listener's default rule (its default actions, priority `default`). */
  defaultRuleArn: string;
  tags: Tag[];
}

export interface RuleRecord {
  arn: string;
  accountId: string;
  region: string;
  listenerArn: string;
  priority: number;
  conditions: WireCondition[];
  actions: WireAction[];
  tags: Tag[];
}

/** Everything the data plane is derived from. */
export interface ElbRecords {
  loadBalancers: LoadBalancerRecord[];
  targetGroups: TargetGroupRecord[];
  listeners: ListenerRecord[];
  rules: RuleRecord[];
}

/** The store's collections of the records, keyed by ARN. */
export const COLLECTIONS = {
  loadBalancers: 'elb.load-balancers',
  targetGroups: 'elb.target-groups',
  listeners: 'elb.listeners',
  rules: 'elb.rules',
} as const;
