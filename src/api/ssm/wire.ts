import type { ParameterTag, ParameterVersionRecord } from '../../secrets/parameters/parameter.js';
import type { ParameterMetadata } from '../../secrets/parameters/parameter-queries.js';
import type { ParameterView } from '../../secrets/parameters/parameter-store.js';

/** Epoch seconds, as JSON 1.1 carries timestamps. */
const seconds = (ms: number): number => ms / 1000;

/** A tag list from the request (the model requires Key and Value). */
export const tagsIn = (tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): ParameterTag[] =>
  (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));

/**
 * Policies arrive as one JSON array of policies, each with its `Type`; Parameter Store lists them one
 * by one. This store keeps them without acting on them, so each stays Pending.
 */
function policiesOut(v: ParameterVersionRecord) {
  if (v.policies === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(v.policies);
  } catch {
    return [];
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((policy: unknown) => ({
    PolicyText: JSON.stringify(policy),
    PolicyType: typeof policy === 'object' && policy !== null && 'Type' in policy ? String(policy.Type) : 'Unknown',
    PolicyStatus: 'Pending',
  }));
}

/** A Parameter of GetParameter, GetParameters and GetParametersByPath. */
export function parameterOut(view: ParameterView) {
  return {
    Name: view.name,
    Type: view.version.type,
    Value: view.value,
    Version: view.version.version,
    ...(view.selector !== undefined && { Selector: view.selector }),
    LastModifiedDate: seconds(view.version.lastModifiedDate),
    ARN: view.arn,
    DataType: view.version.dataType,
  };
}

/** A ParameterMetadata of DescribeParameters: no value. */
export function metadataOut({ name, arn, version: v }: ParameterMetadata) {
  return {
    Name: name,
    ARN: arn,
    Type: v.type,
    ...(v.keyId !== undefined && { KeyId: v.keyId }),
    LastModifiedDate: seconds(v.lastModifiedDate),
    LastModifiedUser: v.lastModifiedUser,
    ...(v.description !== undefined && { Description: v.description }),
    ...(v.allowedPattern !== undefined && { AllowedPattern: v.allowedPattern }),
    Version: v.version,
    Tier: v.tier,
    Policies: policiesOut(v),
    DataType: v.dataType,
  };
}

/** A ParameterHistory entry of GetParameterHistory. */
export function historyOut(view: ParameterView) {
  const v = view.version;
  return {
    Name: view.name,
    Type: v.type,
    ...(v.keyId !== undefined && { KeyId: v.keyId }),
    LastModifiedDate: seconds(v.lastModifiedDate),
    LastModifiedUser: v.lastModifiedUser,
    ...(v.description !== undefined && { Description: v.description }),
    Value: view.value,
    ...(v.allowedPattern !== undefined && { AllowedPattern: v.allowedPattern }),
    Version: v.version,
    Labels: v.labels,
    Tier: v.tier,
    Policies: policiesOut(v),
    DataType: v.dataType,
  };
}
