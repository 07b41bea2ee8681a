import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRule, formatRule, parseAlarmRule, ruleAlarms, type RuleExpr } from './alarm-rule.js';
import type { StateValue } from './alarm-types.js';

describe('the composite alarm rule', () => {
  it('parses states, constants and operators with CloudWatch’s precedence', () => {
    const expr = parseAlarmRule('ALARM("cpu") OR ALARM(arn:aws:cloudwatch:us-east-1:000000000000:alarm:mem) AND NOT OK("disk")');
    expect(formatRule(expr)).toBe('(ALARM("cpu") OR (ALARM("arn:aws:cloudwatch:us-east-1:000000000000:alarm:mem") AND NOT (OK("disk"))))');
    expect(ruleAlarms(expr)).toEqual(['cpu', 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:mem', 'disk']);
    expect(formatRule(parseAlarmRule('(TRUE OR FALSE) AND INSUFFICIENT_DATA("a b")'))).toBe('((TRUE OR FALSE) AND INSUFFICIENT_DATA("a b"))');
  });

  it('evaluates over the children’s states', () => {
    const states: Record<string, StateValue> = { cpu: 'ALARM', mem: 'OK' };
    const on = (rule: string) => evaluateRule(parseAlarmRule(rule), (n) => states[n]);
    expect(on('ALARM(cpu) AND OK(mem)')).toBe(true);
    expect(on('ALARM(cpu) AND ALARM(mem)')).toBe(false);
    expect(on('NOT ALARM(mem)')).toBe(true);
    expect(on('INSUFFICIENT_DATA(gone)')).toBe(false);
    expect(on('FALSE OR TRUE')).toBe(true);
  });

  it.each(['', 'ALARM()', 'ALARM(a', 'ALARM(a) AND', 'ALARM(a) XOR OK(b)', 'BROKEN(a)', '(TRUE', 'TRUE)'])('refuses %j', (rule) => {
    expect(() => parseAlarmRule(rule)).toThrow(/Error in alarm rule/);
  });

  it('reads back what it writes', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9 _-]{0,8}$/);
    const expr: fc.Arbitrary<RuleExpr> = fc.letrec<{ e: RuleExpr }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ op: fc.constant('state' as const), state: fc.constantFrom<StateValue>('ALARM', 'OK', 'INSUFFICIENT_DATA'), alarm: name }),
        fc.record({ op: fc.constant('const' as const), value: fc.boolean() }),
        fc.record({ op: fc.constant('not' as const), arg: tie('e') }),
        fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('e'), right: tie('e') }),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (e) => {
        expect(parseAlarmRule(formatRule(e))).toEqual(e);
      }),
    );
  });
});
