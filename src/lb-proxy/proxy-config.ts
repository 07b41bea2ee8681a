/**
 * The contract between the Elastic Load Balancing control plane (elb/) and the load-balancer data
 * plane (lb-proxy/): the whole desired state of every load balancer, applied at once, and the
 * health the data plane observes. The data plane never sees the API's records, only this.
 */

/** Everything the data plane serves. `apply` replaces the previous state as a whole. */
export interface ProxyConfig {
  loadBalancers: ProxyLoadBalancer[];
  /** Every target group, also those no listener uses yet (their targets are `unused`, unchecked). */
  targetGroups: ProxyTargetGroup[];
}

export interface ProxyLoadBalancer {
  arn: string;
  name: string;
  type: 'application' | 'network';
  /** The name clients use; the data plane makes it resolve to `address` on this host. */
  dnsName: string;
  /** The IPv4 address the listeners bind on this host (from the load-balancer subnet). */
  address: string;
  /** `idle_timeout.timeout_seconds` (application; 60 by default). */
  idleTimeoutSeconds: number;
  listeners: ProxyListener[];
}

export type ProxyListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

export interface ProxyListener {
  arn: string;
  port: number;
  protocol: ProxyListenerProtocol;
  /** HTTPS and TLS: the default certificate first, then the others (chosen by SNI). */
  certificates: ProxyCertificate[];
  /** Evaluated in order: rules by ascending priority, the default rule (priority 'default') last. */
  rules: ProxyRule[];
}

export interface ProxyCertificate {
  arn: string;
  certificatePem: string;
  privateKeyPem: string;
  chainPem?: string;
}

export interface ProxyRule {
  arn: string;
  priority: number | 'default';
  /** All must match (the default rule has none). */
  conditions: ProxyCondition[];
  action: ProxyAction;
}

/** ELB's rule conditions; within one condition any value matches (OR), across conditions AND. */
export type ProxyCondition =
  /** Case-sensitive, `*` any characters, `?` one; matched against the path only. */
  | { field: 'path-pattern'; values: string[] }
  /** Case-insensitive, `*` and `?` wildcards; matched against the Host header without its port. */
  | { field: 'host-header'; values: string[] }
  | { field: 'http-header'; headerName: string; values: string[] }
  | { field: 'http-request-method'; values: string[] }
  /** A pair without key matches any parameter's value. */
  | { field: 'query-string'; values: Array<{ key?: string; value: string }> }
  /** CIDR blocks, matched against the client's address. */
  | { field: 'source-ip'; values: string[] };

export type ProxyAction =
  | {
      type: 'forward';
      /** One group with weight 1, or several weighted (0–999) groups. */
      targetGroups: Array<{ arn: string; weight: number }>;
      /** Target group stickiness: a client stays with the group it was sent to. */
      stickiness?: { enabled: boolean; durationSeconds: number };
    }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string }
  | {
      type: 'redirect';
      /** ELB's redirect components; `#{protocol}`, `#{host}`, `#{port}`, `#{path}`, `#{query}` keep the request's. */
      protocol: string;
      port: string;
      host: string;
      path: string;
      query: string;
      statusCode: 'HTTP_301' | 'HTTP_302';
    };

export interface ProxyTargetGroup {
  arn: string;
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
  protocolVersion?: 'HTTP1' | 'HTTP2' | 'GRPC';
  healthCheck: ProxyHealthCheck;
  /** `deregistration_delay.timeout_seconds`: how long a draining target keeps its in-flight requests. */
  deregistrationDelaySeconds: number;
  /** `slow_start.duration_seconds`: 0 off, else 30–900. */
  slowStartSeconds: number;
  stickiness: {
    enabled: boolean;
    type: 'lb_cookie' | 'app_cookie' | 'source_ip';
    durationSeconds: number;
    /** app_cookie: the application's cookie name. */
    cookieName?: string;
  };
  algorithm: 'round_robin' | 'least_outstanding_requests';
  targets: ProxyTarget[];
}

export interface ProxyHealthCheck {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  port: number | 'traffic-port';
  /** HTTP(S) only. */
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** HTTP(S) only: "200", "200,202" or "200-299". */
  matcher?: string;
}

export interface ProxyTarget {
  /** The target's id as registered: an IPv4 address (`ip`) or a container instance / EC2 instance id (`instance`). */
  id: string;
  /** Where to connect: the id itself for `ip` targets, the instance's address for `instance` ones. */
  address: string;
  port: number;
  /** Deregistered and draining: no new requests or connections; those in flight finish. */
  draining: boolean;
}

/** What the data plane's health checks last concluded about one target of one group. */
export interface ObservedTargetHealth {
  id: string;
  port: number;
  /** `initial` until the first conclusion (healthy threshold reached, or unhealthy threshold failed). */
  state: 'initial' | 'healthy' | 'unhealthy';
  /** For `unhealthy`: ELB's reason code. */
  reason?: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks';
  /** ELB-worded, e.g. "Health checks failed with these codes: [500]". */
  description?: string;
  since: Date;
}

/** The data plane as the control plane drives it. */
export interface LoadBalancerDataPlane {
  /** Makes the listeners, rules and targets be exactly `config` (idempotent; safe to call often). */
  apply(config: ProxyConfig): Promise<void>;
  /** The latest health of every target of a group the data plane checks (empty for unused groups). */
  targetHealth(targetGroupArn: string): ObservedTargetHealth[];
  /** Called on every change of a target's observed state. */
  onHealthChange(listener: (targetGroupArn: string, health: ObservedTargetHealth) => void): void;
  /** Stops serving and removes what it put on the host (addresses' names, processes, files). */
  close(): Promise<void>;
}
