import type {
  FilterLogEventsRequest,
  GetLogEventsRequest,
  PutLogEventsRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogService } from '../../logstore/log-service.js';
import type { OperationHandler } from '../../server/service.js';
import { groupOf } from './identifiers.js';

/** Handlers of PutLogEvents, GetLogEvents and FilterLogEvents. */
export function logEventHandlers(logs: LogService): Record<string, OperationHandler> {
  return {
    // The sequence token is accepted and ignored, as AWS does since January 2023.
    async PutLogEvents(input: PutLogEventsRequest, { scope }) {
      const events = (input.logEvents ?? []).map((e) => ({ timestamp: e.timestamp!, message: e.message! }));
      const result = await logs.putEvents(scope, input.logGroupName!, input.logStreamName!, events);
      return {
        nextSequenceToken: result.nextSequenceToken,
        ...(result.rejected && { rejectedLogEventsInfo: result.rejected }),
      };
    },
    async GetLogEvents(input: GetLogEventsRequest, { scope }) {
      const result = await logs.getEvents(scope, {
        groupName: groupOf(scope, input),
        streamName: input.logStreamName!,
        ...(input.startTime !== undefined && { startTime: input.startTime }),
        ...(input.endTime !== undefined && { endTime: input.endTime }),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
        ...(input.limit !== undefined && { limit: input.limit }),
        ...(input.startFromHead !== undefined && { startFromHead: input.startFromHead }),
      });
      return {
        events: result.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: result.nextForwardToken,
        nextBackwardToken: result.nextBackwardToken,
      };
    },
    // `interleaved` is deprecated and ignored: results are always interleaved across streams.
    async FilterLogEvents(input: FilterLogEventsRequest, { scope }) {
      const result = await logs.filterEvents(scope, {
        groupName: groupOf(scope, input),
        ...(input.logStreamNames !== undefined && { streamNames: input.logStreamNames }),
        ...(input.logStreamNamePrefix !== undefined && { streamPrefix: input.logStreamNamePrefix }),
        ...(input.startTime !== undefined && { startTime: input.startTime }),
        ...(input.endTime !== undefined && { endTime: input.endTime }),
        ...(input.filterPattern !== undefined && { pattern: input.filterPattern }),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
        ...(input.limit !== undefined && { limit: input.limit }),
      });
      return {
        events: result.events.map((e) => ({
          logStreamName: e.streamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: e.eventId,
        })),
        searchedLogStreams: [],
        ...(result.nextToken && { nextToken: result.nextToken }),
      };
    },
  };
}
