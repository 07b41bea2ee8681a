import { cbor, dateToTag } from '@smithy/core/cbor';
import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../aws-model/service-model.js';
import { AwsError } from './aws-error.js';
import { cborErrorBody, decodeCborBody, encodeCborOutput, splitRpcPath } from './cbor-protocol.js';

const cloudwatch = loadServiceModel('cloudwatch');

describe('Smithy RPC v2 CBOR', () => {
  it('finds the service and operation in the path', () => {
    expect(splitRpcPath('/service/GraniteServiceVersion20100801/operation/PutMetricData')).toEqual({
      serviceName: 'GraniteServiceVersion20100801',
      operation: 'PutMetricData',
    });
    expect(splitRpcPath('/prefix/service/S/operation/Op')).toEqual({ serviceName: 'S', operation: 'Op' });
    expect(splitRpcPath('/')).toBeUndefined();
  });

  it('decodes timestamps to epoch seconds and bytes to base64, as the JSON protocols carry them', () => {
    const body = Buffer.from(cbor.serialize({ StartTime: dateToTag(new Date(1_796_572_800_500)), Blob: new Uint8Array([1, 2]), N: 2.5, L: [1] }));
    expect(decodeCborBody(body)).toEqual({ StartTime: 1_796_572_800.5, Blob: 'AQI=', N: 2.5, L: [1] });
    expect(decodeCborBody(Buffer.alloc(0))).toEqual({});
  });

  it('refuses bytes that are not CBOR', () => {
    expect(() => decodeCborBody(Buffer.from([0xff, 0xff, 0x1c]))).toThrow(AwsError);
  });

  it('encodes output timestamps as tag 1 and has no body for an operation without output', () => {
    const bytes = encodeCborOutput(cloudwatch, 'GetMetricData', {
      MetricDataResults: [{ Id: 'm1', Timestamps: [1_796_572_800], Values: [1.5], StatusCode: 'Complete' }],
    })!;
    const decoded = cbor.deserialize(bytes) as { MetricDataResults: Array<{ Timestamps: Array<{ tag: number; value: number }> }> };
    expect(decoded.MetricDataResults[0]!.Timestamps[0]).toMatchObject({ tag: 1, value: 1_796_572_800 });
    expect(encodeCborOutput(cloudwatch, 'PutMetricData', {})).toBeUndefined();
  });

  it('writes errors with __type and message', () => {
    expect(cbor.deserialize(cborErrorBody(new AwsError('InvalidParameterValueException', 'bad')))).toEqual({
      __type: 'InvalidParameterValueException',
      message: 'bad',
    });
  });
});
