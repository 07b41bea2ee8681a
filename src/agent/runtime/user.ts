import { invalidParameter } from '../../lib/errors.js';

/** One /etc/passwd entry. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** One /etc/group entry. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** The identity a container process runs as. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** The passwd home directory, `/` when the user has no entry. */
  home: string;
}

const MAX_ID = 2 ** 31 - 1;

function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_ID ? n : undefined;
}

/** Parses /etc/passwd text; malformed lines are skipped as libc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    const uid = parseId(f[2]);
    const gid = parseId(f[3]);
    if (f.length < 7 || !f[0] || uid === undefined || gid === undefined) continue;
    entries.push({ name: f[0], uid, gid, home: f[5] || '/' });
  }
  return entries;
}

/** Parses /etc/group text; malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    const gid = parseId(f[2]);
    if (f.length < 4 || !f[0] || gid === undefined) continue;
    entries.push({ name: f[0], gid, members: (f[3] ?? '').split(',').filter((m) => m !== '') });
  }
  return entries;
}

/**
 * Resolves a Docker `user` value against the image's passwd and group files (undefined when the
 * file is missing), with Docker's rules: a name must exist; a number need not, and takes its
 * primary group and home from the passwd entry with that uid when there is one; an explicit group
 * (name or number) replaces the primary group and drops supplementary groups; otherwise the groups
 * that list the user as a member are added.
 */
export function resolveUser(user: string | undefined, passwd: string | undefined, group: string | undefined): ResolvedUser {
  const spec = (user ?? '').trim();
  const colon = spec.indexOf(':');
  const userPart = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
  const users = parsePasswd(passwd ?? '');
  const groups = parseGroup(group ?? '');

  let entry: PasswdEntry | undefined;
  let uid: number;
  if (userPart === '') {
    uid = 0;
    entry = users.find((u) => u.uid === 0);
  } else {
    // A name wins over a number, as in libcontainer: a user may be called "1000".
    entry = users.find((u) => u.name === userPart);
    if (entry) uid = entry.uid;
    else {
      const n = parseId(userPart);
      if (n === undefined) throw invalidParameter(`unable to find user ${userPart}: no matching entries in passwd file`);
      uid = n;
      entry = users.find((u) => u.uid === n);
    }
  }

  let gid = entry?.gid ?? 0;
  let additionalGids: number[] = [];
  if (groupPart !== undefined && groupPart !== '') {
    const byName = groups.find((g) => g.name === groupPart);
    if (byName) gid = byName.gid;
    else {
      const n = parseId(groupPart);
      if (n === undefined) throw invalidParameter(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = n;
    }
  } else if (entry) {
    const name = entry.name;
    additionalGids = [...new Set(groups.filter((g) => g.gid !== gid && g.members.includes(name)).map((g) => g.gid))];
  }
  return { uid, gid, additionalGids, home: entry?.home ?? '/' };
}
