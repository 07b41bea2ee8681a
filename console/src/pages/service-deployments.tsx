import type { Deployment, ServiceEvent } from '../aws/ecs-types.js';
import { arnName } from '../aws/ecs-types.js';
import { fromEpochSeconds } from '../lib/time.js';
import { Status } from '../ui/status.js';
import { Time } from '../ui/time.js';

/** Each deployment with its rollout state and a progress bar of running (and pending) over desired. */
export function Deployments(props: { deployments: readonly Deployment[] }) {
  if (props.deployments.length === 0) return <p class="muted">No deployments.</p>;
  return (
    <ul class="deployments" aria-label="Deployments">
      {props.deployments.map((d) => {
        const total = Math.max(d.desiredCount, d.runningCount + d.pendingCount, 1);
        return (
          <li key={d.id}>
            <div class="deployment-head">
              <Status value={d.status} /> <Status value={d.rolloutState} /> <span class="mono">{arnName(d.taskDefinition)}</span>
              <span class="muted small">
                {' '}
                started <Time date={fromEpochSeconds(d.createdAt)} /> · updated <Time date={fromEpochSeconds(d.updatedAt)} />
              </span>
            </div>
            <svg class="progress" viewBox="0 0 300 12" preserveAspectRatio="none" role="img" aria-label={`${d.runningCount} running, ${d.pendingCount} pending of ${d.desiredCount} desired`}>
              <rect x={0} y={0} width={300} height={12} class="track" />
              <rect x={0} y={0} width={(300 * d.runningCount) / total} height={12} class="running" />
              <rect x={(300 * d.runningCount) / total} y={0} width={(300 * d.pendingCount) / total} height={12} class="pending" />
              <line x1={(300 * d.desiredCount) / total} x2={(300 * d.desiredCount) / total} y1={0} y2={12} class="desired" />
            </svg>
            <span class="small">
              {d.runningCount} running · {d.pendingCount} pending · {d.desiredCount} desired{d.failedTasks ? ` · ${d.failedTasks} failed` : ''}
            </span>
            {d.rolloutStateReason && <p class="muted small">{d.rolloutStateReason}</p>}
          </li>
        );
      })}
    </ul>
  );
}

/** The service's events, newest first, as a timeline. */
export function EventTimeline(props: { events: readonly ServiceEvent[] }) {
  if (props.events.length === 0) return <p class="muted">No events yet.</p>;
  return (
    <ol class="timeline" aria-label="Service events">
      {props.events.slice(0, 100).map((e) => (
        <li key={e.id}>
          <Time date={fromEpochSeconds(e.createdAt)} />
          <span>{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
