import { invalidFilterKey, invalidFilterOption, invalidFilterValue, validation } from './errors.js';
import { checkPath } from './names.js';
import type { ParameterTag, ParameterVersionRecord } from './parameter.js';

/**
 * ParameterStringFilter (DescribeParameters, GetParametersByPath) and the older ParametersFilter
 * (DescribeParameters' Filters). Messages are the ones Parameter Store sends, as recorded by moto.
 */

/** A ParameterStringFilter as the request carries it. */
export interface ParameterStringFilter {
  Key: string;
  Option?: string;
  Values?: string[];
}

/** A ParametersFilter (Name is a prefix match, Type and KeyId equality). */
export interface ParametersFilter {
  Key: string;
  Values: string[];
}

/** Which operation the filters are for: they accept different keys. */
export type FilterContext = 'describe' | 'by-path';

const TYPES = ['String', 'StringList', 'SecureString'];
const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'];

/** Refuses filters the operation does not accept. */
export function checkParameterFilters(filters: readonly ParameterStringFilter[], context: FilterContext): void {
  const seen = new Set<string>();
  for (const filter of filters) {
    const key = filter.Key;
    const isTag = key.startsWith('tag:');
    if (context === 'by-path' && !isTag && !['Type', 'KeyId', 'Label'].includes(key)) {
      throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId].`);
    }
    if (context === 'describe' && key === 'Label') {
      throw invalidFilterKey('The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
    }
    if (seen.has(key)) {
      throw invalidFilterKey(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    }
    seen.add(key);
    const values = filter.Values ?? [];
    if (!isTag && values.length === 0) throw invalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
    checkOption(key, optionOf(filter));
    if (key === 'Path') values.forEach(checkFilterPath);
    if (key === 'Type') checkValues(values, TYPES);
    if (key === 'Tier') checkValues(values, TIERS);
  }
}

function checkOption(key: string, option: string): void {
  const allowed = key === 'Path' ? ['Recursive', 'OneLevel'] : key === 'Name' ? ['BeginsWith', 'Contains', 'Equals'] : key === 'Label' ? ['Equals'] : ['BeginsWith', 'Equals'];
  if (!allowed.includes(option)) {
    throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${allowed.join(', ')}].`);
  }
}

function checkValues(values: readonly string[], valid: readonly string[]): void {
  for (const value of values) {
    if (!valid.includes(value)) {
      throw invalidFilterValue(`The following filter value is not valid: ${value}. Valid values include: [${valid.join(', ')}].`);
    }
  }
}

function checkFilterPath(value: string): void {
  if (/^\/?(aws|ssm)/i.test(value)) {
    throw validation(
      'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, ' +
        'please specify within a global namespace.',
    );
  }
  checkPath(value);
}

const optionOf = (filter: ParameterStringFilter) => filter.Option ?? (filter.Key === 'Path' ? 'OneLevel' : 'Equals');

/** What the filters look at: one version of a parameter, with the parameter's name and tags. */
export interface FilterSubject {
  name: string;
  version: ParameterVersionRecord;
  tags: readonly ParameterTag[];
}

/** Whether a parameter version passes every ParameterStringFilter. */
export function matchesParameterFilters(subject: FilterSubject, filters: readonly ParameterStringFilter[]): boolean {
  return filters.every((f) => matchesFilter(subject, f));
}

// Names compare with one leading slash, so `x` and `/x` are the same name here too.
const slashed = (name: string) => `/${name.replace(/^\//, '')}`;

function matchesFilter(subject: FilterSubject, filter: ParameterStringFilter): boolean {
  const values = filter.Values ?? [];
  const option = optionOf(filter);
  const { name, version } = subject;
  switch (filter.Key) {
    case 'Name':
      if (option === 'Contains') return values.some((v) => name.includes(v));
      return compare([slashed(name)], values.map(slashed), option);
    case 'Path':
      return values.some((v) => underPath(name, v, option === 'Recursive'));
    case 'Type':
      return compare([version.type], values, option);
    case 'KeyId':
      return compare(version.keyId === undefined ? [] : [version.keyId], values, option);
    case 'Tier':
      return compare([version.tier], values, option);
    case 'DataType':
      return compare([version.dataType], values, option);
    case 'Label':
      return version.labels.some((l) => values.includes(l));
    default: {
      const tagKey = filter.Key.slice('tag:'.length);
      const tagValues = subject.tags.filter((t) => t.Key === tagKey).map((t) => t.Value);
      if (values.length === 0) return tagValues.length > 0;
      return compare(tagValues, values, option);
    }
  }
}

function compare(actual: readonly string[], wanted: readonly string[], option: string): boolean {
  return option === 'BeginsWith' ? actual.some((a) => wanted.some((w) => a.startsWith(w))) : actual.some((a) => wanted.includes(a));
}

/** Whether `name` lies under `path`: directly (one level) or anywhere below (recursive). */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const full = slashed(name);
  const base = path.replace(/\/+$/, '');
  if (!full.startsWith(`${base}/`)) return false;
  return recursive || !full.slice(base.length + 1).includes('/');
}

/** Whether a parameter passes the older ParametersFilter list. */
export function matchesLegacyFilters(subject: FilterSubject, filters: readonly ParametersFilter[]): boolean {
  return filters.every((f) => {
    switch (f.Key) {
      case 'Name':
        return f.Values.some((v) => slashed(subject.name).startsWith(slashed(v)));
      case 'Type':
        return f.Values.includes(subject.version.type);
      default:
        return subject.version.keyId !== undefined && f.Values.includes(subject.version.keyId);
    }
  });
}
