import { deflateRawSync } from 'node:zlib';
import { parsePolicyDocument } from '../../lib/policy-document.js';
import type { Caller, Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { newSecretAccessKey } from '../ids.js';
import { ACCESS_KEYS, ROLES, USERS, entityKey, type AccessKeyRecord, type RoleRecord, type Tag, type UserRecord } from '../records.js';
import { roleTrusts } from '../role-trust.js';
import { accessKeySealContext, type SecretSealer } from '../users.js';
import { trustsCaller } from './caller-trust.js';
import { newTemporaryAccessKeyId, openSessionToken, sealSessionToken, type SessionClaims } from './session-token.js';
import { accessDenied, malformedSessionPolicy, notAuthorizedToAssume, packedPolicyTooLarge, validationError } from './sts-errors.js';

/** Temporary credentials as STS returns them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: readonly string[];
  tags?: readonly Tag[];
  externalId?: string;
}

export interface AssumedRole {
  credentials: TemporaryCredentials;
  assumedRoleId: string;
  arn: string;
  /** Percentage of the packed-policy allowance the session policy and tags use; set when either is given. */
  packedPolicySize?: number;
}

/** A key's secret and who it acts as; or why the key is refused. */
export type Authentication = { secret: string; caller: Caller } | 'expired' | 'invalid';

/** The outcome of asking for a task's role credentials: them, or ECS's stopped reason. */
export type TaskRoleCredentials = { ok: true; credentials: TemporaryCredentials } | { ok: false; reason: string };

/** The service principal ECS tasks assume their roles as. */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';
/** How long the credentials ECS hands a task last (the agent refreshes them before they expire). */
export const TASK_CREDENTIALS_SECONDS = 6 * 3600;
const DEFAULT_DURATION = 3600;
/** Role chaining (a role's session assuming a role) is limited to one hour, as on AWS. */
const CHAINED_MAX = 3600;
/** GetSessionToken's default (12 hours) and the root's cap (1 hour). */
const SESSION_TOKEN_DEFAULT = 43_200;
const ROOT_SESSION_MAX = 3600;
const SESSION_POLICY_MAX = 2048;
/** The packed (compressed) session policy and tags must fit this many bytes: AWS's allowance is of this order. */
const PACKED_LIMIT = 2048;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]+\/)?)?([\w+=,.@-]+)$/;

/**
 * STS: temporary credentials for role sessions (AssumeRole, and the roles of ECS tasks) and for the
 * root or a user (GetSessionToken), and the authentication of every key that is not the root's
 * configured one (IAM users' access keys, temporary credentials with their session tokens).
 * Sessions are not stored: each token carries its session, sealed (see session-token.ts).
 */
export class SecurityTokens {
  constructor(
    private readonly store: Store,
    private readonly sealer: SecretSealer,
  ) {}

  /** Who `accessKeyId` (with its session token, if any) acts as, and its secret; for SigV4 verification. */
  async authenticate(accountId: string, accessKeyId: string, sessionToken: string | undefined, now: Date): Promise<Authentication> {
    if (sessionToken !== undefined) {
      const claims = openSessionToken(this.sealer, accessKeyId, sessionToken);
      if (!claims || claims.accountId !== accountId) return 'invalid';
      if (now.getTime() >= claims.expiresAt) return 'expired';
      return { secret: claims.secretAccessKey, caller: { ...claims.caller, accessKeyId, temporary: true } };
    }
    const record = await this.store.collection<AccessKeyRecord>(ACCESS_KEYS).get(`${accountId}/${accessKeyId}`);
    if (!record || record.status !== 'Active') return 'invalid';
    const user = await this.store.collection<UserRecord>(USERS).get(entityKey(accountId, record.userName));
    if (!user) return 'invalid';
    const secret = this.sealer.open(record.sealedSecret, accessKeySealContext(accountId, accessKeyId)).toString('utf8');
    return { secret, caller: { kind: 'user', arn: user.arn, userId: user.userId, accessKeyId } };
  }

