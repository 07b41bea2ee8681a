import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../aws-model/service-model.js';
import { decodeQueryInput, queryErrorCode, queryResponseXml } from './query-protocol.js';
import type { AwsService } from './service.js';

const cloudwatch = loadServiceModel('cloudwatch');
const service = { signingName: 'monitoring', model: cloudwatch } as AwsService;

describe('the Query protocol', () => {
  it('reads nested members, lists and typed scalars the way the Go SDK writes them', () => {
    const params = new URLSearchParams({
      Action: 'PutMetricData',
      Version: '2010-08-01',
      Namespace: 'App',
      'MetricData.member.1.MetricName': 'Latency',
      'MetricData.member.1.Dimensions.member.1.Name': 'Service',
      'MetricData.member.1.Dimensions.member.1.Value': 'web',
      'MetricData.member.1.Timestamp': '2026-12-06T10:00:00Z',
      'MetricData.member.1.Values.member.2': '2.5',
      'MetricData.member.1.Values.member.1': '1',
      'MetricData.member.1.Counts.member.1': '3',
      'MetricData.member.1.Counts.member.2': '1',
      'MetricData.member.1.StorageResolution': '1',
      'MetricData.member.2.MetricName': 'Errors',
      'MetricData.member.2.Value': '0',
      'X-Amz-Date': '20261206T100000Z',
      Unmodelled: 'ignored',
    });
    expect(decodeQueryInput(cloudwatch, 'PutMetricData', params)).toEqual({
      Namespace: 'App',
      MetricData: [
        {
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Service', Value: 'web' }],
          Timestamp: Date.parse('2026-12-06T10:00:00Z') / 1000,
          Values: [1, 2.5],
          Counts: [3, 1],
          StorageResolution: 1,
        },
        { MetricName: 'Errors', Value: 0 },
      ],
    });
  });

  it('keeps text that does not read as its type, for validation to refuse', () => {
    const params = new URLSearchParams({ Namespace: 'App', 'MetricData.member.1.MetricName': 'm', 'MetricData.member.1.Value': 'lots' });
    expect(decodeQueryInput(cloudwatch, 'PutMetricData', params)).toEqual({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 'lots' }] });
  });

  it('writes results from the output shape: wrapper, members, maps and ISO 8601 timestamps', () => {
    const xml = queryResponseXml(
      service,
      'GetMetricStatistics',
      { Label: 'L<1>', Datapoints: [{ Timestamp: 1796572800, Sum: 3, Unit: 'Count', ExtendedStatistics: { p99: 2 } }] },
      'req-1',
    );
    expect(xml).toBe(
      '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>' +
        '<Label>L&lt;1&gt;</Label><Datapoints><member><Timestamp>2026-12-06T16:00:00.000Z</Timestamp><Sum>3</Sum><Unit>Count</Unit>' +
        '<ExtendedStatistics><entry><key>p99</key><value>2</value></entry></ExtendedStatistics></member></Datapoints>' +
        '</GetMetricStatisticsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetMetricStatisticsResponse>',
    );
  });

  it('answers an operation without output with the metadata only', () => {
    expect(queryResponseXml(service, 'PutMetricData', {}, 'r')).toBe(
      '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>',
    );
  });

  it('names errors by their Query codes', () => {
    expect(queryErrorCode(cloudwatch, 'InvalidParameterValueException')).toBe('InvalidParameterValue');
    expect(queryErrorCode(cloudwatch, 'MissingRequiredParameterException')).toBe('MissingParameter');
    expect(queryErrorCode(cloudwatch, 'ValidationError')).toBe('ValidationError');
  });
});
