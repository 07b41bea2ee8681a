import type { Scope } from '../lib/scope.js';
import type { Transaction } from '../store/store.js';
import { checkTags, deleteRecord, findRecord, getRecord, pageInOrder, putRecord, readScope, type ElbContext } from './context.js';
import { elbNotFound, invalidConfiguration, notPermitted, priorityInUse, tooMany, validation } from './errors.js';
import { checkActionsFor } from './listeners.js';
import { newResourceId, resourceKind, ruleArn, rulePrefix } from './names.js';
import { COLLECTIONS, type ListenerRecord, type RuleRecord, type Tag, type WireAction, type WireCondition } from './records.js';
import { normaliseConditions } from './rule-rules.js';

/** A rule as DescribeRules shows it: the listener's default rule has priority `default`. */
export interface RuleView {
  arn: string;
  listenerArn: string;
  priority: number | 'default';
  conditions: WireCondition[];
  actions: WireAction[];
  isDefault: boolean;
}

/** ELB's default quota of rules per application load balancer (default rules not counted). */
export const MAX_RULES = 100;

const viewOfRule = (r: RuleRecord): RuleView => ({ arn: r.arn, listenerArn: r.listenerArn, priority: r.priority, conditions: r.conditions, actions: r.actions, isDefault: false });
const defaultRuleOf = (l: ListenerRecord): RuleView => ({ arn: l.defaultRuleArn, listenerArn: l.arn, priority: 'default', conditions: [], actions: l.defaultActions, isDefault: true });

/** The listener a rule ARN belongs to: the rule's path without its last segment. */
const listenerOfRule = (arn: string) => arn.slice(0, arn.lastIndexOf('/')).replace(':listener-rule/', ':listener/');

const checkPriority = (p: number) => {
  if (!Number.isInteger(p) || p < 1 || p > 50000) throw validation(`Priority '${p}' must be from 1 to 50000`);
};

