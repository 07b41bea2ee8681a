import { registryError } from '../errors.js';
import { ErrorKind } from '../../lib/errors.js';

/** One rule of an ECR lifecycle policy. */
export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  selection: LifecycleSelection;
  action: { type: 'expire' };
}

/** Which images a rule selects, and how many or how old before they expire. */
export interface LifecycleSelection {
  tagStatus: 'tagged' | 'untagged' | 'any';
  tagPrefixList?: string[];
  tagPatternList?: string[];
  countType: 'imageCountMoreThan' | 'sinceImagePushed';
  countUnit?: 'days';
  countNumber: number;
}

/** A parsed, valid lifecycle policy. */
export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

const RULE_KEYS = new Set(['rulePriority', 'description', 'selection', 'action']);
const SELECTION_KEYS = new Set(['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber']);
/** AWS allows at most four wildcards per tag pattern. */
const MAX_WILDCARDS = 4;

/** AWS's wording for every lifecycle policy validation failure. */
const invalid = (detail: string) =>
  registryError(
    ErrorKind.InvalidArgument,
    'lifecycle-policy-invalid',
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${detail}'`,
  );

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a lifecycle policy and applies AWS's validation: the JSON schema (required and allowed
 * properties, enums, minimums) and the cross-rule rules (unique priorities, tagged rules need a
 * prefix or pattern list, one untagged rule, the `any` rule last).
 */
export function parseLifecyclePolicy(text: string): LifecyclePolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('Could not map policyString into LifecyclePolicy.');
  }
  if (!isObject(json)) throw invalid('Could not map policyString into LifecyclePolicy.');
  if (!Array.isArray(json.rules)) throw invalid('object has missing required properties (["rules"])');
  if (json.rules.length === 0) throw invalid('array is too short: must have at least 1 elements but instance has 0 elements');
  const rules = json.rules.map(parseRule);
  checkRuleSet(rules);
  return { rules };
}

function parseRule(value: unknown): LifecycleRule {
  if (!isObject(value)) throw invalid('instance type does not match any allowed primitive type (allowed: ["object"])');
  requireKeys(value, ['action', 'rulePriority', 'selection']);
  allowKeys(value, RULE_KEYS);
  const { rulePriority, description, selection, action } = value;
  if (typeof rulePriority !== 'number' || !Number.isInteger(rulePriority)) throw invalid('instance type does not match any allowed primitive type (allowed: ["integer"])');
  if (rulePriority < 1) throw invalid(`numeric instance is lower than the required minimum (minimum: 1, found: ${rulePriority})`);
  if (description !== undefined && typeof description !== 'string') throw invalid('instance type does not match any allowed primitive type (allowed: ["string"])');
  if (!isObject(action)) throw invalid('instance type does not match any allowed primitive type (allowed: ["object"])');
  requireKeys(action, ['type']);
  allowKeys(action, new Set(['type']));
  if (action.type !== 'expire') throw invalid(`instance value (${String(action.type)}) not found in enum (possible values: ["expire"])`);
  return { rulePriority, ...(description !== undefined && { description }), selection: parseSelection(selection), action: { type: 'expire' } };
}

function parseSelection(value: unknown): LifecycleSelection {
  if (!isObject(value)) throw invalid('instance type does not match any allowed primitive type (allowed: ["object"])');
  requireKeys(value, ['countNumber', 'countType', 'tagStatus']);
  allowKeys(value, SELECTION_KEYS);
  const { tagStatus, countType, countUnit, countNumber } = value;
  if (tagStatus !== 'tagged' && tagStatus !== 'untagged' && tagStatus !== 'any') {
    throw invalid(`instance value (${String(tagStatus)}) not found in enum (possible values: ["any","tagged","untagged"])`);
  }
  if (countType !== 'imageCountMoreThan' && countType !== 'sinceImagePushed') throw invalid('instance failed to match exactly one schema (matched 0 out of 2)');
  if (typeof countNumber !== 'number' || !Number.isInteger(countNumber)) throw invalid('instance type does not match any allowed primitive type (allowed: ["integer"])');
  if (countNumber < 1) throw invalid(`numeric instance is lower than the required minimum (minimum: 1, found: ${countNumber})`);
  if (countType === 'sinceImagePushed' && countUnit !== 'days') {
    throw invalid(countUnit === undefined ? 'countUnit must be specified when countType is sinceImagePushed' : `instance value (${String(countUnit)}) not found in enum (possible values: ["days"])`);
  }
  if (countType === 'imageCountMoreThan' && countUnit !== undefined) throw invalid('countUnit must not be specified when countType is imageCountMoreThan');
  const tagPrefixList = stringList(value.tagPrefixList);
  const tagPatternList = stringList(value.tagPatternList);
  if (tagStatus === 'tagged') {
    if (!tagPrefixList?.length && !tagPatternList?.length) throw invalid('Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.');
    if (tagPrefixList && tagPatternList) throw invalid('tagPrefixList and tagPatternList cannot both be specified in a rule.');
  } else if (tagPrefixList || tagPatternList) {
    throw invalid(`tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.`);
  }
  for (const pattern of tagPatternList ?? []) {
    if (pattern.split('*').length - 1 > MAX_WILDCARDS) throw invalid(`Tag pattern '${pattern}' has more than ${MAX_WILDCARDS} wildcards.`);
  }
  return {
    tagStatus,
    ...(tagPrefixList && { tagPrefixList }),
    ...(tagPatternList && { tagPatternList }),
    countType,
    ...(countUnit === 'days' && { countUnit: 'days' as const }),
    countNumber,
  };
}

function checkRuleSet(rules: LifecycleRule[]): void {
  const priorities = new Set<number>();
  for (const rule of rules) {
    if (priorities.has(rule.rulePriority)) throw invalid(`Rule priorities must be unique: ${rule.rulePriority} is used more than once.`);
    priorities.add(rule.rulePriority);
  }
  if (rules.filter((r) => r.selection.tagStatus === 'untagged').length > 1) throw invalid('Only one rule can select Untagged images.');
  const highest = Math.max(...rules.map((r) => r.rulePriority));
  if (rules.some((r) => r.selection.tagStatus === 'any' && r.rulePriority !== highest) || rules.filter((r) => r.selection.tagStatus === 'any').length > 1) {
    throw invalid('Rule for tagStatus=ANY must have the lowest priority.');
  }
  const prefixSets = new Set<string>();
  for (const rule of rules) {
    const list = rule.selection.tagPrefixList ?? rule.selection.tagPatternList;
    if (!list) continue;
    const key = JSON.stringify([rule.selection.tagPrefixList ? 'prefix' : 'pattern', [...list].sort()]);
    if (prefixSets.has(key)) throw invalid('The set of rules must contain a unique set of tag prefixes.');
    prefixSets.add(key);
  }
}

function requireKeys(value: Json, keys: string[]): void {
  const missing = keys.filter((k) => value[k] === undefined);
  if (missing.length) throw invalid(`object has missing required properties (${JSON.stringify(missing)})`);
}

function allowKeys(value: Json, allowed: ReadonlySet<string>): void {
  const extra = Object.keys(value).filter((k) => !allowed.has(k));
  if (extra.length) throw invalid(`object instance has properties which are not allowed by the schema: (${JSON.stringify(extra)})`);
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw invalid('instance type does not match any allowed primitive type (allowed: ["array"] of non-empty strings)');
  }
  return value as string[];
}
