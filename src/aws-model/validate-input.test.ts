import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadServiceModel, type ServiceModel, type ShapeModel } from './service-model.js';
import { arbitraryOf } from '../../test/support/model-arbitrary.js';
import { QUOTED_VALUE_LIMIT } from './truncate-value.js';
import { MAX_INPUT_DEPTH } from './input-checks.js';
import { validateInput } from './validate-input.js';

const ecs = loadServiceModel('ecs');
const sts = loadServiceModel('sts');

const PREFIX = '1 validation error detected: ';

describe('validateInput on ECS operations', () => {
  it('accepts a valid CreateCluster body, unknown and null members included', () => {
    expect(validateInput(ecs, 'CreateCluster', {})).toBeUndefined();
    expect(
      validateInput(ecs, 'CreateCluster', {
        clusterName: 'web',
        tags: [{ key: 'team', value: 'core' }, { key: 'ключ 1', value: '' }],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }],
        configuration: null,
        somethingNew: { anything: [1, 'x'] },
      }),
    ).toBeUndefined();
  });

  it('refuses a clusterName of the wrong JSON type as a serialization problem', () => {
    const cases: Array<[unknown, string]> = [
      [5, 'NUMBER_VALUE can not be converted to a String'],
      [true, 'TRUE_VALUE can not be converted to a String'],
      [false, 'FALSE_VALUE can not be converted to a String'],
      [{ name: 'x' }, 'Start of structure or map found where not expected.'],
      [['x'], 'Start of list found where not expected'],
    ];
    for (const [clusterName, message] of cases) {
      expect(validateInput(ecs, 'CreateCluster', { clusterName })).toEqual({
        kind: 'serialization',
        message,
        path: 'clusterName',
      });
    }
  });

  it('refuses a tag key that is too long or off-pattern, at the tag', () => {
    const key = 'k'.repeat(129);
    expect(validateInput(ecs, 'CreateCluster', { tags: [{ key: 'ok', value: 'v' }, { key, value: 'v' }] })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '${key}' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
      path: 'tags[1].key',
    });
    expect(validateInput(ecs, 'CreateCluster', { tags: [{ key: '', value: 'v' }] })).toMatchObject({
      kind: 'constraint',
      message: `${PREFIX}Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    });
    expect(validateInput(ecs, 'CreateCluster', { tags: [{ key: 'a#b' }] })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value 'a#b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)`,
      path: 'tags[0].key',
    });
  });

  it('reports a required member missing in a list element, and a value out of range', () => {
    expect(validateInput(ecs, 'CreateCluster', { defaultCapacityProviderStrategy: [{ weight: 1 }] })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value null at 'defaultCapacityProviderStrategy.1.member.capacityProvider' failed to satisfy constraint: Member must not be null`,
      path: 'defaultCapacityProviderStrategy[0].capacityProvider',
    });
    expect(
      validateInput(ecs, 'CreateCluster', { defaultCapacityProviderStrategy: [{ capacityProvider: 'x', weight: 1001 }] }),
    ).toMatchObject({
      message: `${PREFIX}Value '1001' at 'defaultCapacityProviderStrategy.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 1000`,
      path: 'defaultCapacityProviderStrategy[0].weight',
    });
    expect(
      validateInput(ecs, 'CreateCluster', { defaultCapacityProviderStrategy: [{ capacityProvider: 'x', base: -1 }] })?.message,
    ).toContain('Member must have value greater than or equal to 0');
  });

  it('reports a list over its size limit', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(validateInput(ecs, 'CreateCluster', { tags })).toEqual({
      kind: 'constraint',
      // A list of structures has no value AWS would print.
      message: `${PREFIX}Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
      path: 'tags',
    });
  });

  it('reports a serialization problem before any constraint problem', () => {
    const body = { clusterName: 'web', tags: [{ key: 'k'.repeat(200) }], defaultCapacityProviderStrategy: [{ base: 'x' }] };
    expect(validateInput(ecs, 'CreateCluster', body)).toEqual({
      kind: 'serialization',
      message: 'STRING_VALUE can not be converted to an Integer',
      path: 'defaultCapacityProviderStrategy[0].base',
    });
  });

  it('refuses ListClusters maxResults that is not an integer', () => {
    expect(validateInput(ecs, 'ListClusters', { maxResults: 10 })).toBeUndefined();
    expect(validateInput(ecs, 'ListClusters', { maxResults: '10' })).toEqual({
      kind: 'serialization',
      message: 'STRING_VALUE can not be converted to an Integer',
      path: 'maxResults',
    });
    expect(validateInput(ecs, 'ListClusters', { maxResults: true })).toMatchObject({
      message: 'TRUE_VALUE can not be converted to an Integer',
    });
    expect(validateInput(ecs, 'ListClusters', { maxResults: 1.5 })).toMatchObject({ kind: 'serialization' });
    expect(validateInput(ecs, 'ListClusters', { maxResults: 2 ** 31 })).toMatchObject({ kind: 'serialization' });
  });

  it('refuses an unknown port mapping protocol with the path to it', () => {
    const body = {
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx', portMappings: [{ containerPort: 80, protocol: 'sctp' }] }],
    };
    expect(validateInput(ecs, 'RegisterTaskDefinition', body)).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value 'sctp' at 'containerDefinitions.1.member.portMappings.1.member.protocol' failed to satisfy constraint: Member must satisfy enum value set: [tcp, udp]`,
      path: 'containerDefinitions[0].portMappings[0].protocol',
    });
    body.containerDefinitions[0]!.portMappings[0]!.protocol = 'udp';
    expect(validateInput(ecs, 'RegisterTaskDefinition', body)).toBeUndefined();
  });

  it('refuses RegisterTaskDefinition without family, or with family null', () => {
    const expected = {
      kind: 'constraint',
      message: `${PREFIX}Value null at 'family' failed to satisfy constraint: Member must not be null`,
      path: 'family',
    };
    expect(validateInput(ecs, 'RegisterTaskDefinition', { containerDefinitions: [] })).toEqual(expected);
    expect(validateInput(ecs, 'RegisterTaskDefinition', { family: null, containerDefinitions: [] })).toEqual(expected);
  });

  it('reports a bad element of a list of enums at the list, as AWS does', () => {
    const body = { family: 'web', containerDefinitions: [], requiresCompatibilities: ['FARGATE', 'LAMBDA'] };
    expect(validateInput(ecs, 'RegisterTaskDefinition', body)).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '[FARGATE, LAMBDA]' at 'requiresCompatibilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]]`,
      path: 'requiresCompatibilities[1]',
    });
  });

  it('checks map values and nested booleans by type', () => {
    const body = (container: object): object => ({ family: 'web', containerDefinitions: [container] });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ dockerLabels: { 'a.b': 1 } }))).toEqual({
      kind: 'serialization',
      message: 'NUMBER_VALUE can not be converted to a String',
      path: 'containerDefinitions[0].dockerLabels["a.b"]',
    });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ dockerLabels: ['a'] }))).toMatchObject({
      message: 'Start of list found where not expected',
    });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ essential: 'yes' }))).toEqual({
      kind: 'serialization',
      message: 'STRING_VALUE can not be converted to an Boolean',
      path: 'containerDefinitions[0].essential',
    });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ portMappings: { containerPort: 80 } }))).toMatchObject({
      message: 'Start of structure or map found where not expected.',
      path: 'containerDefinitions[0].portMappings',
    });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ portMappings: 'tcp/80' }))).toMatchObject({
      message: 'Expected list or null',
    });
    expect(validateInput(ecs, 'RegisterTaskDefinition', body({ logConfiguration: 'awslogs' }))).toMatchObject({
      message: 'Expected null',
      path: 'containerDefinitions[0].logConfiguration',
    });
  });

  it('refuses PutAccountSetting with a setting name outside the enum', () => {
    const problem = validateInput(ecs, 'PutAccountSetting', { name: 'serviceLongArn', value: 'enabled' });
    expect(problem).toMatchObject({ kind: 'constraint', path: 'name' });
    expect(problem?.message).toMatch(
      /^1 validation error detected: Value 'serviceLongArn' at 'name' failed to satisfy constraint: Member must satisfy enum value set: \[serviceLongArnFormat, taskLongArnFormat, .*\]$/,
    );
    expect(validateInput(ecs, 'PutAccountSetting', { name: 'serviceLongArnFormat', value: 'enabled' })).toBeUndefined();
  });

  it('refuses a body that is not a JSON object, and reads a null body as {}', () => {
    expect(validateInput(ecs, 'ListClusters', [])).toEqual({
      kind: 'serialization',
      message: 'Start of list found where not expected',
      path: '',
    });
    expect(validateInput(ecs, 'ListClusters', 'clusters')).toEqual({ kind: 'serialization', message: 'Expected null', path: '' });
    expect(validateInput(ecs, 'ListClusters', 7)).toMatchObject({ kind: 'serialization' });
    expect(validateInput(ecs, 'ListClusters', null)).toBeUndefined();
    expect(validateInput(ecs, 'PutAccountSetting', null)).toMatchObject({ kind: 'constraint', path: 'name' });
  });

  it('throws for an operation the model does not have', () => {
    expect(() => validateInput(ecs, 'LaunchRockets', {})).toThrow('Unknown operation');
  });
});

