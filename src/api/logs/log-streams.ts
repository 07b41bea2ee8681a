import type {
  CreateLogStreamRequest,
  DeleteLogStreamRequest,
  DescribeLogStreamsRequest,
  LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Scope } from '../../lib/scope.js';
import type { LogService } from '../../logstore/log-service.js';
import type { LogStreamRecord } from '../../logstore/log-store.js';
import { streamArn } from '../../logstore/names.js';
import { sequenceToken } from '../../logstore/tokens.js';
import type { OperationHandler } from '../../server/service.js';
import { groupOf } from './identifiers.js';

/**
 * The wire LogStream. Event times are absent until the stream has events, and `storedBytes` is
 * always 0: AWS stopped reporting it for streams in 2019 and documents it as "always zero".
 */
function streamWire(scope: Scope, group: string, stream: LogStreamRecord): LogStream {
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    ...(stream.firstEventAt !== undefined && { firstEventTimestamp: stream.firstEventAt }),
    ...(stream.lastEventAt !== undefined && { lastEventTimestamp: stream.lastEventAt }),
    ...(stream.lastIngestionAt !== undefined && { lastIngestionTime: stream.lastIngestionAt }),
    ...(stream.uploads > 0 && { uploadSequenceToken: sequenceToken(stream.id, stream.uploads) }),
    arn: streamArn(scope, group, stream.name),
    storedBytes: 0,
  };
}

/** Handlers of the log stream operations. */
export function logStreamHandlers(logs: LogService): Record<string, OperationHandler> {
  return {
    async CreateLogStream(input: CreateLogStreamRequest, { scope }) {
      await logs.streams.create(scope, input.logGroupName!, input.logStreamName!);
      return {};
    },
    async DeleteLogStream(input: DeleteLogStreamRequest, { scope }) {
      await logs.streams.delete(scope, input.logGroupName!, input.logStreamName!);
      return {};
    },
    async DescribeLogStreams(input: DescribeLogStreamsRequest, { scope }) {
      const group = groupOf(scope, input);
      const page = await logs.streams.describe(scope, group, {
        ...(input.logStreamNamePrefix !== undefined && { prefix: input.logStreamNamePrefix }),
        ...(input.orderBy !== undefined && { orderBy: input.orderBy }),
        ...(input.descending !== undefined && { descending: input.descending }),
        ...(input.limit !== undefined && { limit: input.limit }),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return {
        logStreams: page.items.map((s) => streamWire(scope, group, s)),
        ...(page.nextToken && { nextToken: page.nextToken }),
      };
    },
  };
}
