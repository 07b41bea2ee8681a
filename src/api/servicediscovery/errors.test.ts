import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { DiscoverySubject } from '../../discovery/errors.js';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { SERVICE_DISCOVERY_ERROR_TABLE, serviceDiscoveryErrorName } from './errors.js';

describe("Cloud Map's error table", () => {
  it('names exceptions of the Cloud Map model, or the server fault InternalFailure', () => {
    const model = loadServiceModel('servicediscovery');
    for (const name of Object.values(SERVICE_DISCOVERY_ERROR_TABLE)) {
      if (name === 'InternalFailure') continue;
      const shape = model.shapes[name];
      expect(shape && shape.type === 'structure' && shape.exception, name).toBe(true);
    }
  });

  it('tells the not-found subjects apart, and any invalid argument is InvalidInput', () => {
    expect(serviceDiscoveryErrorName(new DomainError(ErrorKind.NotFound, 'x', DiscoverySubject.Namespace))).toBe('NamespaceNotFound');
    expect(serviceDiscoveryErrorName(new DomainError(ErrorKind.NotFound, 'x', DiscoverySubject.Instance))).toBe('InstanceNotFound');
    expect(serviceDiscoveryErrorName(new DomainError(ErrorKind.InvalidArgument, 'x', 'parameter'))).toBe('InvalidInput');
  });
});
