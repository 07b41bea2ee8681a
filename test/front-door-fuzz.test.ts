import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceModel, type ServiceModel } from '../src/aws-model/service-model.js';
import { validateInput } from '../src/aws-model/validate-input.js';
import { arbitraryOf } from './support/model-arbitrary.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { positionsOf, queryForm, replacementFor, withValueAt, type MutationKind } from './support/request-mutations.js';
import { rawCall } from './support/signed-fetch.js';
import { StateDigest } from './support/state-digest.js';

/**
 * Bad input through the real front door, for every operation of every API minato serves: a request
 * built from the operation's input shape (its constraints met) is broken at one random place — JSON
 * null, a value of another JSON type, or a value the model forbids, in the body itself, a member, a
 * list element or a map value — then SigV4-signed as the SDK signs and sent. Whatever it is, the
 * answer is never a 5xx, always names an exception, and a refused request stores nothing.
 */

const APIS: ReadonlyArray<{ model: string; signingName: string }> = [
  { model: 'ecs', signingName: 'ecs' },
  { model: 'ecr', signingName: 'ecr' },
  { model: 'logs', signingName: 'logs' },
  { model: 'cloudwatch', signingName: 'monitoring' },
  { model: 'application-autoscaling', signingName: 'application-autoscaling' },
  { model: 'elbv2', signingName: 'elasticloadbalancing' },
  { model: 'acm', signingName: 'acm' },
  { model: 'secretsmanager', signingName: 'secretsmanager' },
  { model: 'ssm', signingName: 'ssm' },
  { model: 'sts', signingName: 'sts' },
  { model: 'minato-admin', signingName: 'minato' },
  { model: 'servicediscovery', signingName: 'servicediscovery' },
];

/** Mutated requests per operation that has a handler: a few thousand in all. */
const RUNS_PER_SERVED_OPERATION = 24;
/** The exceptions of an operation minato has no handler for; such an operation is probed once only. */
const UNSERVED = new Set(['UnknownOperationException', 'InvalidAction']);

/**
 * Operations whose success starts containers (pulling images from registries off this machine) or
 * asks an upstream registry: a mutated request to them is sent only when the model refuses it, so
 * that the test never reaches past loopback. Every other accepted mutation is sent and run.
 */
const REACHES_OUT = new Set([
  'ecs.RunTask',
  'ecs.StartTask',
  'ecs.CreateService',
  'ecs.UpdateService',
  'ecs.CreateTaskSet',
  'ecr.CreatePullThroughCacheRule',
  'ecr.ValidatePullThroughCacheRule',
]);

const KINDS: readonly MutationKind[] = ['null', 'wrongType', 'constraint'];

let platform: TestPlatform;
let digest: StateDigest;
const statuses: Record<string, number> = {};
const exceptions: Record<string, number> = {};
const byKind: Record<string, number> = {};
let sent = 0;
let withheld = 0;
const unserved: string[] = [];
let refusedUnchanged = 0;

beforeAll(async () => {
  platform = await startTestPlatform();
  digest = new StateDigest(platform.config.dataDir);
});

afterAll(async () => {
  digest?.close();
  await platform?.dispose();
  const operations = APIS.reduce((n, api) => n + Object.keys(loadServiceModel(api.model).operations).length, 0);
  // The counts, for reports: how many requests of which kind got which answer.
  const summary = { operations, unservedOperations: unserved.length, requests: sent, withheld, statuses, byKind, refusedStoredNothing: refusedUnchanged, exceptions };
  process.stdout.write(`front-door fuzz summary ${JSON.stringify(summary)}\n`);
});

/** A generated, mutated request: its body as sent (a JSON value, or form fields for the Query protocol). */
interface Case {
  body: unknown;
  kind: MutationKind;
}