describe('validateInput on STS (query protocol, members with capital letters)', () => {
  it('reads numbers sent as form text, and still checks them', () => {
    const base = { RoleArn: 'arn:aws:iam::123456789012:role/app', RoleSessionName: 'session' };
    expect(validateInput(sts, 'AssumeRole', { ...base, DurationSeconds: '3600' })).toBeUndefined();
    expect(validateInput(sts, 'AssumeRole', { ...base, DurationSeconds: '60' })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      path: 'DurationSeconds',
    });
    expect(validateInput(sts, 'AssumeRole', { ...base, DurationSeconds: 'an hour' })).toEqual({
      kind: 'serialization',
      message: 'STRING_VALUE can not be converted to an Integer',
      path: 'DurationSeconds',
    });
    // Form fields of lists (`PolicyArns.member.1.arn`) are not members, so they pass untouched.
    expect(validateInput(sts, 'AssumeRole', { ...base, 'PolicyArns.member.1.arn': 'x' })).toBeUndefined();
  });

  it('checks Java patterns with needless escapes, naming members as AWS does in messages', () => {
    const base = { RoleArn: 'arn:aws:iam::123456789012:role/app', RoleSessionName: 'session' };
    expect(validateInput(sts, 'AssumeRole', base)).toBeUndefined();
    // externalIdType is `[\w+=,.@:\/-]*`: `\/` and `\-` must survive the u flag.
    expect(validateInput(sts, 'AssumeRole', { ...base, ExternalId: 'a:b/c-d' })).toBeUndefined();
    expect(validateInput(sts, 'AssumeRole', { ...base, RoleSessionName: 'my session' })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value 'my session' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      path: 'RoleSessionName',
    });
    expect(validateInput(sts, 'AssumeRole', { ...base, DurationSeconds: 3600 })).toBeUndefined();
    expect(validateInput(sts, 'AssumeRole', { RoleSessionName: 'session' })).toMatchObject({
      message: `${PREFIX}Value null at 'roleArn' failed to satisfy constraint: Member must not be null`,
      path: 'RoleArn',
    });
  });
});

