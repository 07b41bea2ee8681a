/**
 * Rules on names that point elsewhere in the task definition: volumes named by mount points,
 * containers named by volumesFrom, links and dependsOn. All ClientException.
 */
import { invalidRequest } from '../../lib/errors.js';
import { type Container, type RuleContext, isEssential, nameOf } from './context.js';

/** Volume names are unique; ECS's text for a repeat was not found, this mirrors the container one. */
function volumeNames(ctx: RuleContext): ReadonlySet<string> {
  const names = new Set<string>();
  for (const v of ctx.input.volumes ?? []) {
    if (v.name === undefined) continue;
    if (names.has(v.name)) throw invalidRequest('Volume names must be unique within a Task Definition.');
    names.add(v.name);
  }
  return names;
}

/** Mount points, volumesFrom and links name things that exist in this task definition. */
function checkReferences(c: Container, volumes: ReadonlySet<string>, containers: ReadonlyMap<string, Container>): void {
  for (const m of c.mountPoints ?? []) {
    // ansible/ansible#35751; a missing sourceVolume reads 'null' (blinkist/terraform-aws-airship-ecs-service#46).
    if (m.sourceVolume === undefined || !volumes.has(m.sourceVolume)) {
      throw invalidRequest(`Unknown volume '${m.sourceVolume ?? 'null'}'.`);
    }
  }
  for (const v of c.volumesFrom ?? []) {
    // eagletmt/hako#54.
    if (v.sourceContainer === undefined || !containers.has(v.sourceContainer)) {
      throw invalidRequest(`Invalid 'volumesFrom' setting. Unknown container: '${v.sourceContainer ?? 'null'}'.`);
    }
  }
  for (const link of c.links ?? []) {
    // "name:alias" links container "name". ECS's text was not found; it mirrors volumesFrom's.
    const target = link.split(':')[0] ?? '';
    if (!containers.has(target)) throw invalidRequest(`Invalid 'links' setting. Unknown container: '${target}'.`);
  }
}

/** dependsOn names an existing container, in a condition that container can meet. */
function checkDependencies(c: Container, containers: ReadonlyMap<string, Container>): void {
  for (const d of c.dependsOn ?? []) {
    const target = containers.get(d.containerName ?? '');
    // Verbatim, stray "+" included: ECS's own text as eagletmt/hako#99 quotes it.
    if (target === undefined) {
      throw invalidRequest(`Cannot depend on container + '${d.containerName ?? 'null'}' because it does not exist`);
    }
    // klothoplatform/klotho#892, boto/boto3#2436.
    if ((d.condition === 'SUCCESS' || d.condition === 'COMPLETE') && isEssential(target)) {
      throw invalidRequest('A dependency container with SUCCESS or COMPLETE condition cannot be an essential container');
    }
    // "This requires that the dependent container has health checks configured" (ContainerDependency
    // API reference). ECS's text was not found.
    if (d.condition === 'HEALTHY' && target.healthCheck === undefined) {
      throw invalidRequest(`Invalid 'dependsOn' setting for container '${nameOf(c)}'. Container '${nameOf(target)}' has no health check.`);
    }
  }
}

/**
 * The dependsOn graph has no cycle (a container depending on itself included): such a task
 * could never start. ECS's text was not found.
 */
function checkNoCycle(containers: ReadonlyMap<string, Container>): void {
  const done = new Set<string>();
  const open = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    if (open.has(name)) throw invalidRequest(`Invalid 'dependsOn' setting for container '${name}'. The dependencies form a cycle.`);
    open.add(name);
    for (const d of containers.get(name)?.dependsOn ?? []) visit(d.containerName ?? '');
    open.delete(name);
    done.add(name);
  };
  for (const name of containers.keys()) visit(name);
}

/** Every reference rule, container by container, then the dependency graph as a whole. */
export function checkReferenceRules(ctx: RuleContext): void {
  const volumes = volumeNames(ctx);
  const containers = new Map(ctx.containers.map((c) => [nameOf(c), c] as const));
  for (const c of ctx.containers) {
    checkReferences(c, volumes, containers);
    checkDependencies(c, containers);
  }
  checkNoCycle(containers);
}
