import { afterAll, beforeAll, describe } from 'vitest';
import { describeRuntimeSuite } from '../../src/agent/runtime/runtime-suite.js';
import { RuntimeFixture, canRunContainers, programArgs } from './runtime-fixture.js';

// The shared ContainerRuntime behaviour, against real runc and conmon with a busybox image.
describe.skipIf(!canRunContainers)('RuncRuntime (shared suite)', () => {
  let fx: RuntimeFixture;
  beforeAll(() => {
    fx = new RuntimeFixture();
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  describeRuntimeSuite('runc', async () => {
    const runtime = fx.runtime();
    return {
      runtime,
      spec: (id, program, extra) => fx.spec(id, programArgs(program), extra),
      reopen: () => fx.runtime(),
      cgroupParent: `${fx.cgroup}/task`,
      cleanup: async () => {
        runtime.close();
        await fx.clean();
      },
    };
  });
});
