import { DomainError, ErrorKind } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { applyListenerAttributes, listenerAttributeDefaults } from './attributes.js';
import { checkTags, deleteRecord, getRecord, pageOfArns, putRecord, readScope, sameJson, type ElbContext } from './context.js';
import { duplicate, elbNotFound, incompatibleProtocols, notPermitted, tooMany, unsupportedProtocol, validation } from './errors.js';
import { listenerArn, listenerPrefix, newResourceId, ruleArn, rulePrefix } from './names.js';
import { loadBalancersOfGroup } from './proxy-config-for.js';
import { COLLECTIONS, type ElbRecords, type ListenerCertificate, type ListenerRecord, type LoadBalancerRecord, type RuleRecord, type Tag, type TargetGroupProtocol, type WireAction } from './records.js';
import { normaliseActions } from './rule-rules.js';
import { familyOf } from './target-groups.js';

export interface ListenerInput {
  port?: number;
  protocol?: string;
  sslPolicy?: string;
  certificates?: Array<{ CertificateArn?: string }>;
  defaultActions?: WireAction[];
  alpnPolicy?: string[];
  mutualAuthentication?: { Mode?: string };
  tags?: Tag[];
}

export const MAX_LISTENERS = 50;
export const MAX_CERTIFICATES = 25;
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
const PROTOCOLS: Record<LoadBalancerRecord['type'], string[]> = { application: ['HTTP', 'HTTPS'], network: ['TCP', 'TLS'] };
const ALPN_POLICIES = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'];

const certificateNotFound = (arn: string) => new DomainError(ErrorKind.NotFound, `Certificate '${arn}' not found`, 'certificate');

/**
 * Checks actions against the load balancer: its groups exist in the region, speak its protocol
 * family, and are used by no other load balancer (ELB's TargetGroupAssociationLimit).
 */
export function checkActionsFor(records: ElbRecords, lb: LoadBalancerRecord, actions: readonly WireAction[]): WireAction[] {
  const { actions: normalised, targetGroupArns } = normaliseActions(actions, lb.type);
  for (const arn of targetGroupArns) {
    const tg = records.targetGroups.find((t) => t.arn === arn);
    if (!tg) throw elbNotFound('target-group', `Target group '${arn}' not found`);
    if (familyOf(tg.protocol) !== lb.type) {
      throw incompatibleProtocols(`The target group '${arn}' has the protocol ${tg.protocol}, which a ${lb.type} load balancer cannot forward to`);
    }
    const others = loadBalancersOfGroup(records, arn).filter((other) => other !== lb.arn);
    if (others.length > 0) throw tooMany('target-group-association', `The following target groups cannot be associated with more than one load balancer: ${arn}`);
  }
  return normalised;
}

