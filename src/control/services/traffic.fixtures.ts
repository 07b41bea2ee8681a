import type { DiscoveryServiceInfo, ServiceRegistries, Target, TargetGroupInfo, TargetGroups, TargetHealth, TargetState, TrafficPorts } from './traffic-ports.js';

/**
 * In-memory target groups and Cloud Map services for the scheduler's tests: they keep what is
 * registered, answer health as the test sets it (initial until then), and log every call in order.
 */
export class FakeTraffic implements TrafficPorts {
  readonly groups = new Map<string, TargetGroupInfo>();
  readonly services = new Map<string, DiscoveryServiceInfo>();
  /** Registered targets per group, as `id:port`. */
  readonly registered = new Map<string, Set<string>>();
  /** Registered Cloud Map instances per service: instance id → attributes. */
  readonly instances = new Map<string, Map<string, Record<string, string>>>();
  /** Every call, in order: `register <tg> <id:port>`, `deregister …`, `registerInstance <svc> <id>`, `deregisterInstance …`. */
  readonly calls: string[] = [];
  private readonly states = new Map<string, Omit<TargetHealth, 'id' | 'port'>>();

  /** Adds a target group attached to one load balancer. */
  addGroup(arn: string, o: Partial<TargetGroupInfo> = {}): void {
    this.groups.set(arn, { arn, targetType: 'ip', protocol: 'HTTP', loadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/lb/1'], deregistrationDelaySeconds: 300, ...o });
  }

  /** Adds a Cloud Map service with the given DNS record types. */
  addService(arn: string, dnsRecordTypes: string[] = ['A']): void {
    this.services.set(arn, { arn, id: arn.split('/').pop()!, dnsRecordTypes });
  }

  /** Sets what the group says of a target. */
  setHealth(arn: string, target: Target, state: TargetState, description?: string): void {
    this.states.set(`${arn} ${target.id}:${target.port}`, { state, ...(description && { reason: 'Target.ResponseCodeMismatch', description }) });
  }

  /** Sets the same state for every target registered in the group. */
  setAll(arn: string, state: TargetState, description?: string): void {
    for (const t of this.registered.get(arn) ?? []) {
      const [id, port] = t.split(':');
      this.setHealth(arn, { id: id!, port: Number(port) }, state, description);
    }
  }

  readonly targetGroups: TargetGroups = {
    describe: async (_scope, arn) => this.groups.get(arn),
    register: async (_scope, arn, targets) => {
      const set = this.registered.get(arn) ?? new Set<string>();
      for (const t of targets) {
        this.calls.push(`register ${arn} ${t.id}:${t.port}`);
        set.add(`${t.id}:${t.port}`);
      }
      this.registered.set(arn, set);
    },
    deregister: async (_scope, arn, targets) => {
      for (const t of targets) {
        this.calls.push(`deregister ${arn} ${t.id}:${t.port}`);
        this.registered.get(arn)?.delete(`${t.id}:${t.port}`);
      }
    },
    health: async (_scope, arn, targets) =>
      targets.map((t) => {
        const known = this.registered.get(arn)?.has(`${t.id}:${t.port}`);
        return { ...t, ...(known ? (this.states.get(`${arn} ${t.id}:${t.port}`) ?? { state: 'initial' as const }) : { state: 'unused' as const }) };
      }),
  };

  readonly serviceRegistries: ServiceRegistries = {
    describeService: async (_scope, arn) => this.services.get(arn),
    registerInstance: async (_scope, arn, id, attributes) => {
      this.calls.push(`registerInstance ${arn} ${id}`);
      const m = this.instances.get(arn) ?? new Map<string, Record<string, string>>();
      m.set(id, { ...attributes });
      this.instances.set(arn, m);
    },
    deregisterInstance: async (_scope, arn, id) => {
      this.calls.push(`deregisterInstance ${arn} ${id}`);
      this.instances.get(arn)?.delete(id);
    },
  };
}
