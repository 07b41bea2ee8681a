import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../lib/policy-document.js';
import { evaluate, type EvaluatedPolicy, type EvaluationRequest } from './evaluate.js';
import { arnMatch, wildcardMatch } from './wildcard.js';

const request = (action: string, resource = '*', context: Record<string, string[]> = {}): EvaluationRequest => ({
  action,
  resource,
  context: new Map(Object.entries(context)),
});
const policy = (...statements: PolicyStatement[]): EvaluatedPolicy => ({ id: 'p', type: 'role', document: { version: '2012-10-17', statements } });

const word = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/);
const actionArb = fc.tuple(word, word).map(([s, a]) => `${s}:${a}`);
const statementArb: fc.Arbitrary<PolicyStatement> = fc.record({
  effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  action: fc.array(fc.oneof(actionArb, fc.constant('*'), word.map((s) => `${s}:*`)), { minLength: 1, maxLength: 3 }),
  resource: fc.array(fc.constantFrom('*', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::other'), { minLength: 1, maxLength: 2 }),
});
const policiesArb = fc.array(fc.array(statementArb, { minLength: 1, maxLength: 4 }).map((s) => policy(...s)), { maxLength: 3 });

describe('evaluate', () => {
  it('decides implicitDeny when nothing applies', () => {
    fc.assert(fc.property(actionArb, (action) => {
        expect(evaluate([], request(action)).decision).toBe('implicitDeny');
      }),
    );
    expect(evaluate([policy({ effect: 'Allow', action: ['s3:GetObject'], resource: ['*'] })], request('s3:PutObject')).decision).toBe('implicitDeny');
  });

  it('lets an explicit Deny win over any Allow', () => {
    fc.assert(
      fc.property(policiesArb, actionArb, fc.constantFrom('arn:aws:s3:::bucket/key', 'arn:aws:s3:::other'), (policies, action, resource) => {
        const deny = policy({ effect: 'Deny', action: [action], resource: ['*'] });
        const all = [...policies, deny];
        expect(evaluate(all, request(action, resource)).decision).toBe('explicitDeny');
        expect(evaluate([...all].reverse(), request(action, resource)).decision).toBe('explicitDeny');
      }),
    );
  });

  it('allows exactly when an Allow applies and no Deny does', () => {
    fc.assert(
      fc.property(policiesArb, actionArb, (policies, action) => {
        const applies = (effect: string) =>
          policies.some((p) => p.document.statements.some((s) => s.effect === effect && s.action!.some((a) => wildcardMatch(a, action, true)) && s.resource!.includes('*')));
        const decision = evaluate(policies, request(action, 'arn:aws:ec2:us-east-1:1:instance/i-1')).decision;
        expect(decision).toBe(applies('Deny') ? 'explicitDeny' : applies('Allow') ? 'allowed' : 'implicitDeny');
      }),
    );
  });

  it('reads NotAction and NotResource as exclusions', () => {
    const p = policy({ effect: 'Allow', notAction: ['iam:*'], notResource: ['arn:aws:s3:::secret/*'] });
    expect(evaluate([p], request('s3:GetObject', 'arn:aws:s3:::public/a')).decision).toBe('allowed');
    expect(evaluate([p], request('IAM:CreateRole', 'arn:aws:s3:::public/a')).decision).toBe('implicitDeny');
    expect(evaluate([p], request('s3:GetObject', 'arn:aws:s3:::secret/a')).decision).toBe('implicitDeny');
  });

  it('applies conditions and reports the keys it missed', () => {
    const p = policy({
      effect: 'Allow',
      action: ['s3:GetObject'],
      resource: ['*'],
      condition: { StringEquals: { 'aws:PrincipalTag/team': ['web'] }, Bool: { 'aws:SecureTransport': ['true'] } },
    });
    expect(evaluate([p], request('s3:GetObject', '*', { 'aws:principaltag/team': ['web'], 'aws:SecureTransport': ['true'] })).decision).toBe('allowed');
    expect(evaluate([p], request('s3:GetObject', '*', { 'aws:PrincipalTag/team': ['db'], 'aws:SecureTransport': ['true'] })).decision).toBe('implicitDeny');
    const missed = evaluate([p], request('s3:GetObject'));
    expect(missed.decision).toBe('implicitDeny');
    expect(missed.missingContextKeys).toEqual(['aws:PrincipalTag/team', 'aws:SecureTransport']);
  });

  it('knows the common operators', () => {
    const allowIf = (condition: PolicyStatement['condition']) => [policy({ effect: 'Allow', action: ['*'], resource: ['*'], condition })];
    const decide = (condition: PolicyStatement['condition'], context: Record<string, string[]>) => evaluate(allowIf(condition), request('a:b', '*', context)).decision;
    expect(decide({ StringLike: { k: ['app-*'] } }, { k: ['app-web'] })).toBe('allowed');
    expect(decide({ StringNotEquals: { k: ['x'] } }, {})).toBe('allowed');
    expect(decide({ ArnLike: { 'aws:SourceArn': ['arn:aws:ecs:*:123456789012:*'] } }, { 'aws:SourceArn': ['arn:aws:ecs:us-east-1:123456789012:task/c/1'] })).toBe('allowed');
    expect(decide({ ArnLike: { 'aws:SourceArn': ['arn:aws:ecs:*:123456789012:*'] } }, { 'aws:SourceArn': ['arn:aws:ecs:us-east-1:999999999999:task/c/1'] })).toBe('implicitDeny');
    expect(decide({ NumericLessThan: { n: ['10'] } }, { n: ['9'] })).toBe('allowed');
    expect(decide({ NumericLessThan: { n: ['10'] } }, { n: ['10'] })).toBe('implicitDeny');
    expect(decide({ NumericGreaterThanEquals: { n: ['10'] } }, { n: ['10'] })).toBe('allowed');
    expect(decide({ StringEqualsIfExists: { k: ['v'] } }, {})).toBe('allowed');
    expect(decide({ Null: { k: ['true'] } }, {})).toBe('allowed');
    expect(decide({ Null: { k: ['true'] } }, { k: ['v'] })).toBe('implicitDeny');
    expect(decide({ 'ForAnyValue:StringEquals': { k: ['a', 'b'] } }, { k: ['c', 'b'] })).toBe('allowed');
    expect(decide({ 'ForAllValues:StringEquals': { k: ['a', 'b'] } }, { k: ['c', 'b'] })).toBe('implicitDeny');
    expect(decide({ DateLessThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } }, { 'aws:CurrentTime': ['2026-12-06T00:00:00Z'] })).toBe('allowed');
    expect(decide({ NoSuchOperator: { k: ['v'] } }, { k: ['v'] })).toBe('implicitDeny');
  });

  it('needs the permissions boundary to allow too', () => {
    const identity = [policy({ effect: 'Allow', action: ['s3:*', 'ec2:*'], resource: ['*'] })];
    const boundary = [{ id: 'b', type: 'user-managed', document: { statements: [{ effect: 'Allow', action: ['s3:*'], resource: ['*'] }] } as PolicyDocument }];
    expect(evaluate(identity, request('s3:GetObject'), boundary)).toMatchObject({ decision: 'allowed', allowedByBoundary: true });
    expect(evaluate(identity, request('ec2:RunInstances'), boundary)).toMatchObject({ decision: 'implicitDeny', allowedByBoundary: false });
  });
});

describe('wildcards', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '-'), maxLength: 12 });

  it('match every text with `*` and themselves without wildcards', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(wildcardMatch('*', t)).toBe(true);
        expect(wildcardMatch(t, t)).toBe(true);
        expect(wildcardMatch('?'.repeat(t.length), t)).toBe(true);
      }),
    );
  });

  it('match a prefix followed by `*` exactly when the text starts with it', () => {
    fc.assert(fc.property(text, text, (prefix, t) => {
        expect(wildcardMatch(`${prefix}*`, t)).toBe(t.startsWith(prefix));
      }),
    );
  });

  it('agree with a regular expression built from the pattern', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 8 });
    fc.assert(
      fc.property(pattern, fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 10 }), (p, t) => {
        const re = new RegExp(`^${p.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
        expect(wildcardMatch(p, t)).toBe(re.test(t));
      }),
    );
  });

  it('keep ARN wildcards within their part', () => {
    expect(arnMatch('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b')).toBe(true);
    expect(arnMatch('arn:aws:*:us-east-1:*:log-group:*', 'arn:aws:logs:us-east-1:123456789012:log-group:app:*')).toBe(true);
    expect(arnMatch('arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:user/u')).toBe(false);
  });
});
