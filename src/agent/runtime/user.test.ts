import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd, resolveUser } from './user.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  '# a comment',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'app:x:1000:1000:App:/home/app:/bin/sh',
  '1234:x:5000:5000::/home/numeric:/bin/sh',
  'broken:x:notanumber:0::/:/bin/sh',
  'short:x:7',
].join('\n');
const GROUP = ['root:x:0:', 'app:x:1000:', 'audio:x:29:app,other', 'video:x:44:app', 'staff:x:50:'].join('\n');

describe('passwd and group parsing', () => {
  it('skips comments and malformed lines', () => {
    expect(parsePasswd(PASSWD).map((u) => u.name)).toEqual(['root', 'daemon', 'app', '1234']);
    expect(parseGroup(GROUP).find((g) => g.name === 'audio')?.members).toEqual(['app', 'other']);
  });
});

describe('resolveUser', () => {
  it('defaults to root with its home', () => {
    expect(resolveUser(undefined, PASSWD, GROUP)).toEqual({ uid: 0, gid: 0, additionalGids: [], home: '/root' });
    expect(resolveUser('', undefined, undefined)).toEqual({ uid: 0, gid: 0, additionalGids: [], home: '/' });
  });

  it('resolves a name with its primary and supplementary groups', () => {
    expect(resolveUser('app', PASSWD, GROUP)).toEqual({ uid: 1000, gid: 1000, additionalGids: [29, 44], home: '/home/app' });
  });

  it('takes a uid that has an entry from that entry, and one that has none as is', () => {
    expect(resolveUser('1000', PASSWD, GROUP)).toMatchObject({ uid: 1000, gid: 1000, home: '/home/app' });
    expect(resolveUser('4242', PASSWD, GROUP)).toEqual({ uid: 4242, gid: 0, additionalGids: [], home: '/' });
  });

  it('prefers a user named like a number', () => {
    expect(resolveUser('1234', PASSWD, GROUP)).toMatchObject({ uid: 5000, gid: 5000 });
  });

  it('applies an explicit group by number or name and drops supplementary groups', () => {
    expect(resolveUser('app:50', PASSWD, GROUP)).toEqual({ uid: 1000, gid: 50, additionalGids: [], home: '/home/app' });
    expect(resolveUser('app:staff', PASSWD, GROUP)).toMatchObject({ gid: 50, additionalGids: [] });
    expect(resolveUser('33:44', undefined, undefined)).toEqual({ uid: 33, gid: 44, additionalGids: [], home: '/' });
  });

  it('refuses unknown names like Docker', () => {
    expect(() => resolveUser('nobody', PASSWD, GROUP)).toThrow('unable to find user nobody: no matching entries in passwd file');
    expect(() => resolveUser('app:nogroup', PASSWD, GROUP)).toThrow('unable to find group nogroup');
    expect(() => resolveUser('app', undefined, undefined)).toThrow('unable to find user app');
    expect(() => resolveUser('99999999999', PASSWD, GROUP)).toThrow('unable to find user');
  });
});
