import { describeTaskDefinition, listClusters, listServices } from '../aws/ecs.js';
import { arnName } from '../aws/ecs-types.js';
import { fargateRates, HOURS_PER_MONTH, pricedRegions, serviceCost, taskSize, type ServiceCost } from '../lib/cost-estimate.js';
import { useQueryParam } from '../lib/navigation.js';
import { href } from '../lib/routes.js';
import { usd } from '../lib/units.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Link } from '../ui/link.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import type { AwsClient } from '../aws/client.js';

/** Every service of every cluster with its desired count and task size. */
async function servicesWithSizes(aws: AwsClient) {
  const clusters = await listClusters(aws);
  const services = (await Promise.all(clusters.map((c) => listServices(aws, c.clusterName)))).flat().filter((s) => s.status === 'ACTIVE');
  const definitions = new Map(await Promise.all([...new Set(services.map((s) => s.taskDefinition))].map(async (arn) => [arn, await describeTaskDefinition(aws, arn)] as const)));
  return services.map((s) => ({
    service: s.serviceName,
    cluster: arnName(s.clusterArn),
    taskDefinition: arnName(s.taskDefinition),
    tasks: s.desiredCount,
    ...taskSize(definitions.get(s.taskDefinition)!),
  }));
}

const COLUMNS: TableColumn<ServiceCost>[] = [
  { key: 'service', label: 'Service', value: (c) => c.service, cell: (c) => <Link href={href({ page: 'service', cluster: c.cluster, service: c.service })}>{c.service}</Link> },
  { key: 'cluster', label: 'Cluster', value: (c) => c.cluster },
  { key: 'taskDefinition', label: 'Task definition', value: (c) => c.taskDefinition },
  { key: 'tasks', label: 'Tasks', value: (c) => c.tasks, numeric: true },
  { key: 'size', label: 'Billed size', value: (c) => c.size?.cpu, cell: (c) => (c.size ? `${c.size.cpu / 1024} vCPU / ${c.size.memoryMiB / 1024} GB` : 'too large for Fargate') },
  { key: 'hourly', label: 'Per hour', value: (c) => c.usdPerHour, cell: (c) => (c.usdPerHour === undefined ? '—' : `$${c.usdPerHour.toFixed(4)}`), numeric: true },
  { key: 'monthly', label: 'Per month', value: (c) => c.monthlyUsd, cell: (c) => usd(c.monthlyUsd), numeric: true },
];

/** What the running services would cost on Fargate, per month. */
export function CostPage() {
  const aws = useAws();
  const regions = pricedRegions();
  const [region, setRegion] = useQueryParam('pricing', regions.includes(aws.credentials.region) ? aws.credentials.region : 'us-east-1');
  const [arch, setArch] = useQueryParam('arch', 'x86_64');
  const services = useResource(() => servicesWithSizes(aws), [aws], 30_000);
  const rates = fargateRates(region, arch === 'arm64' ? 'arm64' : 'x86_64');
  const rows = rates ? (services.data ?? []).map((s) => serviceCost(s, rates)) : [];
  const total = rows.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0);
  return (
    <section>
      <h1>Cost</h1>
      <p class="muted small">
        An estimate: each active service's desired count at its task definition's size, billed as Fargate Linux on demand for {HOURS_PER_MONTH} hours a
        month. <code>minato cost</code> compares EC2 and Spot options.
      </p>
      <div class="toolbar">
        <label>
          Prices of{' '}
          <select value={region} onChange={(e) => setRegion((e.target as HTMLSelectElement).value)}>
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Architecture{' '}
          <select value={arch} onChange={(e) => setArch((e.target as HTMLSelectElement).value)}>
            <option value="x86_64">x86_64</option>
            <option value="arm64">arm64</option>
          </select>
        </label>
      </div>
      {!rates && <p class="notice">The price file has no {arch} Fargate rates for {region}.</p>}
      <ErrorBox error={services.error} />
      <Loading when={!services.data && services.loading}>
        <p>
          Total: <strong data-testid="cost-total">{usd(Math.round(total * 100) / 100)}</strong> a month
        </p>
        <Table id="cost" label="Cost per service" rows={rows} columns={COLUMNS} rowKey={(c) => `${c.cluster}/${c.service}`} defaultSort="-monthly" empty="No active services." />
      </Loading>
    </section>
  );
}
