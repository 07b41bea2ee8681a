import { useState } from 'preact/hooks';
import { forceNewDeployment, updateDesiredCount } from '../aws/ecs.js';
import type { Service } from '../aws/ecs-types.js';
import { ConfirmButton } from '../ui/confirm.js';
import { useAws } from '../ui/hooks.js';

/** Scale and redeploy: `aws ecs update-service --desired-count` and `--force-new-deployment`. */
export function ServiceActions(props: { cluster: string; service: Service; onDone: () => void }) {
  const aws = useAws();
  const [count, setCount] = useState(String(props.service.desiredCount));
  const valid = /^\d+$/.test(count) && Number(count) <= 10_000;
  return (
    <div class="actions-bar">
      <ConfirmButton
        label="Update desired count"
        title={`Scale ${props.service.serviceName}`}
        confirmLabel="Update service"
        ready={valid}
        action={() => updateDesiredCount(aws, props.cluster, props.service.serviceName, Number(count))}
        onDone={props.onDone}
      >
        <label>
          Desired count (now {props.service.desiredCount})
          <input type="number" min={0} max={10000} name="desiredCount" value={count} onInput={(e) => setCount((e.target as HTMLInputElement).value)} />
        </label>
      </ConfirmButton>
      <ConfirmButton
        label="Force new deployment"
        title={`Force a new deployment of ${props.service.serviceName}`}
        confirmLabel="Deploy"
        action={() => forceNewDeployment(aws, props.cluster, props.service.serviceName)}
        onDone={props.onDone}
      >
        <p>Every task is replaced with a new one of the same task definition, following the service's deployment configuration.</p>
      </ConfirmButton>
    </div>
  );
}
