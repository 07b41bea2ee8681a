import { Fragment } from 'preact';
import { deregisterTaskDefinition, describeTaskDefinition, listTaskDefinitions } from '../aws/ecs.js';
import { arnName, type TaskDefinition } from '../aws/ecs-types.js';
import { canonicalJson, comparableTaskDefinition, diffLines, sideBySide } from '../lib/diff.js';
import { useQueryParam } from '../lib/navigation.js';
import { href } from '../lib/routes.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { ConfirmButton } from '../ui/confirm.js';
import { useAws, useResource } from '../ui/hooks.js';
import { ErrorBox, Loading, Status } from '../ui/status.js';

const revisionOf = (arn: string) => Number(arnName(arn).split(':').at(-1));

/** A family's revisions, two of them side by side as a diff (`?left=N&right=M`), and deregistering one. */
export function TaskDefinitionPage(props: { family: string }) {
  const aws = useAws();
  const revisions = useResource(() => listTaskDefinitions(aws, props.family), [aws, props.family]);
  const numbers = (revisions.data ?? []).map(revisionOf).filter((n) => n > 0);
  const [leftRaw, setLeft] = useQueryParam('left');
  const [rightRaw, setRight] = useQueryParam('right');
  const right = Number(rightRaw) || numbers[0];
  const left = Number(leftRaw) || numbers[1] || right;
  const pair = useResource(
    () =>
      right === undefined || left === undefined
        ? Promise.resolve(undefined)
        : Promise.all([describeTaskDefinition(aws, `${props.family}:${left}`), describeTaskDefinition(aws, `${props.family}:${right}`)]),
    [aws, props.family, left, right],
  );
  const choose = (value: number | undefined, set: (v: string) => void, label: string) => (
    <label>
      {label}{' '}
      <select value={String(value ?? '')} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
        {numbers.map((n) => (
          <option key={n} value={String(n)}>
            {props.family}:{n}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section>
      <Breadcrumbs steps={[{ label: 'Task definitions', href: href({ page: 'task-definitions' }) }, { label: props.family }]} />
      <h1>{props.family}</h1>
      <ErrorBox error={revisions.error} />
      <Loading when={!revisions.data && revisions.loading}>
        <p class="muted">
          {numbers.length} active revision{numbers.length === 1 ? '' : 's'} (newest first).
        </p>
        <div class="toolbar">
          {choose(left, setLeft, 'Compare')}
          {choose(right, setRight, 'with')}
        </div>
        <ErrorBox error={pair.error} />
        {pair.data && <RevisionDiff left={pair.data[0]} right={pair.data[1]} onDeregistered={revisions.reload} />}
      </Loading>
    </section>
  );
}

function RevisionDiff(props: { left: TaskDefinition; right: TaskDefinition; onDeregistered: () => void }) {
  const aws = useAws();
  const rows = sideBySide(
    diffLines(canonicalJson(comparableTaskDefinition(props.left)).split('\n'), canonicalJson(comparableTaskDefinition(props.right)).split('\n')),
  );
  const changed = rows.filter((r) => r.left?.changed || r.right?.changed).length;
  const header = (td: TaskDefinition) => (
    <div class="diff-head">
      <strong>
        {td.family}:{td.revision}
      </strong>{' '}
      <Status value={td.status} />{' '}
      {td.status === 'ACTIVE' && (
        <ConfirmButton
          label="Deregister"
          title={`Deregister ${td.family}:${td.revision}`}
          confirmLabel="Deregister"
          danger
          action={() => deregisterTaskDefinition(aws, `${td.family}:${td.revision}`)}
          onDone={props.onDeregistered}
        >
          <p>The revision becomes INACTIVE: running tasks and services keep it, new tasks and services cannot use it.</p>
        </ConfirmButton>
      )}
    </div>
  );
  return (
    <>
      <p class="small" data-testid="diff-summary">
        {props.left.revision === props.right.revision ? 'The same revision.' : changed === 0 ? 'No differences.' : `${changed} changed lines.`}
      </p>
      <div class="diff-heads">
        {header(props.left)}
        {header(props.right)}
      </div>
      <div class="diff mono small" role="table" aria-label="Revision diff">
        {rows.map((r, i) => (
          <Fragment key={i}>
            <div role="cell" class={r.left?.changed ? 'removed' : r.left ? '' : 'blank'}>
              <span class="no">{r.left?.no ?? ''}</span>
              {r.left?.text ?? ''}
            </div>
            <div role="cell" class={r.right?.changed ? 'added' : r.right ? '' : 'blank'}>
              <span class="no">{r.right?.no ?? ''}</span>
              {r.right?.text ?? ''}
            </div>
          </Fragment>
        ))}
      </div>
    </>
  );
}
