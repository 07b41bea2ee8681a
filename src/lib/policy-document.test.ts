import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantsPublicAccess, parsePolicyDocument, type PolicyDocument } from './policy-document.js';

const parse = (doc: unknown, kind: 'identity' | 'resource' = 'resource') => parsePolicyDocument(JSON.stringify(doc), kind);
const document = (doc: unknown, kind: 'identity' | 'resource' = 'resource'): PolicyDocument => {
  const parsed = parse(doc, kind);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.document;
};

const readSecret = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOnly',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/app' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
};

describe('parsePolicyDocument', () => {
  it('turns every "one or a list" member into a list', () => {
    expect(document(readSecret).statements).toEqual([
      {
        sid: 'ReadOnly',
        effect: 'Allow',
        principal: { AWS: ['arn:aws:iam::123456789012:role/app'] },
        action: ['secretsmanager:GetSecretValue'],
        resource: ['*'],
      },
    ]);
    const single = document({ Statement: { Effect: 'Deny', Principal: '*', NotAction: ['s3:Get*', 'ecs:?escribe*'], Condition: { Bool: { 'aws:SecureTransport': false } } } });
    expect(single.statements[0]).toEqual({
      effect: 'Deny',
      principal: '*',
      notAction: ['s3:Get*', 'ecs:?escribe*'],
      condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    });
  });

  it.each([
    ['not JSON', '{"Statement": ['],
    ['not an object', '[]'],
    ['an unknown element', JSON.stringify({ ...readSecret, Extra: 1 })],
    ['an unknown version', JSON.stringify({ ...readSecret, Version: '2019-10-19' })],
    ['no statement', JSON.stringify({ Version: '2012-10-17' })],
    ['an empty statement list', JSON.stringify({ Statement: [] })],
    ['a bad effect', JSON.stringify({ Statement: { Effect: 'allow', Principal: '*', Action: '*' } })],
    ['no action', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*' } })],
    ['Action and NotAction', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', NotAction: '*' } })],
    ['an action without a service', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'GetSecretValue' } })],
    ['an unknown principal kind', JSON.stringify({ Statement: { Effect: 'Allow', Principal: { User: 'x' }, Action: '*' } })],
    ['an empty resource list', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: [] } })],
    ['duplicate Sids', JSON.stringify({ Statement: [{ Sid: 'A', Effect: 'Allow', Principal: '*', Action: '*' }, { Sid: 'A', Effect: 'Deny', Principal: '*', Action: '*' }] })],
    ['a condition value that is an object', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Condition: { StringEquals: { k: { a: 1 } } } } })],
  ])('refuses %s', (_what, text) => {
    expect(parsePolicyDocument(text, 'resource').ok).toBe(false);
  });

  it('asks a principal of resource policies and refuses one in identity policies', () => {
    expect(parse({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'resource').ok).toBe(false);
    expect(parse({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'identity').ok).toBe(true);
    expect(parse({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }, 'identity').ok).toBe(false);
    expect(parse({ Statement: { Effect: 'Allow', Action: '*' } }, 'identity').ok).toBe(false);
  });
});

describe('grantsPublicAccess', () => {
  it('is true for an unconditioned Allow to everyone, false when narrowed or denied', () => {
    const allow = (extra: object) => document({ Statement: { Effect: 'Allow', Action: 'secretsmanager:*', ...extra } });
    expect(grantsPublicAccess(allow({ Principal: '*' }))).toBe(true);
    expect(grantsPublicAccess(allow({ Principal: { AWS: ['arn:aws:iam::1:root', '*'] } }))).toBe(true);
    expect(grantsPublicAccess(allow({ NotPrincipal: { AWS: 'arn:aws:iam::1:root' } }))).toBe(true);
    expect(grantsPublicAccess(allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '1' } } }))).toBe(false);
    expect(grantsPublicAccess(allow({ Principal: { Service: 'ecs-tasks.amazonaws.com' } }))).toBe(false);
    expect(grantsPublicAccess(document({ Statement: { Effect: 'Deny', Principal: '*', Action: '*' } }))).toBe(false);
  });

  it('agrees with its definition on generated documents', () => {
    const principal = fc.constantFrom<unknown>('*', { AWS: '*' }, { AWS: 'arn:aws:iam::1:root' }, { Service: 'ecs.amazonaws.com' });
    const statement = fc.record({
      effect: fc.constantFrom('Allow', 'Deny'),
      principal,
      conditioned: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), (statements) => {
        const doc = document({
          Statement: statements.map((s) => ({
            Effect: s.effect,
            Principal: s.principal,
            Action: 'secretsmanager:GetSecretValue',
            ...(s.conditioned && { Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
          })),
        });
        const everyone = (p: unknown) => p === '*' || (typeof p === 'object' && (p as { AWS?: string }).AWS === '*');
        const expected = statements.some((s) => s.effect === 'Allow' && !s.conditioned && everyone(s.principal));
        expect(grantsPublicAccess(doc)).toBe(expected);
      }),
    );
  });
});