/** A small model with what ECS lacks: sensitive and recursive shapes, map key rules, blobs, times. */
function testModel(): ServiceModel {
  const shapes: Record<string, ShapeModel> = {
    Input: {
      type: 'structure',
      required: ['name'],
      members: {
        name: { shape: 'Name' },
        secret: { shape: 'Secret' },
        tree: { shape: 'Tree' },
        labels: { shape: 'Labels' },
        data: { shape: 'Data' },
        at: { shape: 'Time' },
        ratio: { shape: 'Ratio' },
        count: { shape: 'Count' },
        names: { shape: 'Names' },
        toString: { shape: 'Name' },
        doc: { shape: 'Doc' },
      },
    },
    Name: { type: 'string', min: 2, max: 3 },
    Secret: { type: 'string', max: 4, sensitive: true },
    Tree: { type: 'structure', members: { children: { shape: 'Trees' }, label: { shape: 'Name' } } },
    Trees: { type: 'list', member: { shape: 'Tree' } },
    Labels: { type: 'map', key: { shape: 'LabelKey' }, value: { shape: 'Name' }, max: 2 },
    LabelKey: { type: 'string', pattern: '[a-z]+' },
    Data: { type: 'blob', max: 3 },
    Time: { type: 'timestamp' },
    Ratio: { type: 'double', min: 0, max: 1 },
    Count: { type: 'long', min: 1 },
    Names: { type: 'list', member: { shape: 'Name' }, min: 1 },
    Doc: { type: 'structure', members: {}, document: true },
  };
  return {
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'test', protocol: 'json', serviceId: 'Test' },
    operations: { Op: { name: 'Op', input: { shape: 'Input' } }, NoInput: { name: 'NoInput' } },
    shapes,
  };
}

