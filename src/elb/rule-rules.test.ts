import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forwardedGroups, normaliseActions, normaliseConditions, proxyAction, proxyCondition } from './rule-rules.js';

const TG = (n: number) => `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/g${n}/000000000000000${n}`;

describe('listener actions', () => {
  it('fills in ForwardConfig for a plain TargetGroupArn, as ELB answers', () => {
    expect(normaliseActions([{ Type: 'forward', TargetGroupArn: TG(1) }], 'application')).toEqual({
      actions: [{ Type: 'forward', TargetGroupArn: TG(1), ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG(1), Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }],
      targetGroupArns: [TG(1)],
    });
  });

  it('keeps weights and group stickiness through to the data plane', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 5 }), fc.option(fc.integer({ min: 1, max: 604800 }), { nil: undefined }), (weights, duration) => {
        const { actions } = normaliseActions(
          [{ Type: 'forward', ForwardConfig: { TargetGroups: weights.map((Weight, i) => ({ TargetGroupArn: TG(i), Weight })), ...(duration !== undefined && { TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: duration } }) } }],
          'application',
        );
        const action = proxyAction(actions);
        expect(action).toEqual({ type: 'forward', targetGroups: weights.map((weight, i) => ({ arn: TG(i), weight })), ...(duration !== undefined && { stickiness: { enabled: true, durationSeconds: duration } }) });
        expect(forwardedGroups(actions)).toEqual(weights.map((_, i) => TG(i)));
      }),
    );
  });

  it('refuses authenticate actions, two terminal actions, and a TargetGroupArn that disagrees with ForwardConfig', () => {
    expect(() => normaliseActions([{ Type: 'authenticate-cognito', Order: 1 }, { Type: 'forward', Order: 2, TargetGroupArn: TG(1) }], 'application')).toThrow(expect.objectContaining({ subject: 'load-balancer-action' }));
    expect(() => normaliseActions([{ Type: 'forward', TargetGroupArn: TG(1) }, { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }], 'application')).toThrow(expect.objectContaining({ subject: 'configuration' }));
    expect(() => normaliseActions([{ Type: 'forward', TargetGroupArn: TG(1), ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG(2) }] } }], 'application')).toThrow(expect.objectContaining({ subject: 'validation' }));
    expect(() => normaliseActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }], 'network')).toThrow(expect.objectContaining({ subject: 'load-balancer-action' }));
    expect(() => normaliseActions([{ Type: 'forward', ForwardConfig: { TargetGroups: [1, 2, 3, 4, 5, 6].map((n) => ({ TargetGroupArn: TG(n) })) } }], 'application')).toThrow(expect.objectContaining({ subject: 'configuration' }));
  });

  it('fills redirect defaults and refuses a redirect to the same URL', () => {
    const { actions } = normaliseActions([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }], 'application');
    expect(proxyAction(actions)).toEqual({ type: 'redirect', protocol: 'HTTPS', port: '443', host: '#{host}', path: '/#{path}', query: '#{query}', statusCode: 'HTTP_301' });
    expect(() => normaliseActions([{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_302' } }], 'application')).toThrow(/original URL/);
    expect(() => normaliseActions([{ Type: 'redirect', RedirectConfig: { Path: 'x', StatusCode: 'HTTP_302' } }], 'application')).toThrow(/must start/);
  });

  it('checks fixed responses', () => {
    expect(() => normaliseActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'image/png' } }], 'application')).toThrow(/content type/);
    const { actions } = normaliseActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', ContentType: 'application/json', MessageBody: '{}' } }], 'application');
    expect(proxyAction(actions)).toEqual({ type: 'fixed-response', statusCode: '418', contentType: 'application/json', messageBody: '{}' });
  });
});

describe('rule conditions', () => {
  it('answers host and path conditions in both forms, whichever was given', () => {
    expect(normaliseConditions([{ Field: 'host-header', Values: ['a.example.com'] }, { Field: 'path-pattern', PathPatternConfig: { Values: ['/x/*'] } }])).toEqual([
      { Field: 'host-header', Values: ['a.example.com'], HostHeaderConfig: { Values: ['a.example.com'] } },
      { Field: 'path-pattern', Values: ['/x/*'], PathPatternConfig: { Values: ['/x/*'] } },
    ]);
  });

  it('translates every field to the data plane', () => {
    const conditions = normaliseConditions([
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['blue'] } },
      { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } },
      { Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'x' }] } },
      { Field: 'source-ip', SourceIpConfig: { Values: ['192.168.0.0/16'] } },
    ]);
    expect(conditions.map(proxyCondition)).toEqual([
      { field: 'http-header', headerName: 'X-Env', values: ['blue'] },
      { field: 'http-request-method', values: ['POST'] },
      { field: 'query-string', values: [{ value: 'x' }] },
      { field: 'source-ip', values: ['192.168.0.0/16'] },
    ]);
  });

  it('refuses what ELB refuses', () => {
    const bad: unknown[][] = [
      [],
      [{ Field: 'path-pattern', Values: ['/a'], PathPatternConfig: { Values: ['/a'] } }],
      [{ Field: 'path-pattern', Values: ['/a'] }, { Field: 'path-pattern', Values: ['/b'] }],
      [{ Field: 'path-pattern', Values: ['/1', '/2', '/3'] }, { Field: 'host-header', Values: ['a', 'b', 'c'] }],
      [{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/33'] } }],
      [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }],
      [{ Field: 'http-header', Values: ['x'] }],
      [{ Field: 'cookie', Values: ['x'] }],
      [{ Field: 'host-header', HostHeaderConfig: { RegexValues: ['^a$'] } }],
    ];
    for (const conditions of bad) expect(() => normaliseConditions(conditions as never)).toThrow();
  });
});
