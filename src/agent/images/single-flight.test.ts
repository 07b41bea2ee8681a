import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.js';

/** A task whose completion the test controls, recording its signal. */
function controllable() {
  let finish!: (value: string) => void;
  let runs = 0;
  let signal: AbortSignal | undefined;
  const task = (s: AbortSignal) => {
    runs++;
    signal = s;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      s.addEventListener('abort', () => reject(new Error('task aborted')));
    });
  };
  return { task, finish: (v: string) => finish(v), runs: () => runs, signal: () => signal };
}

describe('SingleFlight', () => {
  it('runs a key once for concurrent callers, and again once it has finished', async () => {
    const flight = new SingleFlight<string>();
    const c = controllable();
    const a = flight.run('k', c.task);
    const b = flight.run('k', c.task);
    expect(flight.size).toBe(1);
    c.finish('done');
    expect(await Promise.all([a, b])).toEqual(['done', 'done']);
    expect(c.runs()).toBe(1);
    expect(flight.size).toBe(0);
    const again = flight.run('k', c.task);
    c.finish('second');
    expect(await again).toBe('second');
    expect(c.runs()).toBe(2);
  });

  it('shares failures', async () => {
    const flight = new SingleFlight<string>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow('boom');
    expect(flight.size).toBe(0);
  });

  it('lets one caller give up without stopping the run the others wait for', async () => {
    const flight = new SingleFlight<string>();
    const c = controllable();
    const leaving = new AbortController();
    const a = flight.run('k', c.task, leaving.signal);
    const b = flight.run('k', c.task, new AbortController().signal);
    leaving.abort(new Error('caller gone'));
    await expect(a).rejects.toThrow('caller gone');
    expect(c.signal()!.aborted).toBe(false);
    c.finish('done');
    expect(await b).toBe('done');
  });

  it('aborts the run when every caller has given up, answering the last once it has stopped', async () => {
    const flight = new SingleFlight<string>();
    let stopped = false;
    const slowToStop = (s: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        s.addEventListener('abort', () => setTimeout(() => {
          stopped = true;
          reject(new Error('task aborted'));
        }, 20));
      });
    const one = new AbortController();
    const two = new AbortController();
    const a = flight.run('k', slowToStop, one.signal);
    const b = flight.run('k', slowToStop, two.signal);
    one.abort(new Error('one'));
    await expect(a).rejects.toThrow('one');
    expect(stopped).toBe(false);
    two.abort(new Error('two'));
    await expect(b).rejects.toThrow('two');
    expect(stopped).toBe(true);
    expect(flight.size).toBe(0);
  });

  it('refuses to start for an aborted caller', () => {
    const flight = new SingleFlight<string>();
    expect(() => flight.run('k', () => Promise.resolve('x'), AbortSignal.abort(new Error('already')))).toThrow('already');
    expect(flight.size).toBe(0);
  });
});
