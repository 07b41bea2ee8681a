import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  PutLogEventsCommand,
  PutLogGroupDeletionProtectionCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagLogGroupCommand,
  TagResourceCommand,
  TooManyTagsException,
  UntagLogGroupCommand,
  UntagResourceCommand,
  ValidationException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLogsFrontDoor } from './logs-fixture.js';

const fixture = useLogsFrontDoor();
let logs: CloudWatchLogsClient;
beforeAll(() => {
  logs = fixture.client();
});

const ARN = 'arn:aws:logs:us-east-1:000000000000:log-group';

/** The exception a call fails with. */
async function failure(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('log groups through the SDK', () => {
  it('creates a group and describes it as AWS does', async () => {
    const before = Date.now();
    await logs.send(
      new CreateLogGroupCommand({
        logGroupName: '/ecs/web',
        kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/1234',
        tags: { team: 'blue' },
        logGroupClass: 'STANDARD',
      }),
    );
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/web' }));
    expect(logGroups).toEqual([
      {
        logGroupName: '/ecs/web',
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: `${ARN}:/ecs/web:*`,
        storedBytes: 0,
        kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/1234',
        logGroupClass: 'STANDARD',
        logGroupArn: `${ARN}:/ecs/web`,
      },
    ]);
    expect(logGroups![0]!.creationTime).toBeGreaterThanOrEqual(before - 1000);
    // No source account is linked: naming the caller's account finds the group, another account nothing.
    const own = ARN.split(':')[4]!;
    const linked = async (ids: string[]) => (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/web', includeLinkedAccounts: true, accountIdentifiers: ids }))).logGroups!.map((g) => g.logGroupName);
    expect(await linked([own])).toEqual(['/ecs/web']);
    expect(await linked(['111122223333'])).toEqual([]);
    const err = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/web' })));
    expect(err).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(err.message).toBe('The specified log group already exists');
  });

  it('pages through groups with the SDK paginator, and answers briefly for a name pattern', async () => {
    for (const name of ['page/a', 'page/b', 'page/c', 'page/d', 'page/e']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: 'page/' })) {
      pages++;
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
    }
    expect(names).toEqual(['page/a', 'page/b', 'page/c', 'page/d', 'page/e']);
    expect(pages).toBe(3);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'ge/c' }));
    expect(logGroups).toEqual([{ logGroupName: 'page/c', creationTime: expect.any(Number), arn: `${ARN}:page/c:*` }]);
  });

  it('refuses what the model and the API reference refuse', async () => {
    const bad = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    expect(await failure(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).toBeInstanceOf(InvalidParameterException);
    const both = await failure(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    const missing = await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: 'no-such-group' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('The specified log group does not exist.');
  });

  it('sets and removes a retention policy from the allowed periods', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'retained' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 30 }));
    const describe = async () => (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups![0]!;
    expect((await describe()).retentionInDays).toBe(30);
    const err = await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 31 })));
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toMatch(/Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30, 60, .*3653\]$/);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'retained' }));
    expect((await describe()).retentionInDays).toBeUndefined();
  });

  it('protects a group from deletion when asked to', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'protected', deletionProtectionEnabled: true }));
    expect(await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: 'protected' })))).toBeInstanceOf(ValidationException);
    await logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: 'protected', deletionProtectionEnabled: false }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'protected' }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'protected' }))).logGroups).toEqual([]);
  });

  it('tags by ARN and by name', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { a: '1' } }));
    const resourceArn = `${ARN}:tagged`;
    await logs.send(new TagResourceCommand({ resourceArn, tags: { b: '2' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { c: '3' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual({ a: '1', b: '2', c: '3' });
    await logs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['b'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({ c: '3' });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(await failure(logs.send(new TagResourceCommand({ resourceArn, tags: tooMany })))).toBeInstanceOf(TooManyTagsException);
    const elsewhere = await failure(
      logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:eu-west-1:000000000000:log-group:tagged' })),
    );
    expect(elsewhere).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('log streams through the SDK', () => {
  beforeAll(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'streams' }));
    const now = Date.now();
    // b is written last, a first; c gets no events.
    for (const [name, offset] of [['a', 3000], ['d', 2000], ['b', 1000], ['c', undefined]] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: name }));
      if (offset !== undefined) {
        await logs.send(
          new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: name, logEvents: [{ timestamp: now - offset, message: name }] }),
        );
      }
    }
  });

  it('describes streams with their event times and ARNs', async () => {
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'a' }));
    expect(logStreams).toEqual([
      {
        logStreamName: 'a',
        creationTime: expect.any(Number),
        firstEventTimestamp: expect.any(Number),
        lastEventTimestamp: expect.any(Number),
        lastIngestionTime: expect.any(Number),
        uploadSequenceToken: expect.stringMatching(/^\d{56}$/),
        arn: `${ARN}:streams:log-stream:a`,
        storedBytes: 0,
      },
    ]);
    const [c] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'c' }))).logStreams!;
    expect(Object.keys(c!).sort()).toEqual(['arn', 'creationTime', 'logStreamName', 'storedBytes']);
  });

  it('orders by name or last event time and pages with the SDK paginator', async () => {
    const names = async (input: object, pageSize = 50) => {
      const all: string[] = [];
      for await (const page of paginateDescribeLogStreams({ client: logs, pageSize }, { logGroupName: 'streams', ...input })) {
        all.push(...(page.logStreams ?? []).map((s) => s.logStreamName!));
      }
      return all;
    };
    expect(await names({})).toEqual(['a', 'b', 'c', 'd']);
    expect(await names({ descending: true }, 3)).toEqual(['d', 'c', 'b', 'a']);
    expect(await names({ orderBy: 'LastEventTime', descending: true }, 1)).toEqual(['b', 'd', 'a', 'c']);
    // By ARN instead of name; the model's pattern for identifiers has no room for a trailing `:*`.
    expect(await names({ logGroupName: undefined, logGroupIdentifier: `${ARN}:streams` })).toEqual(['a', 'b', 'c', 'd']);
    const star = await failure(logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `${ARN}:streams:*` })));
    expect(star).toBeInstanceOf(InvalidParameterException);
  });

  it('refuses a prefix ordered by last event time, and two names for the group', async () => {
    const err = await failure(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'a', orderBy: 'LastEventTime' })),
    );
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const two = await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logGroupIdentifier: 'streams' })));
    expect(two).toBeInstanceOf(InvalidParameterException);
  });

  it('refuses duplicate, badly named and orphan streams, and deletes streams', async () => {
    const dup = await failure(logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a' })));
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe('The specified log stream already exists');
    const colon = await failure(logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a:b' })));
    expect(colon).toBeInstanceOf(InvalidParameterException);
    const orphan = await failure(logs.send(new CreateLogStreamCommand({ logGroupName: 'nope', logStreamName: 'a' })));
    expect(orphan).toBeInstanceOf(ResourceNotFoundException);
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'gone' }));
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'gone' }));
    const again = await failure(logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'gone' })));
    expect(again.message).toBe('The specified log stream does not exist.');
  });
});
