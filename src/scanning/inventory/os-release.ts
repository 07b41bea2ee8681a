import type { OsRelease } from './types.js';

/** Parses `os-release` (shell-style `KEY=value` lines, values optionally quoted). */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    fields.set(m[1]!, value.replace(/\\(["'$`\\])/g, '$1'));
  }
  const id = fields.get('ID');
  if (!id) return undefined;
  return {
    id: id.toLowerCase(),
    ...(fields.has('VERSION_ID') && { versionId: fields.get('VERSION_ID')! }),
    ...(fields.get('VERSION_CODENAME') && { versionCodename: fields.get('VERSION_CODENAME')! }),
    ...(fields.has('PRETTY_NAME') && { prettyName: fields.get('PRETTY_NAME')! }),
  };
}
