import { describe, expect, it } from 'vitest';
import { DomainError, ErrorKind } from '../lib/errors.js';
import { errorNameLookup } from './error-table.js';

const lookup = errorNameLookup(
  {
    'Op:NotFound/thing': 'OpThingMissing',
    'NotFound/thing': 'ThingMissing',
    NotFound: 'Missing',
  },
  'Fallback',
);

describe('errorNameLookup', () => {
  it('prefers the operation entry, then kind/subject, then kind, then the fallback', () => {
    const thing = new DomainError(ErrorKind.NotFound, 'x', 'thing');
    expect(lookup(thing, 'Op')).toBe('OpThingMissing');
    expect(lookup(thing, 'Other')).toBe('ThingMissing');
    expect(lookup(thing)).toBe('ThingMissing');
    expect(lookup(new DomainError(ErrorKind.NotFound, 'x', 'other'), 'Op')).toBe('Missing');
    expect(lookup(new DomainError(ErrorKind.NotFound, 'x'), 'Op')).toBe('Missing');
    expect(lookup(new DomainError(ErrorKind.Internal, 'x', 'thing'), 'Op')).toBe('Fallback');
  });
});
