import { formatArn, parseArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import { hierarchyTooDeep, reservedName, validation } from './errors.js';
import { MAX_LEVELS } from './parameter.js';

/**
 * Parameter names (Systems Manager User Guide, "Requirements and constraints for parameter names"):
 * letters, digits and `_.-`, with `/` separating the levels of a hierarchy; a hierarchical name
 * begins with `/`; at most 15 levels; names can't begin with `aws` or `ssm` (case-insensitive), and
 * `/aws/...` is AWS's own namespace. A name of one level is the same parameter with or without its
 * leading slash (verified against AWS: `/x` and `x` read, tag and delete the same parameter).
 */

/** AWS's ValidationException text for a malformed name (it also covers bad characters). */
export const NAME_REQUIREMENTS =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths ' +
  'divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/** AWS's ValidationException text for a malformed path (GetParametersByPath, Path filters). */
export const PATH_REQUIREMENTS =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". ' +
  'It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: ' +
  '. (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the ' +
  'forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

const SEGMENT = /^[a-zA-Z0-9_.-]+$/;

// The ARN that precedes a name counts against the 1011 characters a created name may have.
const MAX_ARN_LENGTH = 1011;

/** The store key of a name: one-level names lose their leading slash. */
export function normalizeName(name: string): string {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  return bare.includes('/') ? name : bare;
}

/** The ARN of a parameter (the resource never doubles the slash). */
export function parameterArn(region: string, accountId: string, name: string): string {
  return formatArn('ssm', region, accountId, `parameter/${name.replace(/^\//, '')}`);
}

/** Checks the name PutParameter creates; returns it with surrounding spaces removed, as AWS does. */
export function checkParameterName(scope: Scope, raw: string): string {
  const name = raw.trim();
  const levels = name.replace(/^\//, '').split('/');
  const hierarchical = levels.length > 1;
  const bare = name.replace(/^\//, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    if (hierarchical && name.toLowerCase().startsWith('/aws')) throw reservedName(name);
    throw validation(hierarchical ? NAME_REQUIREMENTS : 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
  if ((hierarchical && !name.startsWith('/')) || !levels.every((s) => SEGMENT.test(s))) throw validation(NAME_REQUIREMENTS);
  if (levels.length > MAX_LEVELS) {
    throw hierarchyTooDeep(
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names ' +
        'in the Amazon Web Services Systems Manager User Guide.',
    );
  }
  if (parameterArn(scope.region, scope.accountId, name).length > MAX_ARN_LENGTH) {
    throw validation(`Parameter name is too long: with the ARN that precedes it, it must not exceed ${MAX_ARN_LENGTH} characters.`);
  }
  return name;
}

/** Checks a hierarchy path (GetParametersByPath's Path, a Path filter's values). */
export function checkPath(path: string): void {
  if (!path.startsWith('/') || path.includes('//')) throw validation(PATH_REQUIREMENTS);
  const levels = path.split('/').filter((s) => s !== '');
  if (!levels.every((s) => SEGMENT.test(s))) throw validation(PATH_REQUIREMENTS);
}

/** A parameter as a request refers to it: its name and, optionally, a version or label selector. */
export interface ParameterReference {
  name: string;
  selector?: { version: number } | { label: string };
  /** The selector as written, with its colon (GetParameter's Selector). */
  selectorText?: string;
}

/**
 * Reads `name`, `name:version`, `name:label` or a parameter ARN (with the same selectors) in this
 * scope. Undefined when it cannot name a parameter here (an ARN of another account or region, or
 * more than one selector).
 */
export function parseParameterReference(scope: Scope, ref: string): ParameterReference | undefined {
  let text = ref;
  const arn = parseArn(ref);
  if (arn) {
    if (arn.service !== 'ssm' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
    if (!arn.resource.startsWith('parameter/')) return undefined;
    text = arn.resource.slice('parameter'.length);
  }
  const parts = text.split(':');
  if (parts.length > 2 || parts[0] === '') return undefined;
  const name = parts[0]!;
  if (parts.length === 1) return { name };
  const selector = parts[1]!;
  if (selector === '') return undefined;
  return /^\d+$/.test(selector)
    ? { name, selector: { version: Number(selector) }, selectorText: `:${selector}` }
    : { name, selector: { label: selector }, selectorText: `:${selector}` };
}