  /** AssumeRole for the scope's caller. */
  async assumeRole(scope: Scope, input: AssumeRoleInput): Promise<AssumedRole> {
    const caller = scope.caller ?? rootCaller(scope.accountId);
    const role = await this.roleOf(scope.accountId, input.roleArn);
    const tags = checkTags(input.tags ?? []);
    const facts = { accountId: scope.accountId, roleArn: input.roleArn, sessionName: input.sessionName, tags, ...(input.externalId !== undefined && { externalId: input.externalId }) };
    const trust = role && parsePolicyDocument(role.assumeRolePolicyDocument, 'resource');
    if (!role || !trust?.ok || !trustsCaller(trust.document, caller, facts)) throw notAuthorizedToAssume(caller.arn, input.roleArn);
    const chained = caller.kind === 'assumed-role';
    const duration = input.durationSeconds ?? DEFAULT_DURATION;
    if (chained && duration > CHAINED_MAX) {
      throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    if (input.policy !== undefined) checkSessionPolicy(input.policy);
    const packed = packedSize(input.policy, input.policyArns ?? [], tags);
    const session = roleSession(scope.accountId, role, input.sessionName, input.policy);
    const credentials = this.issue(scope.accountId, session, scope.now.getTime(), duration, tags, input.policyArns);
    return {
      credentials,
      assumedRoleId: session.userId,
      arn: session.arn,
      ...((input.policy !== undefined || tags.length > 0 || (input.policyArns ?? []).length > 0) && { packedPolicySize: packed }),
    };
  }

  /** GetSessionToken: temporary credentials that act as the caller (the root or a user). */
  getSessionToken(scope: Scope, durationSeconds?: number): TemporaryCredentials {
    const caller = scope.caller ?? rootCaller(scope.accountId);
    if (caller.temporary) throw accessDenied('Cannot call GetSessionToken with session credentials');
    let duration = durationSeconds ?? SESSION_TOKEN_DEFAULT;
    if (caller.kind === 'root') duration = Math.min(duration, ROOT_SESSION_MAX);
    const { accessKeyId: _key, temporary: _t, ...identity } = caller;
    return this.issue(scope.accountId, identity, scope.now.getTime(), duration, []);
  }

  /**
   * A task's role credentials, as ECS hands them to a task (session name: the task id), or the
   * stopped reason ECS gives when the role does not exist or does not trust ecs-tasks.amazonaws.com.
   */
  async forTask(accountId: string, roleArn: string, taskId: string, now: Date): Promise<TaskRoleCredentials> {
    const trust = await roleTrusts(this.store, accountId, roleArn, ECS_TASKS_PRINCIPAL);
    const role = trust === 'ok' ? await this.roleOf(accountId, roleArn) : undefined;
    if (!role) {
      return {
        ok: false,
        reason:
          `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed ` +
          'has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.',
      };
    }
    const session = roleSession(accountId, role, taskId, undefined);
    return { ok: true, credentials: this.issue(accountId, session, now.getTime(), TASK_CREDENTIALS_SECONDS, []) };
  }

  private async roleOf(accountId: string, roleArn: string): Promise<RoleRecord | undefined> {
    const match = ROLE_ARN.exec(roleArn);
    if (!match || match[1] !== accountId) return undefined;
    const role = await this.store.collection<RoleRecord>(ROLES).get(entityKey(accountId, match[3]!));
    return role && role.arn === roleArn ? role : undefined;
  }

  private issue(accountId: string, caller: SessionClaims['caller'], nowMs: number, seconds: number, tags: readonly Tag[], policyArns?: readonly string[]): TemporaryCredentials {
    const claims: SessionClaims = {
      v: 1,
      accountId,
      accessKeyId: newTemporaryAccessKeyId(),
      secretAccessKey: newSecretAccessKey(),
      issuedAt: nowMs,
      // STS states expirations to the second.
      expiresAt: Math.floor(nowMs / 1000) * 1000 + seconds * 1000,
      caller,
      ...(tags.length > 0 && { tags: [...tags] }),
      ...(policyArns && policyArns.length > 0 && { policyArns: [...policyArns] }),
    };
    return { accessKeyId: claims.accessKeyId, secretAccessKey: claims.secretAccessKey, sessionToken: sealSessionToken(this.sealer, claims), expiration: claims.expiresAt };
  }
}

/** The identity of a role session: `assumed-role/<role>/<session>`, UserId `<role id>:<session>`. */
function roleSession(accountId: string, role: RoleRecord, sessionName: string, policy: string | undefined): SessionClaims['caller'] {
  return {
    kind: 'assumed-role',
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.arn,
    ...(policy !== undefined && { sessionPolicy: policy }),
  };
}

/** The account's root, for requests made without a caller (the platform's own). */
export const rootCaller = (accountId: string): Caller => ({ kind: 'root', arn: `arn:aws:iam::${accountId}:root`, userId: accountId, accessKeyId: '' });

function checkTags(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const t of tags) {
    const key = t.Key.toLowerCase();
    if (seen.has(key)) throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

function checkSessionPolicy(text: string): void {
  if (text.length > SESSION_POLICY_MAX) {
    throw validationError(`1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${SESSION_POLICY_MAX}`);
  }
  const parsed = parsePolicyDocument(text, 'identity');
  if (!parsed.ok) throw malformedSessionPolicy(parsed.problem === 'the policy is not valid JSON' ? 'The policy is not in the valid JSON format.' : 'Syntax errors in policy.');
}

/** The percentage of the packed allowance the session policy, policy ARNs and tags use; over 100 is refused. */
function packedSize(policy: string | undefined, policyArns: readonly string[], tags: readonly Tag[]): number {
  const minified = policy === undefined ? '' : JSON.stringify(JSON.parse(policy));
  const packed = deflateRawSync(Buffer.from(JSON.stringify([minified, policyArns, tags]), 'utf8')).length;
  const percent = Math.ceil((100 * packed) / PACKED_LIMIT);
  if (percent > 100) throw packedPolicyTooLarge();
  return percent;
}
