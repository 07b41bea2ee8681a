import type { ComponentChildren } from 'preact';

const TONES: Record<string, string> = {
  RUNNING: 'ok',
  ACTIVE: 'ok',
  HEALTHY: 'ok',
  healthy: 'ok',
  COMPLETED: 'ok',
  PRIMARY: 'ok',
  STOPPED: 'bad',
  FAILED: 'bad',
  UNHEALTHY: 'bad',
  unhealthy: 'bad',
  INACTIVE: 'muted',
  DRAINING: 'warn',
  PENDING: 'warn',
  PROVISIONING: 'warn',
  ACTIVATING: 'warn',
  DEACTIVATING: 'warn',
  STOPPING: 'warn',
  DEPROVISIONING: 'warn',
  IN_PROGRESS: 'warn',
  initial: 'warn',
  draining: 'warn',
  UNKNOWN: 'muted',
  OK: 'ok',
  ALARM: 'bad',
  INSUFFICIENT_DATA: 'muted',
  CRITICAL: 'bad',
  HIGH: 'bad',
  MEDIUM: 'warn',
  LOW: 'muted',
  INFORMATIONAL: 'muted',
  unused: 'muted',
};

/** A status word, coloured by what it means (the word itself carries the meaning too). */
export function Status(props: { value: string | undefined }) {
  const value = props.value ?? 'UNKNOWN';
  return <span class={`status ${TONES[value] ?? 'muted'}`}>{value}</span>;
}

export function ErrorBox(props: { error: Error | undefined }) {
  if (!props.error) return null;
  const code = (props.error as { code?: string }).code;
  return (
    <p class="error" role="alert">
      {code ? <strong>{code}: </strong> : null}
      {props.error.message}
    </p>
  );
}

export function Loading(props: { when: boolean; children?: ComponentChildren }) {
  return props.when ? <p class="muted" aria-busy="true">Loading…</p> : <>{props.children}</>;
}