/** Listeners of load balancers and their certificates. */
export function listenerOperations(ctx: ElbContext) {
  const { store, certificates } = ctx.deps;

  async function checkCertificates(scope: Scope, given: Array<{ CertificateArn?: string }>): Promise<string[]> {
    const arns = given.map((c) => c.CertificateArn ?? '');
    for (const arn of arns) if (!(await certificates.exists(scope, arn))) throw certificateNotFound(arn);
    return arns;
  }

  /** The listener's settings after `input`, checked against its load balancer. */
  async function settle(scope: Scope, records: ElbRecords, lb: LoadBalancerRecord, current: Partial<ListenerRecord>, input: ListenerInput) {
    const protocol = (input.protocol ?? current.protocol) as TargetGroupProtocol | undefined;
    const port = input.port ?? current.port;
    if (protocol === undefined) throw validation('A listener protocol must be specified');
    if (port === undefined) throw validation('A listener port must be specified');
    if (!PROTOCOLS[lb.type].includes(protocol)) {
      throw unsupportedProtocol(`Protocol '${protocol}' is not supported for ${lb.type} load balancers${lb.type === 'network' && (protocol === 'UDP' || protocol === 'TCP_UDP') ? ' by this endpoint' : ''}`);
    }
    const secure = protocol === 'HTTPS' || protocol === 'TLS';
    if (input.mutualAuthentication?.Mode !== undefined && input.mutualAuthentication.Mode !== 'off') {
      throw validation('Mutual TLS authentication is not supported by this endpoint');
    }
    let certs: ListenerCertificate[] = secure ? (current.certificates ?? []) : [];
    if (input.certificates !== undefined) {
      if (!secure) throw validation(`Certificates cannot be specified for ${protocol} listeners`);
      if (input.certificates.length !== 1) throw validation('Exactly one default certificate must be specified');
      const [arn] = await checkCertificates(scope, input.certificates);
      certs = [{ arn: arn!, isDefault: true }, ...certs.filter((c) => !c.isDefault && c.arn !== arn)];
    }
    if (secure && !certs.some((c) => c.isDefault)) throw validation(`A certificate must be specified for ${protocol} listeners`);
    if (!secure && input.sslPolicy !== undefined) throw validation(`An SSL policy cannot be specified for ${protocol} listeners`);
    const sslPolicy = secure ? (input.sslPolicy ?? current.sslPolicy ?? DEFAULT_SSL_POLICY) : undefined;
    if (sslPolicy !== undefined && !/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(sslPolicy)) throw validation(`SSL policy '${sslPolicy}' not found`);
    const alpnPolicy = input.alpnPolicy ?? current.alpnPolicy;
    if (alpnPolicy !== undefined && (protocol !== 'TLS' || alpnPolicy.length !== 1 || !ALPN_POLICIES.includes(alpnPolicy[0]!))) {
      throw validation('An ALPN policy can only be set on TLS listeners, to one of ' + ALPN_POLICIES.join(', '));
    }
    const defaultActions = input.defaultActions !== undefined ? checkActionsFor(records, lb, input.defaultActions) : current.defaultActions!;
    const clash = records.listeners.find((l) => l.loadBalancerArn === lb.arn && l.port === port && l.arn !== current.arn);
    return { protocol, port, certs, sslPolicy, alpnPolicy, defaultActions, clash };
  }

  return {
    /** CreateListener; the same settings again return the same listener, as in AWS. */
    async create(scope: Scope, loadBalancerArn: string, input: ListenerInput): Promise<ListenerRecord> {
      const tags = checkTags(input.tags);
      if (!input.defaultActions) throw validation('Default actions must be specified');
      return store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const lb = await getRecord(tx, scope, 'load-balancer', loadBalancerArn);
        const s = await settle(scope, records, lb, {}, input);
        if (s.clash) {
          if (s.clash.protocol === s.protocol && sameJson(s.clash.defaultActions, s.defaultActions) && sameJson(s.clash.certificates, s.certs)) return s.clash;
          throw duplicate('listener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
        }
        if (records.listeners.filter((l) => l.loadBalancerArn === lb.arn).length >= MAX_LISTENERS) throw tooMany('listeners', 'The maximum number of listeners has been reached');
        const arn = listenerArn(lb.arn, newResourceId());
        const record: ListenerRecord = {
          arn,
          accountId: scope.accountId,
          region: scope.region,
          loadBalancerArn: lb.arn,
          port: s.port,
          protocol: s.protocol,
          certificates: s.certs,
          ...(s.sslPolicy !== undefined && { sslPolicy: s.sslPolicy }),
          ...(s.alpnPolicy !== undefined && { alpnPolicy: s.alpnPolicy }),
          defaultActions: s.defaultActions,
          defaultRuleArn: ruleArn(arn, newResourceId()),
          tags,
        };
        await putRecord(tx, 'listener', record);
        return record;
      }).finally(() => ctx.sync());
    },

    async describe(scope: Scope, filter: { loadBalancerArn?: string; arns?: string[]; marker?: string; pageSize?: number }) {
      if (filter.loadBalancerArn !== undefined && filter.arns?.length) throw validation('Listener ARNs and a load balancer ARN cannot be specified at the same time');
      if (filter.loadBalancerArn === undefined && !filter.arns?.length) throw validation('You must specify either listener ARNs or a load balancer ARN');
      let chosen: ListenerRecord[];
      if (filter.loadBalancerArn !== undefined) {
        await getRecord(store, scope, 'load-balancer', filter.loadBalancerArn);
        chosen = (await store.collection<ListenerRecord>(COLLECTIONS.listeners).list({ prefix: listenerPrefix(filter.loadBalancerArn) })).map((r) => r.value);
      } else {
        chosen = [];
        for (const arn of filter.arns!) chosen.push(await getRecord(store, scope, 'listener', arn));
      }
      return pageOfArns('elb-listeners', chosen, filter.marker, filter.pageSize);
    },

    async get(scope: Scope, arn: string): Promise<ListenerRecord> {
      return getRecord(store, scope, 'listener', arn);
    },

    async modify(scope: Scope, arn: string, input: ListenerInput): Promise<ListenerRecord> {
      return store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const listener = await getRecord(tx, scope, 'listener', arn);
        const lb = await getRecord(tx, scope, 'load-balancer', listener.loadBalancerArn);
        const s = await settle(scope, records, lb, listener, input);
        if (s.clash) throw duplicate('listener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
        const next: ListenerRecord = { ...listener, port: s.port, protocol: s.protocol, certificates: s.certs, defaultActions: s.defaultActions };
        delete next.sslPolicy;
        delete next.alpnPolicy;
        if (s.sslPolicy !== undefined) next.sslPolicy = s.sslPolicy;
        if (s.alpnPolicy !== undefined) next.alpnPolicy = s.alpnPolicy;
        await putRecord(tx, 'listener', next);
        return next;
      }).finally(() => ctx.sync());
    },

    async delete(scope: Scope, arn: string): Promise<void> {
      await store.transaction(async (tx) => {
        await getRecord(tx, scope, 'listener', arn);
        for (const r of await tx.collection<RuleRecord>(COLLECTIONS.rules).list({ prefix: rulePrefix(arn) })) await deleteRecord(tx, 'rule', r.key);
        await deleteRecord(tx, 'listener', arn);
      });
      await ctx.sync();
    },

    /** AddListenerCertificates: certificates served by SNI besides the default. */
    async addCertificates(scope: Scope, arn: string, given: Array<{ CertificateArn?: string }>): Promise<ListenerCertificate[]> {
      return store.transaction(async (tx) => {
        const listener = await getRecord(tx, scope, 'listener', arn);
        if (listener.protocol !== 'HTTPS' && listener.protocol !== 'TLS') throw validation(`Certificates cannot be added to ${listener.protocol} listeners`);
        const arns = await checkCertificates(scope, given);
        const added = arns.filter((a) => !listener.certificates.some((c) => c.arn === a));
        listener.certificates.push(...added.map((a) => ({ arn: a, isDefault: false })));
        if (listener.certificates.length > MAX_CERTIFICATES) throw tooMany('certificates', 'The maximum number of certificates for a listener has been reached');
        await putRecord(tx, 'listener', listener);
        return added.map((a) => ({ arn: a, isDefault: false }));
      }).finally(() => ctx.sync());
    },

    async removeCertificates(scope: Scope, arn: string, given: Array<{ CertificateArn?: string }>): Promise<void> {
      await store.transaction(async (tx) => {
        const listener = await getRecord(tx, scope, 'listener', arn);
        const arns = given.map((c) => c.CertificateArn ?? '');
        if (listener.certificates.some((c) => c.isDefault && arns.includes(c.arn))) throw notPermitted('The default certificate of a listener cannot be removed');
        listener.certificates = listener.certificates.filter((c) => !arns.includes(c.arn));
        await putRecord(tx, 'listener', listener);
      });
      await ctx.sync();
    },

    /** DescribeListenerCertificates: the default one (IsDefault) and those added. */
    async certificates(scope: Scope, arn: string): Promise<ListenerCertificate[]> {
      return (await getRecord(store, scope, 'listener', arn)).certificates;
    },

    /** DescribeListenerAttributes: AWS's defaults (minato changes none of them). */
    async attributes(scope: Scope, arn: string): Promise<Record<string, string>> {
      const listener = await getRecord(store, scope, 'listener', arn);
      return listenerAttributeDefaults(listener.arn.includes(':listener/net/') ? 'network' : 'application');
    },

    async modifyAttributes(scope: Scope, arn: string, changes: Array<{ Key?: string; Value?: string }>): Promise<Record<string, string>> {
      const listener = await getRecord(store, scope, 'listener', arn);
      return applyListenerAttributes(listener.arn.includes(':listener/net/') ? 'network' : 'application', changes);
    },

    /** The load balancers whose listeners serve a certificate (ACM's InUseBy). */
    async usersOfCertificate(certificateArn: string): Promise<string[]> {
      const listeners = (await store.collection<ListenerRecord>(COLLECTIONS.listeners).list()).map((r) => r.value);
      return [...new Set(listeners.filter((l) => l.certificates.some((c) => c.arn === certificateArn)).map((l) => l.loadBalancerArn))].sort();
    },
  };
}
