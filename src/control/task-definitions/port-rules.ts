/**
 * Port mapping rules: valid ports, what each network mode allows, no host port published twice in
 * a task, and the containerPortRange rules of the PortMapping API reference.
 */
import type { PortMapping } from '@aws-sdk/client-ecs';
import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import { type Container, type RuleContext, nameOf } from './context.js';

const MAX_PORT = 65535;
/** "You can specify a maximum of 100 port ranges per container" (PortMapping API reference). */
const MAX_RANGES = 100;
const RANGE = /^(\d+)-(\d+)$/;

/** A closed port interval of one protocol inside one container. */
interface Span {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
}

// aws/aws-cli#7288, aws/aws-cdk#8762, hashicorp/terraform-provider-aws#37508 (no containerPort).
const badContainerPort = (c: Container) => invalidRequest(`Invalid 'containerPort' setting for container '${nameOf(c)}'.`);
// Same form as the containerPort text; ECS accepts none, 0 or 1–65535 (aws/amazon-ecs-agent#3584).
const badHostPort = (c: Container) => invalidRequest(`Invalid 'hostPort' setting for container '${nameOf(c)}'.`);
// ECS's texts for range mistakes were not found; same "Invalid '<field>' setting" form.
const badRange = (c: Container) => invalidRequest(`Invalid 'containerPortRange' setting for container '${nameOf(c)}'.`);

const overlaps = (a: Span, b: Span): boolean => a.protocol === b.protocol && a.from <= b.to && b.from <= a.to;

/** Checks one containerPortRange mapping and returns its span. */
function rangeSpan(ctx: RuleContext, c: Container, m: PortMapping, protocol: string): Span {
  // Ranges exist for bridge and awsvpc only, come without containerPort and hostPort (ECS picks the
  // host ports), read "first-last" with first < last, all within 1–65535.
  if (ctx.networkMode !== 'bridge' && ctx.networkMode !== 'awsvpc') throw badRange(c);
  if (m.containerPort !== undefined || (m.hostPort ?? 0) !== 0) throw badRange(c);
  const match = RANGE.exec(m.containerPortRange ?? '');
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (match === null || from < 1 || to > MAX_PORT || from >= to) throw badRange(c);
  return { protocol, from, to };
}

/** Rules for one container's mappings; `published` collects the task's fixed host ports across containers. */
function checkContainerPorts(ctx: RuleContext, c: Container, published: Set<string>): void {
  const mappings = c.portMappings ?? [];
  // "If the network mode … is set to none, then you can't specify port mappings" (API reference);
  // ECS's text was not found, this mirrors its "not supported when networkMode=" wording.
  if (mappings.length > 0 && ctx.networkMode === 'none') {
    throw invalidRequest('Port mappings are not supported when networkMode=none.');
  }
  const singles: Span[] = [];
  const ranges: Span[] = [];
  for (const m of mappings) {
    const protocol = m.protocol ?? 'tcp';
    if (m.containerPortRange !== undefined) {
      ranges.push(rangeSpan(ctx, c, m, protocol));
      continue;
    }
    const port = m.containerPort;
    if (port === undefined || port < 1 || port > MAX_PORT) throw badContainerPort(c);
    const hostPort = m.hostPort ?? 0;
    if (hostPort < 0 || hostPort > MAX_PORT) throw badHostPort(c);
    const fixed = ctx.networkMode === 'awsvpc' || ctx.networkMode === 'host';
    // pulumi/pulumi-awsx#935, aws/amazon-ecs-cli#1014 (awsvpc); the API reference sets the same
    // rule for host. 0 means "not set", as in bridge.
    if (fixed && hostPort !== 0 && hostPort !== port) {
      throw invalidRequest(`When networkMode=${ctx.networkMode}, the host ports and container ports in port mappings must match.`);
    }
    const hostSide = fixed ? port : hostPort;
    if (hostSide > 0) {
      const key = `${protocol}/${hostSide}`;
      // aws/amazon-ecs-agent#1220: one host port per protocol per task.
      if (published.has(key)) {
        throw invalidRequest(`${protocol.toUpperCase()} host port '${hostSide}' is mapped multiple times in task.`);
      }
      published.add(key);
    } else if (singles.some((s) => overlaps(s, { protocol, from: port, to: port }))) {
      // Dynamic host ports: the same container port twice. Text from ECS's load balancer check
      // (terraform-aws-modules/terraform-aws-ecs#89), the closest found.
      throw invalidParameter(`Container port ${port} is used in more than one port mapping for container ${nameOf(c)}`);
    }
    singles.push({ protocol, from: port, to: port });
  }
  if (ranges.length > MAX_RANGES) throw badRange(c);
  // "A port can only be included in one port mapping per container. You cannot specify overlapping
  // port ranges." (PortMapping API reference).
  ranges.forEach((r, i) => {
    if (singles.some((s) => overlaps(s, r)) || ranges.some((o, j) => j !== i && overlaps(o, r))) throw badRange(c);
  });
}

/** Port mappings of every container, in order. */
export function checkPortMappings(ctx: RuleContext): void {
  const published = new Set<string>();
  for (const c of ctx.containers) checkContainerPorts(ctx, c, published);
}
