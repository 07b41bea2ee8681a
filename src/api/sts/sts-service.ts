import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import type { Caller, Scope } from '../../lib/scope.js';
import { rootCaller, type SecurityTokens, type TemporaryCredentials } from '../../iam/sts/security-tokens.js';
import { validationError } from '../../iam/sts/sts-errors.js';
import { withCommonErrors } from '../secretsmanager/common-errors.js';
import { STS_ERROR_STATUSES, stsErrorName } from './errors.js';

/** Input members of the operations served (validated against the model before they arrive). */
interface AssumeRoleWire {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  Tags?: Array<{ Key: string; Value: string }>;
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
  TransitiveTagKeys?: string[];
  ProvidedContexts?: Array<{ ProviderArn?: string; ContextAssertion?: string }>;
}

/**
 * Members this endpoint does not act on, refused rather than dropped: it has no MFA devices to
 * check a code against (a session it issued would never be MFA-authenticated, so a policy that
 * asks for MFA would refuse it); its sessions keep no source identity (sts:SetSourceIdentity,
 * aws:SourceIdentity) and carry no session tags into chained sessions; and it has no trusted
 * identity propagation to take context assertions from.
 */
const REFUSED: ReadonlyArray<{ member: keyof AssumeRoleWire; why: string }> = [
  { member: 'SerialNumber', why: 'it has no MFA devices' },
  { member: 'TokenCode', why: 'it has no MFA devices' },
  { member: 'SourceIdentity', why: 'its sessions keep no source identity' },
  { member: 'TransitiveTagKeys', why: 'session tags are not carried into chained role sessions' },
  { member: 'ProvidedContexts', why: 'it has no trusted identity propagation' },
];

function refuseNotActedOn(input: Partial<AssumeRoleWire>): void {
  for (const { member, why } of REFUSED) {
    if (input[member] !== undefined) throw validationError(`The parameter ${member} is not supported by this endpoint: ${why}.`);
  }
}

/** STS over the Query protocol: who the caller is, and temporary credentials (AssumeRole, GetSessionToken). */
export function stsService(tokens: SecurityTokens): AwsService {
  return {
    signingName: 'sts',
    // AccessDenied and ValidationError are STS's common errors, listed on no operation of the model.
    model: withCommonErrors(loadServiceModel('sts'), ['AccessDenied', 'ValidationError']),
    handlers: {
      async GetCallerIdentity(_input: unknown, { scope }) {
        const caller = callerOf(scope);
        return { UserId: caller.userId, Account: scope.accountId, Arn: caller.arn };
      },
      async AssumeRole(input: AssumeRoleWire, { scope }) {
        refuseNotActedOn(input);
        const assumed = await tokens.assumeRole(scope, {
          roleArn: input.RoleArn,
          sessionName: input.RoleSessionName,
          ...(input.DurationSeconds !== undefined && { durationSeconds: input.DurationSeconds }),
          ...(input.Policy !== undefined && { policy: input.Policy }),
          ...(input.PolicyArns && { policyArns: input.PolicyArns.map((p) => p.arn ?? '') }),
          ...(input.Tags && { tags: input.Tags }),
          ...(input.ExternalId !== undefined && { externalId: input.ExternalId }),
        });
        return {
          Credentials: wireCredentials(assumed.credentials),
          AssumedRoleUser: { AssumedRoleId: assumed.assumedRoleId, Arn: assumed.arn },
          ...(assumed.packedPolicySize !== undefined && { PackedPolicySize: assumed.packedPolicySize }),
        };
      },
      async GetSessionToken(input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string }, { scope }) {
        refuseNotActedOn(input);
        return { Credentials: wireCredentials(tokens.getSessionToken(scope, input.DurationSeconds)) };
      },
      // Every key of this endpoint belongs to its one account.
      async GetAccessKeyInfo(_input: { AccessKeyId: string }, { scope }) {
        return { Account: scope.accountId };
      },
    },
    errorName: stsErrorName,
    errorStatuses: STS_ERROR_STATUSES,
    constraintErrorName: 'ValidationError',
    genericErrorNames: { client: 'InvalidParameterValue', server: 'InternalFailure' },
  };
}

const callerOf = (scope: Scope): Caller => scope.caller ?? rootCaller(scope.accountId);

/** Credentials on the wire: the expiration in epoch seconds, as the Query serialiser takes timestamps. */
const wireCredentials = (c: TemporaryCredentials) => ({
  AccessKeyId: c.accessKeyId,
  SecretAccessKey: c.secretAccessKey,
  SessionToken: c.sessionToken,
  Expiration: c.expiration / 1000,
});
