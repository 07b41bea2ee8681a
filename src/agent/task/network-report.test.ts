import { describe, expect, it } from 'vitest';
import { networkReport } from './network-report.js';
import { fakeContext, fakeNetworks } from './task-run.fixtures.js';

describe('networkReport', () => {
  it('reports an awsvpc task’s interface as its ENI attachment, and nothing for other modes', async () => {
    const { ctx } = fakeContext([{ name: 'app', image: 'busybox' }]);
    ctx.network = await fakeNetworks().setup({ taskId: ctx.spec.taskId, region: ctx.spec.region, portMappings: [] });
    const [attachment] = networkReport(ctx).attachments!;
    expect(attachment).toMatchObject({ id: ctx.attachmentId, type: 'ElasticNetworkInterface', status: 'ATTACHED' });
    expect(attachment!.details).toContainEqual({ name: 'privateIPv4Address', value: '10.9.0.2' });
    expect(attachment!.details).toContainEqual({ name: 'subnetId', value: 'subnet-local' });
    Object.assign(ctx.spec, { networkMode: 'bridge' });
    expect(networkReport(ctx)).toEqual({});
  });
});