function caseArbitrary(model: ServiceModel, operation: string): fc.Arbitrary<Case | undefined> {
  const input = model.operations[operation]!.input?.shape;
  const valid = input === undefined ? fc.constant({}) : arbitraryOf(model, input, 0, 64);
  return fc.tuple(valid, fc.constantFrom(...KINDS), fc.nat(), fc.nat()).map(([body, kind, where, pick]) => {
    const positions = positionsOf(model, input, body);
    // Start at a random position and take the first one this kind of mutation can break.
    for (let i = 0; i < positions.length; i++) {
      const position = positions[(where + i) % positions.length]!;
      const replacement = replacementFor(kind, position, pick);
      if (replacement) return { body: withValueAt(body, position.path, replacement.value), kind: `${kind}@${position.place}` as MutationKind };
    }
    return undefined;
  });
}

async function send(model: ServiceModel, signingName: string, operation: string, body: unknown) {
  if (model.metadata.protocol === 'query') {
    const form = queryForm(body);
    form.set('Action', operation);
    form.set('Version', model.metadata.apiVersion);
    return rawCall(platform.endpoint, {
      body: form.toString(),
      service: signingName,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
  }
  return rawCall(platform.endpoint, {
    target: `${model.metadata.targetPrefix}.${operation}`,
    body: JSON.stringify(body),
    service: signingName,
  });
}

/** The exception a refused request names, from the JSON error body or the Query protocol's XML. */
function exceptionOf(res: Awaited<ReturnType<typeof send>>): string | undefined {
  if (res.json && typeof res.json.__type === 'string' && typeof res.json.message === 'string') return res.json.__type;
  return /<Code>([^<]+)<\/Code>/.exec(res.text)?.[1];
}

describe('bad input through the front door', () => {
  for (const api of APIS) {
    it(`${api.model}: every operation answers mutated requests with a 4xx naming an exception, and stores nothing when it refuses`, async () => {
      const model = loadServiceModel(api.model);
      for (const operation of Object.keys(model.operations)) {
        // One empty request tells whether minato serves the operation at all.
        const probe = await send(model, api.signingName, operation, {});
        sent++;
        statuses[probe.status] = (statuses[probe.status] ?? 0) + 1;
        expect(probe.status, `${operation} {}: ${probe.text.slice(0, 300)}`).toBeLessThan(500);
        if (UNSERVED.has(exceptionOf(probe) ?? '')) {
          unserved.push(`${api.model}.${operation}`);
          continue;
        }
        await fc.assert(
          fc.asyncProperty(caseArbitrary(model, operation), async (mutated) => {
            if (mutated === undefined) return;
            // validateInput drops null members in place, so it is given a copy.
            const refusal = validateInput(model, operation, structuredClone(mutated.body));
            if (REACHES_OUT.has(`${api.model}.${operation}`) && refusal === undefined) {
              withheld++;
              return;
            }
            const before = digest.take();
            const res = await send(model, api.signingName, operation, mutated.body);
            sent++;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            byKind[mutated.kind] = (byKind[mutated.kind] ?? 0) + 1;
            expect(res.status, `${operation} ${mutated.kind}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
            // What the model refuses is refused, whatever the handler would have made of it (a JSON
            // body; the Query protocol's form fields carry no types to get wrong).
            if (refusal !== undefined && model.metadata.protocol !== 'query') expect(res.status, `${operation} ${mutated.kind}: the model refuses it`).toBe(400);
            if (res.status < 300) return;
            const exception = exceptionOf(res);
            expect(exception, `${operation}: ${res.text.slice(0, 300)}`).toMatch(/^[A-Za-z.]+$/);
            if (res.json) expect(res.headers.get('x-amzn-errortype')).toBe(exception);
            exceptions[exception!] = (exceptions[exception!] ?? 0) + 1;
            expect(digest.take(), `${operation} ${mutated.kind} answered ${exception} but stored something`).toBe(before);
            refusedUnchanged++;
          }),
          { numRuns: RUNS_PER_SERVED_OPERATION },
        );
      }
    }, 120_000);
  }
});
