import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  HierarchyLevelLimitExceededException,
  InvalidFilterKey,
  InvalidResourceId,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  ParameterAlreadyExists,
  ParameterMaxVersionLimitExceeded,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionLabelLimitExceeded,
  ParameterVersionNotFound,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  UnlabelParameterVersionCommand,
  type DescribeParametersCommandInput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startSecretsFixture, type SecretsFixture } from './fixture.js';

let fixture: SecretsFixture;
let ssm: SSMClient;
beforeAll(async () => {
  fixture = await startSecretsFixture();
  ssm = fixture.ssm();
});
afterAll(() => fixture.close());


describe('PutParameter and GetParameter', () => {
  it('creates versions with Overwrite only, and reads by name, ARN, version and label', async () => {
    const created = await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://a', Type: 'String', Description: 'the url' }));
    expect(created).toMatchObject({ Version: 1, Tier: 'Standard' });
    const exists = await failure(ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://b', Type: 'String' })));
    expect(exists).toBeInstanceOf(ParameterAlreadyExists);
    expect(exists.message).toBe('The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    // Overwrite keeps the type when it is not given.
    expect((await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://b', Overwrite: true }))).Version).toBe(2);
    const latest = (await ssm.send(new GetParameterCommand({ Name: '/app/url' }))).Parameter!;
    expect(latest).toMatchObject({ Name: '/app/url', Type: 'String', Value: 'http://b', Version: 2, DataType: 'text', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/url' });
    expect(latest.LastModifiedDate).toBeInstanceOf(Date);
    expect((await ssm.send(new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/url' }))).Parameter?.Value).toBe('http://b');
    const v1 = (await ssm.send(new GetParameterCommand({ Name: '/app/url:1' }))).Parameter!;
    expect(v1).toMatchObject({ Value: 'http://a', Version: 1, Selector: ':1', Name: '/app/url' });
    await ssm.send(new LabelParameterVersionCommand({ Name: '/app/url', ParameterVersion: 1, Labels: ['stable'] }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/url:stable' }))).Parameter).toMatchObject({ Value: 'http://a', Selector: ':stable' });
    const noVersion = await failure(ssm.send(new GetParameterCommand({ Name: '/app/url:9' })));
    expect(noVersion).toBeInstanceOf(ParameterVersionNotFound);
    expect(noVersion.message).toBe('Systems Manager could not find version 9 of /app/url. Verify the version and try again.');
    const missing = await failure(ssm.send(new GetParameterCommand({ Name: '/app/none' })));
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect(missing.message).toBe('Parameter /app/none not found.');
    await expect(ssm.send(new GetParameterCommand({ Name: '/app/url:1:2' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('returns a SecureString as its encrypted blob unless decryption is asked for', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/db/password', Value: 'hunter2', Type: 'SecureString' }));
    const opaque = (await ssm.send(new GetParameterCommand({ Name: '/app/db/password' }))).Parameter!;
    expect(opaque.Value).not.toContain('hunter2');
    expect(Buffer.from(opaque.Value!, 'base64').toString('base64')).toBe(opaque.Value);
    expect(Buffer.from(opaque.Value!, 'base64').includes(Buffer.from('hunter2'))).toBe(false);
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/db/password', WithDecryption: true }))).Parameter?.Value).toBe('hunter2');
    const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/db/password'] }] }));
    expect(described.Parameters?.[0]).toMatchObject({ Type: 'SecureString', KeyId: 'alias/aws/ssm' });
    const custom = await ssm.send(new PutParameterCommand({ Name: '/app/db/key', Value: 'k', Type: 'SecureString', KeyId: 'alias/mine' }));
    expect(custom.Version).toBe(1);
    const keyOnString = await failure(ssm.send(new PutParameterCommand({ Name: '/app/db/plain', Value: 'k', Type: 'String', KeyId: 'alias/mine' })));
    expect(keyOnString.message).toBe('KeyId is required for SecureString type parameter only.');
  });

  it('treats a one-level name with or without its slash as one parameter (verified against AWS)', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'flat', Value: 'v', Type: 'String' }));
    const bySlash = (await ssm.send(new GetParameterCommand({ Name: '/flat' }))).Parameter!;
    expect(bySlash).toMatchObject({ Name: 'flat', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/flat' });
    await expect(ssm.send(new PutParameterCommand({ Name: '/flat', Value: 'w', Type: 'String' }))).rejects.toBeInstanceOf(ParameterAlreadyExists);
  });

  it('enforces names, types, data types, patterns, tiers and the tags-with-overwrite rule, with AWS texts', async () => {
    const cases: Array<[Record<string, unknown>, string, string | RegExp]> = [
      [{ Name: 'ssm_x', Value: 'v', Type: 'String' }, 'ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'],
      [{ Name: '/aws/x/y', Value: 'v', Type: 'String' }, 'AccessDeniedException', 'No access to reserved parameter name: /aws/x/y.'],
      [{ Name: 'no/slash', Value: 'v', Type: 'String' }, 'ValidationException', /^Parameter name: can't be prefixed with "ssm".*3 symbols \.-_$/],
      [{ Name: '/t', Value: 'v' }, 'ValidationException', 'A parameter type is required when you create a parameter.'],
      [{ Name: '/t', Value: 'v', Type: 'str' }, 'ValidationException', /Member must satisfy enum value set: \[String, StringList, SecureString\]$/],
      [{ Name: '/t', Value: 'v', Type: 'String', DataType: 'Text' }, 'ValidationException', 'The following data type is not supported: Text (Data type names are all lowercase.)'],
      [{ Name: '/t', Value: '', Type: 'String' }, 'ValidationException', /at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1/],
      [{ Name: '/t', Value: 'x'.repeat(4097), Type: 'String' }, 'ValidationException', /^Standard tier parameters support a maximum parameter value of 4096 characters/],
      [{ Name: '/t', Value: 'v', Type: 'String', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }, 'ValidationException', /^Invalid request: tags and overwrite can't be used together/],
    ];
    for (const [input, name, message] of cases) {
      const err = await failure(ssm.send(new PutParameterCommand(input as never)));
      expect(err.name, JSON.stringify(input).slice(0, 80)).toBe(name);
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
    }
    const deep = await failure(ssm.send(new PutParameterCommand({ Name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, Value: 'v', Type: 'String' })));
    expect(deep).toBeInstanceOf(HierarchyLevelLimitExceededException);
    const pattern = await failure(ssm.send(new PutParameterCommand({ Name: '/pin', Value: '10000', Type: 'String', AllowedPattern: '\\d{1,4}' })));
    expect(pattern).toBeInstanceOf(ParameterPatternMismatchException);
    expect(pattern.message).toBe('Parameter value, cannot be validated against allowedPattern: \\d{1,4}');
    expect((await ssm.send(new PutParameterCommand({ Name: '/pin', Value: '1234', Type: 'String', AllowedPattern: '\\d{1,4}' }))).Version).toBe(1);
    // The pattern stays with the parameter.
    await expect(ssm.send(new PutParameterCommand({ Name: '/pin', Value: 'abc', Overwrite: true }))).rejects.toBeInstanceOf(ParameterPatternMismatchException);
  });

  it('stores tiers: Advanced up to 8 KB, Intelligent-Tiering by size, no downgrade', async () => {
    const big = 'y'.repeat(5000);
    expect((await ssm.send(new PutParameterCommand({ Name: '/tier/big', Value: big, Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier).toBe('Advanced');
    expect((await ssm.send(new PutParameterCommand({ Name: '/tier/small', Value: 's', Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier).toBe('Standard');
    expect((await ssm.send(new PutParameterCommand({ Name: '/tier/adv', Value: 's', Type: 'String', Tier: 'Advanced', DataType: 'aws:ec2:image' }))).Tier).toBe('Advanced');
    const down = await failure(ssm.send(new PutParameterCommand({ Name: '/tier/adv', Value: 't', Overwrite: true, Tier: 'Standard' })));
    expect(down.message).toMatch(/^This parameter uses the advanced-parameter tier\. You can't downgrade/);
    const policy = '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-01-01T00:00:00.000Z"}}]';
    expect((await ssm.send(new PutParameterCommand({ Name: '/policy/p', Value: 'p', Type: 'String', Tier: 'Intelligent-Tiering', Policies: policy }))).Tier).toBe(
      'Advanced',
    );
    const withPolicy = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/policy/p'] }] }));
    expect(withPolicy.Parameters?.[0]?.Policies).toEqual([{ PolicyText: JSON.stringify(JSON.parse(policy)[0]), PolicyType: 'Expiration', PolicyStatus: 'Pending' }]);
    const meta = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: ['/tier'] }] }));
    expect(meta.Parameters?.map((p) => [p.Name, p.Tier, p.DataType])).toEqual([
      ['/tier/adv', 'Advanced', 'aws:ec2:image'],
      ['/tier/big', 'Advanced', 'text'],
      ['/tier/small', 'Standard', 'text'],
    ]);
  });

  it('keeps 100 versions: the oldest goes, unless it carries a label', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/versions', Value: 'v1', Type: 'String' }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/versions', ParameterVersion: 1, Labels: ['first'] }));
    for (let i = 2; i <= 100; i++) await ssm.send(new PutParameterCommand({ Name: '/versions', Value: `v${i}`, Overwrite: true }));
    const blocked = await failure(ssm.send(new PutParameterCommand({ Name: '/versions', Value: 'v101', Overwrite: true })));
    expect(blocked).toBeInstanceOf(ParameterMaxVersionLimitExceeded);
    expect(blocked.message).toMatch(/Version 1, the oldest version, can't be deleted because it has a label associated with it/);
    await ssm.send(new UnlabelParameterVersionCommand({ Name: '/versions', ParameterVersion: 1, Labels: ['first'] }));
    expect((await ssm.send(new PutParameterCommand({ Name: '/versions', Value: 'v101', Overwrite: true }))).Version).toBe(101);
    await expect(ssm.send(new GetParameterCommand({ Name: '/versions:1' }))).rejects.toBeInstanceOf(ParameterVersionNotFound);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/versions' }));
    expect(history.Parameters).toHaveLength(50);
    expect(history.Parameters?.[0]?.Version).toBe(2);
    const more = await ssm.send(new GetParameterHistoryCommand({ Name: '/versions', NextToken: history.NextToken! }));
    expect(more.Parameters?.map((p) => p.Version).at(-1)).toBe(101);
    expect(more.NextToken).toBeUndefined();
  });
});

describe('GetParameters, GetParametersByPath, DeleteParameter(s)', () => {
  it('gets up to 10 names at once and lists the invalid ones', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/many/a', Value: 'A', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/many/b', Value: 'B', Type: 'SecureString' }));
    const got = await ssm.send(new GetParametersCommand({ Names: ['/many/a', '/many/b', '/many/zz', '/many/a:7'], WithDecryption: true }));
    expect(got.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/many/a', 'A'],
      ['/many/b', 'B'],
    ]);
    expect(got.InvalidParameters).toEqual(['/many/zz', '/many/a:7']);
    const tooMany = await failure(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `p${i}`) })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toMatch(/at 'names' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  });

  it('lists a hierarchy one level or recursively, with filters and pages', async () => {
    const put = (Name: string, Type: 'String' | 'SecureString' = 'String') => ssm.send(new PutParameterCommand({ Name, Value: `val${Name}`, Type }));
    await put('/svc/a');
    await put('/svc/b', 'SecureString');
    await put('/svc/deep/c');
    await put('/svc/deep/er/d', 'SecureString');
    await put('/svcx/e');
    const one = await ssm.send(new GetParametersByPathCommand({ Path: '/svc' }));
    expect(one.Parameters?.map((p) => p.Name)).toEqual(['/svc/a', '/svc/b']);
    const all = await ssm.send(new GetParametersByPathCommand({ Path: '/svc/', Recursive: true, WithDecryption: true }));
    expect(all.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/svc/a', 'val/svc/a'],
      ['/svc/b', 'val/svc/b'],
      ['/svc/deep/c', 'val/svc/deep/c'],
      ['/svc/deep/er/d', 'val/svc/deep/er/d'],
    ]);
    const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/svc', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }));
    expect(secure.Parameters?.map((p) => p.Name)).toEqual(['/svc/b', '/svc/deep/er/d']);
    expect(secure.Parameters?.[0]?.Value).not.toBe('val/svc/b');
    const page = await ssm.send(new GetParametersByPathCommand({ Path: '/svc', Recursive: true, MaxResults: 3 }));
    expect(page.Parameters).toHaveLength(3);
    const rest = await ssm.send(new GetParametersByPathCommand({ Path: '/svc', Recursive: true, MaxResults: 3, NextToken: page.NextToken! }));
    expect(rest.Parameters?.map((p) => p.Name)).toEqual(['/svc/deep/er/d']);
    expect(rest.NextToken).toBeUndefined();
    const badKey = await failure(ssm.send(new GetParametersByPathCommand({ Path: '/svc', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })));
    expect(badKey).toBeInstanceOf(InvalidFilterKey);
    expect(badKey.message).toBe('The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].');
    const badPath = await failure(ssm.send(new GetParametersByPathCommand({ Path: 'svc' })));
    expect(badPath.name).toBe('ValidationException');
    expect(badPath.message).toMatch(/^The parameter doesn't meet the parameter name requirements/);
    const tooBig = await failure(ssm.send(new GetParametersByPathCommand({ Path: '/svc', MaxResults: 11 })));
    expect(tooBig.message).toBe("1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
  });

  it('lists the labeled versions with a Label filter', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/lab/x', Value: 'old', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/lab/x', Value: 'new', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: '/lab/y', Value: 'y', Type: 'String' }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/lab/x', ParameterVersion: 1, Labels: ['prod'] }));
    const labeled = await ssm.send(new GetParametersByPathCommand({ Path: '/lab', ParameterFilters: [{ Key: 'Label', Values: ['prod'] }] }));
    expect(labeled.Parameters?.map((p) => [p.Name, p.Value, p.Version])).toEqual([['/lab/x', 'old', 1]]);
  });

  it('deletes one parameter or several, reporting the names it did not find', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/del/a', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/del/b', Value: 'b', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/del/c', Value: 'c', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/del/a' }));
    const again = await failure(ssm.send(new DeleteParameterCommand({ Name: '/del/a' })));
    expect(again).toBeInstanceOf(ParameterNotFound);
    const many = await ssm.send(new DeleteParametersCommand({ Names: ['/del/b', '/del/a', '/del/c'] }));
    expect(many).toMatchObject({ DeletedParameters: ['/del/b', '/del/c'], InvalidParameters: ['/del/a'] });
    // Re-created, the parameter starts again at version 1.
    expect((await ssm.send(new PutParameterCommand({ Name: '/del/b', Value: 'b2', Type: 'String' }))).Version).toBe(1);
  });
});

describe('DescribeParameters, GetParameterHistory', () => {
  it('describes metadata with Filters or ParameterFilters, never values', async () => {
    const region = fixture.ssm('eu-central-1');
    await region.send(new PutParameterCommand({ Name: '/d/one', Value: 'secret-one', Type: 'SecureString', Description: 'first', Tags: [{ Key: 'team', Value: 'red' }] }));
    await region.send(new PutParameterCommand({ Name: '/d/two', Value: 'two', Type: 'String', AllowedPattern: '.*' }));
    await region.send(new PutParameterCommand({ Name: '/d/sub/three', Value: 'three', Type: 'StringList' }));
    await region.send(new PutParameterCommand({ Name: 'top', Value: 'top', Type: 'String' }));
    const everything = await region.send(new DescribeParametersCommand({ MaxResults: 50 }));
    expect(everything.Parameters?.map((p) => p.Name)).toEqual(['/d/one', '/d/sub/three', '/d/two', 'top']);
    expect(JSON.stringify(everything)).not.toMatch(/secret-one|"Value"/);
    expect(everything.Parameters?.[0]).toMatchObject({
      Description: 'first',
      Version: 1,
      Tier: 'Standard',
      LastModifiedUser: 'arn:aws:iam::000000000000:root',
      ARN: 'arn:aws:ssm:eu-central-1:000000000000:parameter/d/one',
    });
    const names = async (input: DescribeParametersCommandInput) =>
      (await region.send(new DescribeParametersCommand(input))).Parameters?.map((p) => p.Name);
    expect(await names({ Filters: [{ Key: 'Name', Values: ['/d/'] }] })).toEqual(['/d/one', '/d/sub/three', '/d/two']);
    expect(await names({ Filters: [{ Key: 'Type', Values: ['StringList'] }] })).toEqual(['/d/sub/three']);
    expect(await names({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/d'] }, { Key: 'Type', Values: ['String', 'StringList'] }] })).toEqual([
      '/d/sub/three',
      '/d/two',
    ]);
    expect(await names({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['o'] }] })).toEqual(['/d/one', '/d/two', 'top']);
    expect(await names({ ParameterFilters: [{ Key: 'tag:team', Values: ['red'] }] })).toEqual(['/d/one']);
    expect(await names({ ParameterFilters: [{ Key: 'KeyId', Values: ['alias/aws/ssm'] }] })).toEqual(['/d/one']);
    expect(await names({ ParameterFilters: [{ Key: 'Path', Values: ['/'] }] })).toEqual(['top']);
    const page = await region.send(new DescribeParametersCommand({ MaxResults: 3 }));
    expect((await region.send(new DescribeParametersCommand({ MaxResults: 3, NextToken: page.NextToken! }))).Parameters?.map((p) => p.Name)).toEqual(['top']);
    // No parameter is shared with this account (there is no resource sharing): Shared lists none, without a token.
    const shared = await region.send(new DescribeParametersCommand({ Shared: true, MaxResults: 3 }));
    expect([shared.Parameters, shared.NextToken]).toEqual([[], undefined]);
    expect(await names({ Shared: false, ParameterFilters: [{ Key: 'Path', Values: ['/'] }] })).toEqual(['top']);
    const both = await failure(region.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })));
    expect(both.message).toBe('You can use either Filters or ParameterFilters in a single request.');
    const badToken = await failure(region.send(new DescribeParametersCommand({ NextToken: 'nope' })));
    expect(badToken.name).toBe('InvalidNextToken');
  });

  it('gives the history of every version with its labels, decrypted on request', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/hist', Value: 's1', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/hist', Value: 's2', Overwrite: true, Description: 'second' }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/hist', Labels: ['latest'] }));
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist' }));
    expect(hidden.Parameters?.map((p) => p.Value)).not.toContain('s1');
    const shown = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist', WithDecryption: true }));
    expect(shown.Parameters?.map((p) => [p.Version, p.Value, p.Labels, p.Description])).toEqual([
      [1, 's1', [], undefined],
      [2, 's2', ['latest'], 'second'],
    ]);
    await expect(ssm.send(new GetParameterHistoryCommand({ Name: '/nope' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });
});

describe('LabelParameterVersion, UnlabelParameterVersion, tags', () => {
  it('labels versions, moves labels, reports invalid ones and enforces 10 per version', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/labels', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/labels', Value: 'b', Overwrite: true }));
    const first = await ssm.send(new LabelParameterVersionCommand({ Name: '/labels', ParameterVersion: 1, Labels: ['blue', '1bad', 'awsy', 'ok.too', 'bad label'] }));
    expect(first).toMatchObject({ ParameterVersion: 1, InvalidLabels: ['1bad', 'awsy', 'bad label'] });
    // Without a version, the latest; a label moves from the version that held it.
    expect((await ssm.send(new LabelParameterVersionCommand({ Name: '/labels', Labels: ['blue'] }))).ParameterVersion).toBe(2);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/labels' }));
    expect(history.Parameters?.map((p) => p.Labels)).toEqual([['ok.too'], ['blue']]);
    const ten = Array.from({ length: 9 }, (_, i) => `l${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/labels', ParameterVersion: 2, Labels: ten }));
    const over = await failure(ssm.send(new LabelParameterVersionCommand({ Name: '/labels', ParameterVersion: 2, Labels: ['eleven'] })));
    expect(over).toBeInstanceOf(ParameterVersionLabelLimitExceeded);
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: '/labels', ParameterVersion: 5, Labels: ['x'] }))).rejects.toBeInstanceOf(
      ParameterVersionNotFound,
    );
    const removed = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/labels', ParameterVersion: 2, Labels: ['blue', 'ok.too'] }));
    expect(removed).toMatchObject({ RemovedLabels: ['blue'], InvalidLabels: ['ok.too'] });
    await expect(ssm.send(new UnlabelParameterVersionCommand({ Name: '/nope', ParameterVersion: 1, Labels: ['x'] }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('tags parameters, by name with or without the slash of a one-level name', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'tagme', Value: 'v', Type: 'String', Tags: [{ Key: 'a', Value: '1' }] }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tagme', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagme' }))).TagList).toEqual([
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagme', TagKeys: ['a'] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: 'tagme' }))).TagList).toEqual([{ Key: 'b', Value: '2' }]);
    await expect(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/none' }))).rejects.toBeInstanceOf(InvalidResourceId);
    await expect(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'doc' }))).rejects.toBeInstanceOf(InvalidResourceId);
  });
});
