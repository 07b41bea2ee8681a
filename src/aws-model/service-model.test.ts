import { describe, expect, it } from 'vitest';
import { loadServiceModel, operationErrors, operationModel, shapeModel, type ServiceModel } from './service-model.js';

// Every shape a model refers to, so a damaged or partial import shows up here and not mid-request.
function danglingRefs(model: ServiceModel): string[] {
  const refs: string[] = [];
  for (const op of Object.values(model.operations)) {
    for (const ref of [op.input, op.output, ...(op.errors ?? [])]) if (ref) refs.push(ref.shape);
  }
  for (const shape of Object.values(model.shapes)) {
    if (shape.type === 'structure') refs.push(...Object.values(shape.members).map((m) => m.shape));
    if (shape.type === 'list') refs.push(shape.member.shape);
    if (shape.type === 'map') refs.push(shape.key.shape, shape.value.shape);
  }
  return refs.filter((name) => !Object.hasOwn(model.shapes, name));
}

describe('loadServiceModel', () => {
  it('reads the ECS model from the package root, once', () => {
    const ecs = loadServiceModel('ecs');
    expect(ecs.metadata.targetPrefix).toBe('AmazonEC2ContainerServiceV20141113');
    expect(ecs.metadata.protocol).toBe('json');
    expect(loadServiceModel('ecs')).toBe(ecs);
    expect(operationModel(ecs, 'CreateCluster').input?.shape).toBe('CreateClusterRequest');
    expect(shapeModel(ecs, 'TagKey')).toMatchObject({ type: 'string', min: 1, max: 128 });
    expect(ecs.paginators?.ListClusters).toMatchObject({ limit_key: 'maxResults', result_key: 'clusterArns' });
  });

  it('reads the STS model', () => {
    const sts = loadServiceModel('sts');
    expect(sts.metadata.protocol).toBe('query');
    expect(Object.keys(sts.operations)).toContain('GetCallerIdentity');
  });

  it('has no dangling shape references in either model', () => {
    expect(danglingRefs(loadServiceModel('ecs'))).toEqual([]);
    expect(danglingRefs(loadServiceModel('sts'))).toEqual([]);
  });

  it('refuses names that are not plain model names, and missing models', () => {
    expect(() => loadServiceModel('../package')).toThrow('Invalid service model name');
    expect(() => loadServiceModel('no-such-service')).toThrow();
  });
});

describe('operationErrors', () => {
  it('names the exceptions an operation is modelled with', () => {
    const ecs = loadServiceModel('ecs');
    const errors = operationErrors(ecs, 'DeleteCluster');
    expect(errors.has('ClusterContainsTasksException')).toBe(true);
    expect(errors.has('ClusterNotFoundException')).toBe(true);
    expect(errors.has('ResourceInUseException')).toBe(false);
    expect(operationErrors(ecs, 'DeleteCluster')).toBe(errors);
  });

  it('throws for an operation the model does not have, prototype names included', () => {
    const ecs = loadServiceModel('ecs');
    expect(() => operationErrors(ecs, 'DeleteEverything')).toThrow('Unknown operation DeleteEverything');
    expect(() => operationErrors(ecs, 'toString')).toThrow('Unknown operation toString');
  });
});
