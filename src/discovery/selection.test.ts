import { describe, expect, it } from 'vitest';
import { selectInstances } from './instances.js';
import { namespacePredicate } from './namespaces.js';
import { operationPredicate } from './operations.js';
import type { InstanceRecord, NamespaceRecord, OperationRecord, ServiceRecord } from './records.js';

const svc = (custom: boolean): ServiceRecord => ({
  id: 'srv-1', arn: 'arn', accountId: '000000000000', region: 'us-east-1', name: 's', namespaceId: 'ns-1', type: 'HTTP',
  ...(custom && { customHealth: {} }), createDate: 0, revision: 1,
});
const inst = (id: string, attributes: Record<string, string>, health?: 'HEALTHY' | 'UNHEALTHY'): InstanceRecord => ({
  id, serviceId: 'srv-1', region: 'us-east-1', accountId: '000000000000', attributes, ...(health && { health }), createDate: 0,
});

describe('DiscoverInstances selection', () => {
  const instances = [inst('a', { az: '1', v: 'x' }, 'HEALTHY'), inst('b', { az: '2', v: 'x' }, 'UNHEALTHY'), inst('c', { az: '1', v: 'y' }, 'UNHEALTHY')];
  const ids = (found: InstanceRecord[]) => found.map((i) => i.id);

  it('filters by health only where a custom health check is configured', () => {
    expect(ids(selectInstances(svc(true), instances, {}))).toEqual(['a']);
    expect(ids(selectInstances(svc(true), instances, { healthStatus: 'UNHEALTHY' }))).toEqual(['b', 'c']);
    expect(ids(selectInstances(svc(true), instances, { healthStatus: 'ALL' }))).toEqual(['a', 'b', 'c']);
    expect(ids(selectInstances(svc(false), instances, { healthStatus: 'UNHEALTHY' }))).toEqual(['a', 'b', 'c']);
  });

  it('fails open with HEALTHY_OR_ELSE_ALL when nothing is healthy', () => {
    expect(ids(selectInstances(svc(true), instances, { healthStatus: 'HEALTHY_OR_ELSE_ALL', queryParameters: { az: '1' } }))).toEqual(['a']);
    expect(ids(selectInstances(svc(true), instances, { healthStatus: 'HEALTHY_OR_ELSE_ALL', queryParameters: { az: '2' } }))).toEqual(['b']);
  });

  it('requires every query parameter, and narrows by optional parameters only when some instance matches', () => {
    expect(ids(selectInstances(svc(false), instances, { queryParameters: { az: '1', v: 'y' } }))).toEqual(['c']);
    expect(ids(selectInstances(svc(false), instances, { optionalParameters: { v: 'y' } }))).toEqual(['c']);
    expect(ids(selectInstances(svc(false), instances, { optionalParameters: { v: 'z' } }))).toEqual(['a', 'b', 'c']);
    expect(ids(selectInstances(svc(false), instances, { maxResults: 2 }))).toEqual(['a', 'b']);
  });
});

describe('list filters', () => {
  const ns = (name: string, type: 'HTTP' | 'DNS_PRIVATE'): NamespaceRecord => ({ id: name, arn: '', accountId: '0', region: 'r', name, type, createDate: 0 });
  it('take the conditions Cloud Map allows per filter name', () => {
    expect(namespacePredicate({ Name: 'TYPE', Values: ['HTTP', 'DNS_PRIVATE'], Condition: 'IN' })(ns('a', 'HTTP'))).toBe(true);
    expect(namespacePredicate({ Name: 'NAME', Values: ['co'], Condition: 'BEGINS_WITH' })(ns('corp', 'HTTP'))).toBe(true);
    expect(() => namespacePredicate({ Name: 'TYPE', Values: ['HTTP'], Condition: 'BEGINS_WITH' })).toThrow(/does not take/);
    expect(() => namespacePredicate({ Name: 'NAME', Values: ['a', 'b'], Condition: 'EQ' })).toThrow(/exactly one/);
    const op: OperationRecord = { id: 'o', accountId: '0', region: 'r', type: 'REGISTER_INSTANCE', status: 'SUCCESS', targets: { SERVICE: 'srv-1' }, createDate: 5000, updateDate: 5000 };
    expect(operationPredicate({ Name: 'SERVICE_ID', Values: ['srv-1'] })(op)).toBe(true);
    expect(operationPredicate({ Name: 'NAMESPACE_ID', Values: ['ns-1'] })(op)).toBe(false);
    expect(operationPredicate({ Name: 'UPDATE_DATE', Values: ['4', '6'], Condition: 'BETWEEN' })(op)).toBe(true);
    expect(operationPredicate({ Name: 'UPDATE_DATE', Values: ['6', '7'], Condition: 'BETWEEN' })(op)).toBe(false);
    expect(() => operationPredicate({ Name: 'STATUS', Values: ['SUCCESS'], Condition: 'BETWEEN' })).toThrow();
  });
});
