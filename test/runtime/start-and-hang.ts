/**
 * A stand-in for an agent process: starts one container with a RuncRuntime, prints
 * `{"pid": …}` on stdout, then stays alive until killed, as an agent would be when it crashes.
 * Usage: node --import tsx start-and-hang.ts '<json {root, options, spec}>'
 */
import { RuncRuntime, type RuncRuntimeOptions } from '../../src/agent/runtime/runc-runtime.js';
import type { ContainerSpec } from '../../src/agent/runtime/runtime.js';

const { root, options, spec } = JSON.parse(process.argv[2] ?? '{}') as { root: string; options: RuncRuntimeOptions; spec: ContainerSpec };
const runtime = new RuncRuntime(root, options);
const started = await runtime.start(spec);
process.stdout.write(`${JSON.stringify({ pid: started.pid })}\n`);
// Bounded: a launcher the test forgot would end by itself.
setTimeout(() => process.exit(0), 60_000);
