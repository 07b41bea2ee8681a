import { describe, expect, it } from 'vitest';
import { parseStatReading } from './haproxy-stats.js';

// The shape of HAProxy 2.6's answer to `show info;show stat` (columns cut down; order kept).
const ANSWER = [
  'Name: HAProxy',
  'Version: 2.6.12-1',
  'Pid: 4242',
  'Uptime_sec: 9',
  '',
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,type,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,req_tot,rtime,conn_tot,',
  'ln-a,FRONTEND,,,2,5,262120,30,1000,9000,0,0,25,1,3,1,30,,31,',
  'tg-b,t-10_0_0_2-8080,0,0,1,2,,14,400,4000,2,0,12,1,1,0,14,3,,',
  'tg-b,BACKEND,0,0,1,2,26212,28,800,8000,1,0,24,1,2,1,28,4,,',
  'stats,FRONTEND,,,0,0,10,0,0,0,3,0,0,0,0,0,0,,0,',
  '',
].join('\n');

describe('show stat', () => {
  it('reads the worker pid and each frontend, backend and server by column name', () => {
    const r = parseStatReading(ANSWER)!;
    expect(r.workerPid).toBe(4242);
    expect(r.rows.map((x) => `${x.kind} ${x.proxy} ${x.name}`)).toEqual(['frontend ln-a FRONTEND', 'server tg-b t-10_0_0_2-8080', 'backend tg-b BACKEND']);
    expect(r.rows[0]).toMatchObject({ current: 2, counters: { requests: 30, connections: 31, bytesIn: 1000, bytesOut: 9000, hrsp2xx: 25, hrsp4xx: 3, hrsp5xx: 1 } });
    expect(r.rows[1]).toMatchObject({ counters: { requests: 14, connections: 14, hrsp2xx: 12 }, responseTimeMs: 3 });
    expect(r.rows[2]).toMatchObject({ current: 1, responseTimeMs: 4, counters: { requests: 28 } });
  });

  it('refuses an answer without a pid or without the header (the worker was going away)', () => {
    expect(parseStatReading('')).toBeUndefined();
    expect(parseStatReading(ANSWER.replace('Pid: 4242', ''))).toBeUndefined();
    expect(parseStatReading(ANSWER.split('\n').slice(0, 5).join('\n'))).toBeUndefined();
  });
});
