import { listParameters, listSecrets, revealParameter, revealSecret, type ParameterEntry, type SecretEntry } from '../aws/secrets.js';
import { fromEpochSeconds } from '../lib/time.js';
import { useAws, useResource } from '../ui/hooks.js';
import { Reveal } from '../ui/reveal.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';
import type { AwsClient } from '../aws/client.js';

const stagesOf = (s: SecretEntry) =>
  Object.entries(s.SecretVersionsToStages ?? {})
    .map(([id, stages]) => `${id.slice(0, 8)} (${stages.join(', ')})`)
    .join('; ');

function secretColumns(aws: AwsClient): TableColumn<SecretEntry>[] {
  return [
    { key: 'name', label: 'Secret', value: (s) => s.Name },
    { key: 'description', label: 'Description', value: (s) => s.Description },
    { key: 'versions', label: 'Versions', value: (s) => Object.keys(s.SecretVersionsToStages ?? {}).length, text: stagesOf, cell: (s) => <span class="small mono">{stagesOf(s) || '—'}</span> },
    { key: 'changed', label: 'Last changed', value: (s) => s.LastChangedDate, cell: (s) => <Time date={fromEpochSeconds(s.LastChangedDate)} /> },
    { key: 'value', label: 'Value', value: () => '', cell: (s) => (s.DeletedDate ? <span class="muted">scheduled for deletion</span> : <Reveal label={s.Name} load={() => revealSecret(aws, s.ARN)} />) },
  ];
}

function parameterColumns(aws: AwsClient): TableColumn<ParameterEntry>[] {
  return [
    { key: 'name', label: 'Parameter', value: (p) => p.Name },
    { key: 'type', label: 'Type', value: (p) => p.Type },
    { key: 'version', label: 'Version', value: (p) => p.Version, numeric: true },
    { key: 'modified', label: 'Last modified', value: (p) => p.LastModifiedDate, cell: (p) => <Time date={fromEpochSeconds(p.LastModifiedDate)} /> },
    { key: 'value', label: 'Value', value: () => '', cell: (p) => <Reveal label={p.Name} load={() => revealParameter(aws, p.Name)} /> },
  ];
}

/** Secrets Manager secrets and SSM parameters: names and versions; a value only on an explicit click. */
export function SecretsPage() {
  const aws = useAws();
  const secrets = useResource(() => listSecrets(aws), [aws]);
  const parameters = useResource(() => listParameters(aws), [aws]);
  return (
    <section>
      <h1>Secrets & parameters</h1>
      <p class="muted small">Values are never loaded until you press Reveal; each press is a GetSecretValue or GetParameter call.</p>
      <h2>Secrets Manager</h2>
      <ErrorBox error={secrets.error} />
      <Loading when={!secrets.data && secrets.loading}>
        <Table id="secrets" label="Secrets" rows={secrets.data ?? []} columns={secretColumns(aws)} rowKey={(s) => s.ARN} defaultSort="name" empty="No secrets." />
      </Loading>
      <h2>Parameter Store</h2>
      <ErrorBox error={parameters.error} />
      <Loading when={!parameters.data && parameters.loading}>
        <Table id="parameters" label="Parameters" rows={parameters.data ?? []} columns={parameterColumns(aws)} rowKey={(p) => p.Name} defaultSort="name" empty="No parameters." />
      </Loading>
    </section>
  );
}
