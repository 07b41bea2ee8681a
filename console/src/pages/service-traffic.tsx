import type { Alarm, ScalableTarget, ScalingPolicy } from '../aws/autoscaling.js';
import { describeTargetHealth } from '../aws/elb.js';
import type { Service } from '../aws/ecs-types.js';
import { useAws, useResource } from '../ui/hooks.js';
import { ErrorBox, Status } from '../ui/status.js';

/** The service's target groups and the health of their targets. */
export function LoadBalancers(props: { service: Service }) {
  const groups = (props.service.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
  if (groups.length === 0) return <p class="muted">Not behind a load balancer.</p>;
  return (
    <>
      {groups.map((lb) => (
        <TargetGroup key={lb.targetGroupArn} arn={lb.targetGroupArn!} container={`${lb.containerName ?? ''}:${lb.containerPort ?? ''}`} />
      ))}
    </>
  );
}

function TargetGroup(props: { arn: string; container: string }) {
  const aws = useAws();
  const health = useResource(() => describeTargetHealth(aws, props.arn), [aws, props.arn], 5000);
  return (
    <div class="target-group">
      <h3>
        {props.arn.split(':').at(-1)} <span class="muted small">→ {props.container}</span>
      </h3>
      <ErrorBox error={health.error} />
      <table aria-label="Target health">
        <thead>
          <tr>
            <th>Target</th>
            <th>Port</th>
            <th>Health</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {(health.data ?? []).map((t) => (
            <tr key={`${t.id}:${t.port}`}>
              <td class="mono">{t.id}</td>
              <td>{t.port}</td>
              <td>
                <Status value={t.state} />
              </td>
              <td class="small">{t.description || t.reason}</td>
            </tr>
          ))}
          {health.data?.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">
                No targets registered.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The scalable target's bounds, its policies and their alarms' states. */
export function Scaling(props: { target?: ScalableTarget; policies: readonly ScalingPolicy[]; alarms: readonly Alarm[] }) {
  if (!props.target && props.policies.length === 0) return <p class="muted">No auto scaling.</p>;
  return (
    <>
      {props.target && (
        <p>
          Between {props.target.MinCapacity} and {props.target.MaxCapacity} tasks.
        </p>
      )}
      <ul>
        {props.policies.map((p) => (
          <li key={p.PolicyName}>
            <strong>{p.PolicyName}</strong> ({p.PolicyType})
            {p.TargetTrackingScalingPolicyConfiguration &&
              ` · target ${p.TargetTrackingScalingPolicyConfiguration.TargetValue} ${p.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification?.PredefinedMetricType ?? ''}`}
            <ul>
              {(p.Alarms ?? []).map((a) => {
                const alarm = props.alarms.find((x) => x.AlarmName === a.AlarmName);
                return (
                  <li key={a.AlarmName}>
                    <Status value={alarm?.StateValue} /> {a.AlarmName}
                    {alarm?.StateReason && <span class="muted small"> — {alarm.StateReason}</span>}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
      <ErrorBox error={undefined} />
    </>
  );
}