describe('validateInput on other shapes', () => {
  const model = testModel();
  const ok = { name: 'ab' };

  it('measures string length in code points', () => {
    expect(validateInput(model, 'Op', { name: '𝒜𝒜𝒜' })).toBeUndefined();
    expect(validateInput(model, 'Op', { name: '𝒜' })?.message).toContain('Member must have length greater than or equal to 2');
    expect(validateInput(model, 'Op', { name: '𝒜𝒜𝒜𝒜' })?.message).toContain('Member must have length less than or equal to 3');
  });

  it('does not echo sensitive values', () => {
    expect(validateInput(model, 'Op', { ...ok, secret: 'hunter2' })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 4`,
      path: 'secret',
    });
  });

  it('quotes long values cut to QUOTED_VALUE_LIMIT characters and an ellipsis', () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const cut = `${'x'.repeat(QUOTED_VALUE_LIMIT)}...`;
    expect(validateInput(model, 'Op', { name: long })?.message).toBe(
      `${PREFIX}Value '${cut}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 3`,
    );
    expect(validateInput(model, 'Op', { ...ok, names: [long] })?.message).toContain(`Value '[${'x'.repeat(QUOTED_VALUE_LIMIT - 1)}...' at 'names'`);
    expect(validateInput(model, 'Op', { ...ok, data: `${'A'.repeat(4000)}!` })?.message).toBe(
      `'${'A'.repeat(QUOTED_VALUE_LIMIT)}...' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 4001`,
    );
    const longKey = 'k'.repeat(1000);
    expect(validateInput(model, 'Op', { ...ok, labels: { [longKey]: 'abcd' } })?.message.length).toBeLessThan(700);
  });

  it('walks recursive shapes, and refuses nesting beyond the limit without overflowing', () => {
    const nest = (depth: number, leaf: object): object => {
      let tree: object = leaf;
      for (let i = 0; i < depth; i++) tree = { children: [tree] };
      return tree;
    };
    expect(validateInput(model, 'Op', { ...ok, tree: nest(10, { label: 'abc' }) })).toBeUndefined();
    const deepBad = validateInput(model, 'Op', { ...ok, tree: nest(3, { label: 'a' }) });
    expect(deepBad).toMatchObject({ kind: 'constraint', path: 'tree.children[0].children[0].children[0].label' });
    expect(deepBad?.message).toContain("at 'tree.children.1.member.children.1.member.children.1.member.label'");
    expect(validateInput(model, 'Op', { ...ok, tree: nest(100_000, {}) })).toMatchObject({
      kind: 'serialization',
      message: `Request nesting exceeds the maximum depth of ${MAX_INPUT_DEPTH}`,
    });
  });

  it('checks map keys and values and map size, reporting them at the map', () => {
    expect(validateInput(model, 'Op', { ...ok, labels: { ab: 'cd' } })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, labels: { ab: 'cd', Bad: 'cd' } })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '{ab=cd, Bad=cd}' at 'labels' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+]`,
      path: 'labels["Bad"]',
    });
    expect(validateInput(model, 'Op', { ...ok, labels: { ab: 'c' } })).toMatchObject({
      message: `${PREFIX}Value '{ab=c}' at 'labels' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length greater than or equal to 2]`,
      path: 'labels["ab"]',
    });
    expect(validateInput(model, 'Op', { ...ok, labels: { a: 'xx', b: 'xx', c: 'xx' } })?.message).toContain("Value '{a=xx, b=xx, c=xx}' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 2");
    expect(validateInput(model, 'Op', { ...ok, labels: 'a=b' })).toMatchObject({ message: 'Expected map or null' });
  });

  it('reads blobs as base64 and bounds their decoded length', () => {
    expect(validateInput(model, 'Op', { ...ok, data: 'AAAA' })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, data: 'AAAAAA==' })?.message).toContain('Member must have length less than or equal to 3');
    expect(validateInput(model, 'Op', { ...ok, data: 'AAA' })).toMatchObject({
      kind: 'serialization',
      message: "'AAA' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
    });
    expect(validateInput(model, 'Op', { ...ok, data: 'A=AA' })).toMatchObject({ kind: 'serialization' });
    expect(validateInput(model, 'Op', { ...ok, data: 12 })).toMatchObject({ kind: 'serialization', path: 'data' });
  });

  it('reads timestamps as epoch seconds or date strings', () => {
    expect(validateInput(model, 'Op', { ...ok, at: 1700000000.5 })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, at: '2024-01-02T03:04:05Z' })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, at: 'yesterday' })).toMatchObject({
      kind: 'serialization',
      message: 'STRING_VALUE can not be converted to milliseconds since epoch',
    });
    expect(validateInput(model, 'Op', { ...ok, at: true })).toMatchObject({ kind: 'serialization' });
  });

  it('checks doubles and longs', () => {
    expect(validateInput(model, 'Op', { ...ok, ratio: 0.5, count: 2 ** 40 })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, ratio: 'NaN' })).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, ratio: 1.5 })).toMatchObject({
      message: `${PREFIX}Value '1.5' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1`,
    });
    expect(validateInput(model, 'Op', { ...ok, ratio: '0.5' })).toMatchObject({ kind: 'serialization' });
    expect(validateInput(model, 'Op', { ...ok, count: 0 })).toMatchObject({ kind: 'constraint', path: 'count' });
    expect(validateInput(model, 'Op', { ...ok, count: '3' })).toMatchObject({
      message: 'STRING_VALUE can not be converted to a Long',
    });
  });

  it('refuses null list elements and map values at the list or map, and drops null members', () => {
    expect(validateInput(model, 'Op', { ...ok, names: [null, 'ab'] })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '[null, ab]' at 'names' failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]`,
      path: 'names[0]',
    });
    expect(validateInput(model, 'Op', { ...ok, labels: { ab: null } })).toEqual({
      kind: 'constraint',
      message: `${PREFIX}Value '{ab=null}' at 'labels' failed to satisfy constraint: Map value must satisfy constraint: [Member must not be null]`,
      path: 'labels["ab"]',
    });
    // A wrong type elsewhere still wins, as AWS reads the whole body first.
    expect(validateInput(model, 'Op', { ...ok, names: [null], count: 'x' })).toMatchObject({ kind: 'serialization', path: 'count' });
    const body: Record<string, unknown> = { ...ok, count: null, tree: { label: 'abc', children: null } };
    expect(validateInput(model, 'Op', body)).toBeUndefined();
    expect(body).toEqual({ ...ok, tree: { label: 'abc' } });
    expect(Object.hasOwn(body, 'count')).toBe(false);
    expect(validateInput(model, 'Op', { ...ok, names: [] })).toMatchObject({
      message: `${PREFIX}Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    });
  });

  it('reads only own members, even when named like Object.prototype members', () => {
    expect(validateInput(model, 'Op', ok)).toBeUndefined();
    expect(validateInput(model, 'Op', { ...ok, toString: 'x' })).toMatchObject({ path: 'toString' });
  });

  it('accepts anything in a document, and any object for an operation without input', () => {
    expect(validateInput(model, 'Op', { ...ok, doc: [1, { a: null }] })).toBeUndefined();
    expect(validateInput(model, 'NoInput', { x: 1 })).toBeUndefined();
    expect(validateInput(model, 'NoInput', [1])).toMatchObject({ kind: 'serialization' });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

describe('validateInput properties', () => {
  it('accepts any CreateCluster body that satisfies the model', () => {
    fc.assert(
      fc.property(arbitraryOf(ecs, 'CreateClusterRequest'), (body) => {
        // Through JSON, as a request body arrives.
        const problem = validateInput(ecs, 'CreateCluster', JSON.parse(JSON.stringify(body)));
        expect(problem).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('accepts any RegisterTaskDefinition body that satisfies the model', () => {
    fc.assert(
      fc.property(arbitraryOf(ecs, 'RegisterTaskDefinitionRequest'), (body) => {
        expect(validateInput(ecs, 'RegisterTaskDefinition', JSON.parse(JSON.stringify(body)))).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it('never throws, and names a problem path, for any JSON body', () => {
    fc.assert(
      fc.property(fc.constantFrom('CreateCluster', 'RegisterTaskDefinition', 'ListClusters'), fc.jsonValue(), (op, body) => {
        const problem = validateInput(ecs, op, body);
        if (problem) expect(['serialization', 'constraint']).toContain(problem.kind);
      }),
      { numRuns: 300 },
    );
  });
});
