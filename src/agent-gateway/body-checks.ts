/**
 * Shape checks for the protocol's JSON bodies: the agent is authenticated but its input is still
 * checked, so that a confused or outdated agent gets a clear 400 instead of a failure deep inside.
 */

/** A body member of the wrong type or missing. */
export class BadBodyError extends Error {
  override readonly name = 'BadBodyError';
}

/** The body as an object. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadBodyError('the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A required string member. */
export function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0) throw new BadBodyError(`${name} must be a non-empty string`);
  return v;
}

/** An optional string member. */
export function optStr(body: Record<string, unknown>, name: string): string | undefined {
  return body[name] === undefined ? undefined : str(body, name);
}

/** A required non-negative number member. */
export function num(body: Record<string, unknown>, name: string): number {
  const v = body[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadBodyError(`${name} must be a non-negative number`);
  return v;
}

/** A list of strings (absent = empty). */
export function strings(body: Record<string, unknown>, name: string): string[] {
  const v = body[name] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new BadBodyError(`${name} must be a list of strings`);
  return v as string[];
}

/** A list of objects (absent = empty). */
export function objects(body: Record<string, unknown>, name: string): Array<Record<string, unknown>> {
  const v = body[name] ?? [];
  if (!Array.isArray(v)) throw new BadBodyError(`${name} must be a list`);
  return v.map((x) => objectBody(x));
}

/** An optional object of strings by name (absent = undefined). */
export function optStringRecord(body: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new BadBodyError(`${name} must be an object of strings`);
  }
  return v as Record<string, string>;
}
