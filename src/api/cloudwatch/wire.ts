/**
 * The request shapes of CloudWatch's metric operations as the handlers receive them: validated
 * against the model, with timestamps as epoch seconds whatever protocol carried them (the
 * protocol codecs normalise them). Written here rather than taken from `@aws-sdk/client-cloudwatch`,
 * whose types speak of Date objects.
 */

/** A dimension. */
export interface WireDimension {
  Name: string;
  Value: string;
}

/** PutMetricData's input. */
export interface PutMetricDataInput {
  Namespace: string;
  MetricData?: Array<{
    MetricName: string;
    Dimensions?: WireDimension[];
    Timestamp?: number;
    Value?: number;
    StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
    Values?: number[];
    Counts?: number[];
    Unit?: string;
    StorageResolution?: number;
  }>;
  EntityMetricData?: unknown[];
  StrictEntityValidation?: boolean;
}

/** GetMetricStatistics' input. */
export interface GetMetricStatisticsInput {
  Namespace: string;
  MetricName: string;
  Dimensions?: WireDimension[];
  StartTime: number;
  EndTime: number;
  Period: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

/** ListMetrics' input. */
export interface ListMetricsInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value?: string }>;
  NextToken?: string;
  RecentlyActive?: string;
  IncludeLinkedAccounts?: boolean;
  OwningAccount?: string;
}

/** GetMetricData's input. */
export interface GetMetricDataInput {
  MetricDataQueries: unknown[];
  StartTime: number;
  EndTime: number;
  NextToken?: string;
  ScanBy?: string;
  MaxDatapoints?: number;
  LabelOptions?: { Timezone?: string };
}
