import { validation } from './errors.js';
import type { HealthCheckRecord, TargetGroupProtocol } from './records.js';

/** The health check members of CreateTargetGroup and ModifyTargetGroup. */
export interface HealthCheckInput {
  enabled?: boolean;
  protocol?: string;
  port?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  matcher?: { HttpCode?: string; GrpcCode?: string };
}

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const GRPC_CODES = /^\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*$/;

const isHttpFamily = (p: string) => p === 'HTTP' || p === 'HTTPS';

/** AWS's defaults for a new group of `protocol`: HTTP(S) groups check `/` for 200; TCP groups connect. */
export function defaultHealthCheck(protocol: TargetGroupProtocol, protocolVersion: string | undefined): HealthCheckRecord {
  if (isHttpFamily(protocol)) {
    return { enabled: true, protocol: protocol as 'HTTP' | 'HTTPS', port: 'traffic-port', path: '/', intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5, unhealthyThreshold: 2, matcher: protocolVersion === 'GRPC' ? '12' : '200' };
  }
  return { enabled: true, protocol: 'TCP', port: 'traffic-port', intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 5, unhealthyThreshold: 2 };
}

/** `current` with the input's changes, checked as ELB checks them. */
export function applyHealthCheck(current: HealthCheckRecord, input: HealthCheckInput, groupProtocol: TargetGroupProtocol): HealthCheckRecord {
  const protocol = (input.protocol ?? current.protocol) as HealthCheckRecord['protocol'];
  if (!['HTTP', 'HTTPS', 'TCP'].includes(protocol)) throw validation(`Health check protocol '${protocol}' is not supported`);
  if (isHttpFamily(groupProtocol) && protocol === 'TCP') throw validation(`Health check protocol 'TCP' is not supported for target groups with the ${groupProtocol} protocol`);
  const next: HealthCheckRecord = {
    enabled: input.enabled ?? current.enabled,
    protocol,
    port: input.port ?? current.port,
    intervalSeconds: input.intervalSeconds ?? current.intervalSeconds,
    timeoutSeconds: input.timeoutSeconds ?? (input.protocol !== undefined && protocol !== current.protocol && protocol !== 'TCP' ? 5 : current.timeoutSeconds),
    healthyThreshold: input.healthyThreshold ?? current.healthyThreshold,
    unhealthyThreshold: input.unhealthyThreshold ?? current.unhealthyThreshold,
  };
  if (next.port !== 'traffic-port' && !(/^\d+$/.test(next.port) && Number(next.port) >= 1 && Number(next.port) <= 65535)) {
    throw validation(`Health check port '${next.port}' must be 'traffic-port' or a port from 1 to 65535`);
  }
  if (protocol === 'TCP') {
    if (input.path !== undefined || input.matcher !== undefined) throw validation('Health check path and matcher are not supported with the TCP health check protocol');
  } else {
    const path = input.path ?? current.path ?? '/';
    if (!path.startsWith('/')) throw validation("Health check path must begin with a '/' character");
    next.path = path;
    const matcher = input.matcher?.HttpCode ?? input.matcher?.GrpcCode ?? current.matcher ?? '200';
    if (!(input.matcher?.GrpcCode !== undefined ? GRPC_CODES : HTTP_CODES).test(matcher) && !(current.matcher === matcher)) {
      throw validation(`Health check matcher '${matcher}' is not valid: use codes such as 200, 200,202 or 200-299`);
    }
    next.matcher = matcher;
  }
  if (next.timeoutSeconds >= next.intervalSeconds) throw validation('Health check interval must be greater than the timeout.');
  return next;
}
