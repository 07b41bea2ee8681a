import { listImages, scanFindings, type ImageDetail } from '../aws/ecr.js';
import { useQueryParam } from '../lib/navigation.js';
import { href } from '../lib/routes.js';
import { fromEpochSeconds } from '../lib/time.js';
import { bytes } from '../lib/units.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { useAws, useResource } from '../ui/hooks.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

const severitySummary = (i: ImageDetail) => {
  const counts = i.imageScanFindingsSummary?.findingSeverityCounts;
  if (!counts) return i.imageScanStatus?.status ? i.imageScanStatus.status : 'not scanned';
  const parts = SEVERITIES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s.toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'no findings';
};

/** A repository's images: tags, digests, sizes, push times, scan summaries; one image's findings. */
export function RepositoryPage(props: { repository: string }) {
  const aws = useAws();
  const images = useResource(() => listImages(aws, props.repository), [aws, props.repository], 15_000);
  const [digest, setDigest] = useQueryParam('digest');
  const columns: TableColumn<ImageDetail>[] = [
    { key: 'tags', label: 'Tags', value: (i) => (i.imageTags ?? []).join(', ') || '<untagged>' },
    {
      key: 'digest',
      label: 'Digest',
      value: (i) => i.imageDigest,
      cell: (i) => (
        <button type="button" class="linkish mono" title={i.imageDigest} aria-pressed={digest === i.imageDigest} onClick={() => setDigest(digest === i.imageDigest ? '' : i.imageDigest)}>
          {i.imageDigest.slice(0, 19)}…
        </button>
      ),
    },
    { key: 'size', label: 'Size', value: (i) => i.imageSizeInBytes, cell: (i) => bytes(i.imageSizeInBytes), numeric: true },
    { key: 'pushed', label: 'Pushed', value: (i) => i.imagePushedAt, cell: (i) => <Time date={fromEpochSeconds(i.imagePushedAt)} /> },
    { key: 'findings', label: 'Scan findings', value: severitySummary },
  ];
  return (
    <section>
      <Breadcrumbs steps={[{ label: 'Repositories', href: href({ page: 'repositories' }) }, { label: props.repository }]} />
      <h1>{props.repository}</h1>
      <ErrorBox error={images.error} />
      <Loading when={!images.data && images.loading}>
        <Table id="images" label="Images" rows={images.data ?? []} columns={columns} rowKey={(i) => i.imageDigest} defaultSort="-pushed" empty="No images." />
      </Loading>
      {digest && <Findings repository={props.repository} digest={digest} />}
    </section>
  );
}

function Findings(props: { repository: string; digest: string }) {
  const aws = useAws();
  const findings = useResource(() => scanFindings(aws, props.repository, props.digest), [aws, props.repository, props.digest]);
  return (
    <>
      <h2>
        Scan findings <span class="mono small">{props.digest}</span>
      </h2>
      <ErrorBox error={findings.error} />
      <Loading when={!findings.data && findings.loading}>
        <p>
          Scan: <Status value={findings.data?.status} />
        </p>
        <Table
          id="findings"
          label="Scan findings"
          rows={findings.data?.findings ?? []}
          columns={[
            { key: 'severity', label: 'Severity', value: (f) => SEVERITIES.indexOf(f.severity ?? 'UNDEFINED'), cell: (f) => <Status value={f.severity} /> },
            { key: 'name', label: 'Vulnerability', value: (f) => f.name, cell: (f) => (f.uri ? <a href={f.uri} rel="noreferrer noopener" target="_blank">{f.name}</a> : f.name) },
            { key: 'package', label: 'Package', value: (f) => f.attributes?.find((a) => a.key === 'package_name')?.value },
            { key: 'version', label: 'Version', value: (f) => f.attributes?.find((a) => a.key === 'package_version')?.value },
            { key: 'description', label: 'Description', value: (f) => f.description, cell: (f) => <span class="small">{f.description}</span> },
          ]}
          rowKey={(f) => `${f.name ?? ''}/${f.attributes?.find((a) => a.key === 'package_name')?.value ?? ''}`}
          defaultSort="severity"
          empty="No findings."
        />
      </Loading>
    </>
  );
}