/** Listener rules: conditions, actions and priorities. */
export function ruleOperations(ctx: ElbContext) {
  const store = ctx.deps.store;

  /** A rule or a listener's default rule; RuleNotFound otherwise. */
  async function findRule(tx: Pick<Transaction, 'collection'>, scope: Scope, arn: string): Promise<{ rule?: RuleRecord; listener: ListenerRecord }> {
    const rule = await findRecord(tx, scope, 'rule', arn);
    const listener = resourceKind(listenerOfRule(arn)) === 'listener' ? await findRecord(tx, scope, 'listener', listenerOfRule(arn)) : undefined;
    if (!listener || (!rule && listener.defaultRuleArn !== arn)) throw elbNotFound('rule', 'One or more rules not found');
    return { ...(rule && { rule }), listener };
  }

  return {
    async create(scope: Scope, input: { listenerArn: string; priority: number; conditions: WireCondition[]; actions: WireAction[]; tags?: Tag[] }): Promise<RuleView> {
      checkPriority(input.priority);
      const conditions = normaliseConditions(input.conditions);
      const tags = checkTags(input.tags);
      return store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const listener = await getRecord(tx, scope, 'listener', input.listenerArn);
        const lb = await getRecord(tx, scope, 'load-balancer', listener.loadBalancerArn);
        if (lb.type !== 'application') throw invalidConfiguration('Rules can only be created on listeners of application load balancers');
        const actions = checkActionsFor(records, lb, input.actions);
        const siblings = records.rules.filter((r) => r.listenerArn === listener.arn);
        if (siblings.some((r) => r.priority === input.priority)) throw priorityInUse(`Priority '${input.priority}' is currently in use`);
        const onLb = records.rules.filter((r) => records.listeners.some((l) => l.arn === r.listenerArn && l.loadBalancerArn === lb.arn));
        if (onLb.length >= MAX_RULES) throw tooMany('rules', `The maximum number of rules (${MAX_RULES}) of the load balancer has been reached`);
        const record: RuleRecord = { arn: ruleArn(listener.arn, newResourceId()), accountId: scope.accountId, region: scope.region, listenerArn: listener.arn, priority: input.priority, conditions, actions, tags };
        await putRecord(tx, 'rule', record);
        return viewOfRule(record);
      }).finally(() => ctx.sync());
    },

    /** DescribeRules: a listener's rules by priority, its default rule last; or the rules named. */
    async describe(scope: Scope, filter: { listenerArn?: string; arns?: string[]; marker?: string; pageSize?: number }) {
      if (filter.listenerArn !== undefined && filter.arns?.length) throw validation('Rule ARNs and a listener ARN cannot be specified at the same time');
      if (filter.listenerArn === undefined && !filter.arns?.length) throw validation('You must specify either listener ARNs or rule ARNs');
      let views: RuleView[];
      if (filter.listenerArn !== undefined) {
        const listener = await getRecord(store, scope, 'listener', filter.listenerArn);
        const rules = (await store.collection<RuleRecord>(COLLECTIONS.rules).list({ prefix: rulePrefix(listener.arn) })).map((r) => r.value);
        views = [...rules.sort((a, b) => a.priority - b.priority).map(viewOfRule), defaultRuleOf(listener)];
      } else {
        views = [];
        for (const arn of filter.arns!) {
          const { rule, listener } = await findRule(store, scope, arn);
          views.push(rule ? viewOfRule(rule) : defaultRuleOf(listener));
        }
      }
      return pageInOrder('elb-rules', views, filter.marker, filter.pageSize);
    },

    /** ModifyRule: conditions and actions; a default rule takes only new actions. */
    async modify(scope: Scope, arn: string, input: { conditions?: WireCondition[]; actions?: WireAction[] }): Promise<RuleView> {
      const conditions = input.conditions !== undefined ? normaliseConditions(input.conditions) : undefined;
      return store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const { rule, listener } = await findRule(tx, scope, arn);
        const lb = await getRecord(tx, scope, 'load-balancer', listener.loadBalancerArn);
        const actions = input.actions !== undefined ? checkActionsFor(records, lb, input.actions) : undefined;
        if (!rule) {
          if (conditions !== undefined) throw notPermitted('The conditions of a default rule cannot be modified');
          if (actions !== undefined) {
            listener.defaultActions = actions;
            await putRecord(tx, 'listener', listener);
          }
          return defaultRuleOf(listener);
        }
        if (conditions !== undefined) rule.conditions = conditions;
        if (actions !== undefined) rule.actions = actions;
        await putRecord(tx, 'rule', rule);
        return viewOfRule(rule);
      }).finally(() => ctx.sync());
    },

    async delete(scope: Scope, arn: string): Promise<void> {
      await store.transaction(async (tx) => {
        const { rule } = await findRule(tx, scope, arn);
        if (!rule) throw notPermitted(`Default rule '${arn}' cannot be deleted`);
        await deleteRecord(tx, 'rule', arn);
      });
      await ctx.sync();
    },

    /** SetRulePriorities: all at once; no two rules of a listener may end with the same priority. */
    async setPriorities(scope: Scope, priorities: Array<{ ruleArn: string; priority: number }>): Promise<RuleView[]> {
      for (const p of priorities) checkPriority(p.priority);
      return store.transaction(async (tx) => {
        const changed: RuleRecord[] = [];
        for (const p of priorities) {
          const { rule } = await findRule(tx, scope, p.ruleArn);
          if (!rule) throw notPermitted(`The priority of default rule '${p.ruleArn}' cannot be set`);
          changed.push({ ...rule, priority: p.priority });
        }
        const listeners = new Set(changed.map((r) => r.listenerArn));
        for (const listenerArn of listeners) {
          const current = (await tx.collection<RuleRecord>(COLLECTIONS.rules).list({ prefix: rulePrefix(listenerArn) })).map((r) => r.value);
          const after = current.map((r) => changed.find((c) => c.arn === r.arn) ?? r);
          const seen = new Set<number>();
          for (const r of after) {
            if (seen.has(r.priority)) throw priorityInUse(`Priority '${r.priority}' is currently in use`);
            seen.add(r.priority);
          }
        }
        for (const r of changed) await putRecord(tx, 'rule', r);
        return changed.map(viewOfRule);
      }).finally(() => ctx.sync());
    },
  };
}
