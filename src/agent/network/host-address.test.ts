import { describe, expect, it } from 'vitest';
import { hostAddresses, isLocalAddress, routeSource } from './host-address.js';

describe('host addresses', () => {
  it('reads the source address of a route', () => {
    expect(routeSource('10.216.3.1 dev eth0 src 10.216.3.10 uid 0 \n    cache \n')).toBe('10.216.3.10');
    expect(routeSource('local 127.0.0.1 dev lo src 127.0.0.1 uid 0 \n')).toBe('127.0.0.1');
    expect(routeSource('unreachable 10.0.0.1')).toBeUndefined();
    expect(routeSource('10.0.0.1 dev x src 300.1.1.1')).toBeUndefined();
  });

  it('knows loopback as local and a documentation address as not', () => {
    expect(isLocalAddress('127.0.0.1')).toBe(true);
    expect(isLocalAddress('192.0.2.254')).toBe(false);
  });

  it('takes a local preferred address, and the route source otherwise', async () => {
    expect(await hostAddresses(['http://127.0.0.1:4566'], '127.0.0.1')).toEqual({ control: ['127.0.0.1'], own: '127.0.0.1' });
    // A name that is not a local address: the route toward the control host decides.
    expect(await hostAddresses(['http://127.0.0.1:4566'], 'some-host')).toEqual({ control: ['127.0.0.1'], own: '127.0.0.1' });
    expect(await hostAddresses(['http://localhost:4566'], undefined)).toEqual({ control: ['127.0.0.1'], own: '127.0.0.1' });
    // Several replicas: every address, once, in order; the route toward the first decides.
    expect(await hostAddresses(['http://127.0.0.2:4566', 'http://localhost:4567', 'http://127.0.0.1:4568'], undefined)).toEqual({
      control: ['127.0.0.2', '127.0.0.1'],
      own: '127.0.0.1',
    });
  });
});
