import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { LogService } from '../../logstore/log-service.js';
import { SqliteLogStore } from '../../logstore/sqlite-log-store.js';
import { LOGS_ERROR_TABLE, logsErrorName } from './errors.js';
import { logsService } from './logs-service.js';

describe('the CloudWatch Logs service', () => {
  const store = new SqliteLogStore(':memory:');
  const service = logsService(new LogService(store));
  afterAll(() => store.close());

  it('uses only exception names the model defines', async () => {
    const exceptions = new Set(
      Object.entries(service.model.shapes)
        .filter(([, shape]) => shape.type === 'structure' && shape.exception)
        .map(([name]) => name),
    );
    for (const name of [...Object.values(LOGS_ERROR_TABLE), service.constraintErrorName, ...Object.values(service.genericErrorNames)]) {
      expect(exceptions.has(name), name).toBe(true);
    }
  });

  it('serves every operation this emulation implements, and each is in the model', async () => {
    const implemented = Object.keys(service.handlers).sort();
    expect(implemented).toEqual(
      [
        'CreateLogGroup',
        'CreateLogStream',
        'DeleteLogGroup',
        'DeleteLogStream',
        'DeleteMetricFilter',
        'DeleteRetentionPolicy',
        'DescribeLogGroups',
        'DescribeLogStreams',
        'DescribeMetricFilters',
        'FilterLogEvents',
        'GetLogEvents',
        'ListTagsForResource',
        'ListTagsLogGroup',
        'PutLogEvents',
        'PutLogGroupDeletionProtection',
        'PutMetricFilter',
        'PutRetentionPolicy',
        'TagLogGroup',
        'TagResource',
        'TestMetricFilter',
        'UntagLogGroup',
        'UntagResource',
      ].sort(),
    );
    for (const operation of implemented) expect(service.model.operations[operation], operation).toBeDefined();
  });

  it('maps domain errors to Logs exceptions, most specific first', async () => {
    const name = (kind: ErrorKind, subject?: string) => logsErrorName(new DomainError(kind, 'x', subject));
    expect(name(ErrorKind.NotFound, 'log-group')).toBe('ResourceNotFoundException');
    expect(name(ErrorKind.AlreadyExists, 'log-stream')).toBe('ResourceAlreadyExistsException');
    expect(name(ErrorKind.InvalidArgument, 'parameter')).toBe('InvalidParameterException');
    expect(name(ErrorKind.LimitExceeded, 'tags')).toBe('TooManyTagsException');
    expect(name(ErrorKind.LimitExceeded)).toBe('LimitExceededException');
    expect(name(ErrorKind.FailedPrecondition, 'log-group-protected')).toBe('ValidationException');
    expect(name(ErrorKind.Internal)).toBe('ServiceUnavailableException');
  });
});
