import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterStep, invocationId, newRun, ROTATION_STEPS, samePoint, stepStarted, type RotationRun, type StepOutcome } from './rotation-state.js';

const outcome = fc.oneof(
  fc.constant<StepOutcome>({ state: 'running' }),
  fc.constant<StepOutcome>({ state: 'succeeded' }),
  fc.constant<StepOutcome>({ state: 'failed', reason: 'exit 1' }),
);

describe('the step machine of a rotation run', () => {
  it('visits the four steps in order, starts each once, and finishes only after four successes', () => {
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 40 }), (outcomes) => {
        let run: RotationRun = newRun('tok', 1, 0, false);
        const started: string[] = [];
        let successes = 0;
        let end: string | undefined;
        for (const o of outcomes) {
          if (run.phase === 'ready') {
            started.push(run.step);
            run = stepStarted(run, `task-${started.length}`);
          }
          const d = afterStep(run, o);
          if (o.state === 'succeeded') successes++;
          if (d.kind === 'wait') continue;
          if (d.kind === 'next') {
            expect(d.run.phase).toBe('ready');
            expect(d.run.handle).toBeUndefined();
            run = d.run;
            continue;
          }
          end = d.kind === 'finished' ? 'finished' : `failed at ${d.step}`;
          if (d.kind === 'failed') expect(d.step).toBe(run.step);
          break;
        }
        // Steps are started in order, none twice.
        expect(started).toEqual(ROTATION_STEPS.slice(0, started.length));
        if (end === 'finished') expect(successes).toBe(4);
        else expect(successes).toBeLessThan(4);
      }),
    );
  });

  it('refuses to start a step twice or to judge one that has not started', () => {
    const run = stepStarted(newRun('tok', 1, 0, false), 'task-1');
    expect(() => stepStarted(run, 'task-2')).toThrow(/started already/);
    expect(() => afterStep(newRun('tok', 1, 0, false), { state: 'succeeded' })).toThrow(/has not started/);
  });

  it('names each step of each run by its own invocation id, the same every time, fit for a RunTask clientToken', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf';
    const run = newRun('0123456789abcdef0123456789abcdef', 1, 0, false);
    const ids = new Set<string>();
    for (const attempt of [1, 2]) {
      for (const step of ROTATION_STEPS) {
        const id = invocationId(arn, { ...run, attempt, step });
        expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(invocationId(arn, { ...run, attempt, step, phase: 'started', handle: 'x' })).toBe(id);
        ids.add(id);
      }
    }
    expect(ids.size).toBe(8);
  });

  it('compares runs by token, attempt, step and phase', () => {
    const run = newRun('tok', 1, 0, false);
    expect(samePoint(run, { ...run, startedAt: 5 })).toBe(true);
    expect(samePoint(undefined, run)).toBe(false);
    expect(samePoint(stepStarted(run, 'h'), run)).toBe(false);
    expect(samePoint({ ...run, attempt: 2 }, run)).toBe(false);
  });
});
