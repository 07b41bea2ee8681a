import { describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/scope.js';
import { checkParameterName, NAME_REQUIREMENTS, normalizeName, parameterArn, parseParameterReference } from './names.js';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1', principalArn: 'p', now: new Date() };
const check = (name: string) => checkParameterName(scope, name);

describe('parameter names', () => {
  it('accepts names and hierarchies of letters, digits and ._- and trims spaces', () => {
    expect(check('my-param_1.x')).toBe('my-param_1.x');
    expect(check('/Dev/DBServer/MySQL/db-string13')).toBe('/Dev/DBServer/MySQL/db-string13');
    expect(check('  /a/b  ')).toBe('/a/b');
  });

  it('refuses the reserved prefixes with the texts AWS sends', () => {
    expect(() => check('ssm_test')).toThrow('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
    expect(() => check('AWS_TEST')).toThrow('can\'t be prefixed with "aws" or "ssm"');
    expect(() => check('/ssm_test/path/to/var')).toThrow(NAME_REQUIREMENTS);
    expect(() => check('/aws_test/path/to/var')).toThrow('No access to reserved parameter name: /aws_test/path/to/var.');
  });

  it('refuses malformed hierarchies and characters, and more than 15 levels', () => {
    for (const bad of ['test/parameter', '/a//b', '/a/b/', 'has space', 'a@b', '/x/y@z']) expect(() => check(bad)).toThrow(NAME_REQUIREMENTS);
    const levels = (n: number) => `/${Array.from({ length: n }, (_, i) => `l${i}`).join('/')}`;
    expect(check(levels(15))).toBe(levels(15));
    expect(() => check(levels(16))).toThrow(/maximum of 15 levels/);
    expect(() => check(`/${'a'.repeat(1000)}`)).toThrow(/1011/);
  });

  it('treats a one-level name with or without its slash as the same parameter', () => {
    expect(normalizeName('/x')).toBe('x');
    expect(normalizeName('x')).toBe('x');
    expect(normalizeName('/a/b')).toBe('/a/b');
    expect(parameterArn('us-east-1', '1', '/x')).toBe(parameterArn('us-east-1', '1', 'x'));
    expect(parameterArn('us-east-1', '1', '/a/b')).toBe('arn:aws:ssm:us-east-1:1:parameter/a/b');
  });

  it('reads version and label selectors, and ARNs of this scope only', () => {
    expect(parseParameterReference(scope, 'p:3')).toEqual({ name: 'p', selector: { version: 3 }, selectorText: ':3' });
    expect(parseParameterReference(scope, '/a/p:prod')).toEqual({ name: '/a/p', selector: { label: 'prod' }, selectorText: ':prod' });
    expect(parseParameterReference(scope, 'p:2:3')).toBeUndefined();
    expect(parseParameterReference(scope, 'arn:aws:ssm:us-east-1:123456789012:parameter/a/p:1')).toMatchObject({ name: '/a/p', selector: { version: 1 } });
    expect(parseParameterReference(scope, 'arn:aws:ssm:eu-west-1:123456789012:parameter/a/p')).toBeUndefined();
  });
});
