import type { ProtectionOutcome, TaskProtectionPort } from '../../agent-contract/ports.js';

/** An answer of the endpoint: HTTP status and JSON body. */
export interface EndpointAnswer {
  status: number;
  body: unknown;
}

/** The path under `${ECS_AGENT_URI}` where a task reads and sets its scale-in protection. */
export const TASK_PROTECTION_PATH = '/task-protection/v1/state';

/** The ECS agent's answer when the token names no task it runs. */
export const NO_TASK: EndpointAnswer = {
  status: 404,
  body: { error: { Code: 'ResourceNotFoundException', Message: 'Failed to find a task for the request' } },
};

const decodeFailure: EndpointAnswer = {
  status: 400,
  body: { error: { Code: 'InvalidParameterException', Message: 'UpdateTaskProtection: failed to decode request' } },
};

/** A PUT body as the ECS agent decodes it: only these two members, of these types (JSON's null leaves one unset). */
type Decoded = { protectionEnabled?: boolean; expiresInMinutes?: number } | undefined;

/** Decodes a PUT body strictly, as the ECS agent does (unknown members and wrong types are refused). */
export function decodeRequest(raw: string): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: { protectionEnabled?: boolean; expiresInMinutes?: number } = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    // Go's decoder matches member names without regard to case.
    const name = key.toLowerCase();
    if (name === 'protectionenabled') {
      if (value === null) continue;
      if (typeof value !== 'boolean') return undefined;
      out.protectionEnabled = value;
    } else if (name === 'expiresinminutes') {
      if (value === null) continue;
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
      out.expiresInMinutes = value;
    } else return undefined;
  }
  return out;
}

/**
 * `${ECS_AGENT_URI}/task-protection/v1/state` for the task `taskArn`: GET reads its protection,
 * PUT `{"ProtectionEnabled":true,"ExpiresInMinutes":60}` sets it, through `port` (ECS's
 * GetTaskProtection and UpdateTaskProtection for that one task). The answers are the ECS agent's:
 * `{"protection":{…}}`, `{"failure":{…}}` (200) or `{"error":{…}}` with ECS's status.
 */
export async function answerTaskProtection(method: string, raw: string, taskArn: string, port: TaskProtectionPort | undefined): Promise<EndpointAnswer> {
  if (method !== 'GET' && method !== 'PUT') return { status: 405, body: { error: { Arn: taskArn, Code: 'InvalidParameterException', Message: `${method} is not supported` } } };
  const request = method === 'PUT' ? decodeRequest(raw) : undefined;
  if (method === 'PUT' && request === undefined) return decodeFailure;
  if (!port) return errorAnswer(taskArn, { code: 'ServerException', message: 'Task protection is not available on this host', status: 500 });
  if (method === 'GET') return toAnswer(taskArn, await port.get(taskArn));
  if (request!.protectionEnabled === undefined) {
    return { status: 400, body: { error: { Arn: taskArn, Code: 'InvalidParameterException', Message: "Invalid request: does not contain 'ProtectionEnabled' field" } } };
  }
  return toAnswer(taskArn, await port.update(taskArn, request!.protectionEnabled, request!.expiresInMinutes));
}

/** The ECS agent's rendering of an outcome (Go's encoding of the SDK shapes: capitalised members, null for unset ones). */
function toAnswer(taskArn: string, outcome: ProtectionOutcome): EndpointAnswer {
  if ('protection' in outcome) {
    const p = outcome.protection;
    return {
      status: 200,
      body: { protection: { ExpirationDate: p.expirationDate === undefined ? null : goTime(p.expirationDate), ProtectionEnabled: p.protectionEnabled, TaskArn: p.taskArn } },
    };
  }
  if ('failure' in outcome) {
    const f = outcome.failure;
    return { status: 200, body: { failure: { Arn: f.arn ?? null, Detail: f.detail ?? null, Reason: f.reason ?? null } } };
  }
  return errorAnswer(taskArn, outcome.error);
}

function errorAnswer(taskArn: string, e: { code: string; message: string; status: number }): EndpointAnswer {
  return { status: e.status, body: { error: { Arn: taskArn, Code: e.code, Message: e.message } } };
}

/** An instant as Go's time.Time encodes it in JSON (RFC 3339, fraction without trailing zeros). */
export function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}
