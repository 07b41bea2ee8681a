import { describe, expect, it } from 'vitest';
import { ControlClient, ControlPlaneError } from './control-client.js';

/** A fetch that answers per endpoint host: a status, or a connection failure. */
function scripted(answers: Record<string, number | 'down'>, calls: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    calls.push(url.host);
    const answer = answers[url.host];
    if (answer === 'down' || answer === undefined) throw new TypeError('fetch failed');
    return new Response(answer === 200 ? JSON.stringify({ accepted: 1 }) : JSON.stringify({ code: 'X', message: 'no' }), { status: answer });
  }) as typeof fetch;
}

const report = { containerInstanceArn: 'arn', reports: [] };

describe('ControlClient', () => {
  it('moves to the next endpoint when one is unreachable or unavailable, and stays on one that answers', async () => {
    const calls: string[] = [];
    const answers: Record<string, number | 'down'> = { 'a:1': 'down', 'b:1': 503, 'c:1': 200 };
    const client = new ControlClient(['http://a:1', 'http://b:1/', 'http://c:1'], 'token', scripted(answers, calls));
    await expect(client.reports(report)).rejects.toThrow('fetch failed');
    expect(client.endpoint).toBe('http://b:1');
    await expect(client.reports(report)).rejects.toBeInstanceOf(ControlPlaneError);
    expect(client.endpoint).toBe('http://c:1');
    expect(await client.reports(report)).toEqual({ accepted: 1 });
    // A refusal on its merits (4xx) is not the endpoint's fault: the client stays.
    answers['c:1'] = 400;
    await expect(client.reports(report)).rejects.toMatchObject({ status: 400 });
    expect(client.endpoint).toBe('http://c:1');
    // Round and round: after the last, the first again.
    answers['c:1'] = 'down';
    answers['a:1'] = 200;
    await expect(client.reports(report)).rejects.toThrow();
    expect(await client.reports(report)).toEqual({ accepted: 1 });
    expect(calls).toEqual(['a:1', 'b:1', 'c:1', 'c:1', 'c:1', 'a:1']);
  });

  it('stays on its endpoint when the caller aborts, and when two failures of one endpoint race', async () => {
    const calls: string[] = [];
    const client = new ControlClient(['http://a:1', 'http://b:1', 'http://c:1'], 'token', scripted({}, calls));
    const aborted = AbortSignal.abort();
    await expect(client.poll({ containerInstanceArn: 'arn', known: [], stopping: [], stopped: [] }, 10, aborted)).rejects.toThrow();
    expect(client.endpoint).toBe('http://a:1');
    // Both requests went to a; the second failure must not skip b.
    await Promise.allSettled([client.reports(report), client.reports(report)]);
    expect(client.endpoint).toBe('http://b:1');
  });
});
