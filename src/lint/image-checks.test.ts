import { describe, expect, it } from 'vitest';
import { lintImage, modeString, type ImageConfigDocument, type ImageFile } from './image-checks.js';

const file = (path: string, content?: string, mode = 0o644): ImageFile => ({ path, mode, type: 'file', ...(content !== undefined && { content }) });

const SHADOW = 'root:*:19000:0:99999:7:::\nnobody:!:19000::::::\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\napp:x:1000:\n';

/** A well-kept image: a user, a health check, no caches, no secrets. */
const cleanConfig: ImageConfigDocument = {
  config: { User: 'app', Env: ['PATH=/usr/bin', 'LANG=C.UTF-8'], Healthcheck: { Test: ['CMD', 'true'] } },
  history: [{ created_by: '/bin/sh -c #(nop) ADD file:0123 in / ' }, { created_by: 'COPY app /app # buildkit' }],
};
const cleanFiles = [file('etc/shadow', SHADOW), file('etc/passwd', PASSWD), file('etc/group', GROUP), file('app/server.js'), { path: 'var/lib/apt/lists', mode: 0o755, type: 'directory' as const }];

const codes = (config: ImageConfigDocument, files: ImageFile[], tag = '1.0') => lintImage(config, files, tag).map((f) => f.code);

describe('lintImage', () => {
  it('finds nothing in a well-kept image', () => {
    expect(lintImage(cleanConfig, cleanFiles, '1.0')).toEqual([]);
  });

  it('CIS-DI-0001: no user, or root', () => {
    for (const User of ['', 'root', '0', '0:0']) expect(codes({ ...cleanConfig, config: { ...cleanConfig.config, User } }, cleanFiles)).toEqual(['CIS-DI-0001']);
    const { User: _, ...rootless } = cleanConfig.config!;
    expect(lintImage({ ...cleanConfig, config: rootless }, cleanFiles, '1.0')).toEqual([{ code: 'CIS-DI-0001', level: 'WARN', title: 'Create a user for the container', alerts: ['Last user should not be root'] }]);
  });

  it('CIS-DI-0006: no HEALTHCHECK, or HEALTHCHECK NONE', () => {
    expect(codes({ ...cleanConfig, config: { User: 'app' } }, cleanFiles)).toEqual(['CIS-DI-0006']);
    expect(lintImage({ ...cleanConfig, config: { User: 'app', Healthcheck: { Test: ['NONE'] } } }, cleanFiles, '1')[0]).toMatchObject({ code: 'CIS-DI-0006', level: 'INFO' });
  });

  it('CIS-DI-0008: setuid and setgid files, not directories', () => {
    const findings = lintImage(cleanConfig, [...cleanFiles, file('usr/bin/passwd', undefined, 0o4755), file('usr/bin/wall', undefined, 0o2755), { path: 'var/mail', mode: 0o2775, type: 'directory' }], '1');
    expect(findings).toEqual([
      { code: 'CIS-DI-0008', level: 'INFO', title: 'Confirm safety of setuid/setgid files', alerts: ['setuid file: -rwsr-xr-x /usr/bin/passwd', 'setgid file: -rwxr-sr-x /usr/bin/wall'] },
    ]);
    expect(modeString(0o4644)).toBe('-rwSr--r--');
  });

  it('CIS-DI-0009: ADD after the base image', () => {
    const config = { ...cleanConfig, history: [...cleanConfig.history!, { created_by: '/bin/sh -c #(nop) ADD file:abcd in /app/ ' }] };
    expect(lintImage(config, cleanFiles, '1')).toEqual([
      { code: 'CIS-DI-0009', level: 'FATAL', title: 'Use COPY instead of ADD in Dockerfile', alerts: ['Use COPY : /bin/sh -c #(nop) ADD file:abcd in /app/ '] },
    ]);
  });

  it('CIS-DI-0010: secrets in ENV names and credential files', () => {
    const config = { ...cleanConfig, config: { ...cleanConfig.config, Env: ['PATH=/bin', 'DB_PASSWORD=x', 'GITHUB_TOKEN=y', 'api_key=z'] } };
    const files = [...cleanFiles, file('root/.aws/credentials'), file('home/app/.ssh/id_rsa'), file('home/app/.npmrc', '//registry.npmjs.org/:_authToken=abc\n'), file('app/.npmrc', 'save-exact=true\n'), file('etc/vpn/office.ovpn')];
    const [finding] = lintImage(config, files, '1');
    expect(finding!.code).toBe('CIS-DI-0010');
    expect(finding!.level).toBe('FATAL');
    expect(finding!.alerts).toEqual([
      'Suspicious filename found : /root/.aws/credentials',
      'Suspicious filename found : /home/app/.ssh/id_rsa',
      'npm auth token found : /home/app/.npmrc',
      'Suspicious file extension found : /etc/vpn/office.ovpn',
      'Suspicious ENV key found : DB_PASSWORD',
      'Suspicious ENV key found : GITHUB_TOKEN',
      'Suspicious ENV key found : api_key',
    ]);
  });

  it('DKL-DI-0005 and DKL-DI-0004: package caches left in the file system or by the history', () => {
    const files = [...cleanFiles, file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease'), file('var/lib/apt/lists/lock'), file('var/cache/apk/APKINDEX.tar.gz')];
    expect(lintImage(cleanConfig, files, '1').map((f) => [f.code, f.title, f.alerts])).toEqual([
      ['DKL-DI-0004', 'Use "apk add" with --no-cache', ['apk cache left in the image: 1 file(s) under /var/cache/apk']],
      ['DKL-DI-0005', 'Clear apt-get caches', ['apt lists left in the image: 1 file(s) under /var/lib/apt/lists']],
    ]);
    const history = [{ created_by: 'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit' }, { created_by: 'RUN /bin/sh -c apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/* # buildkit' }, { created_by: 'RUN /bin/sh -c apk add curl' }];
    expect(codes({ ...cleanConfig, history }, cleanFiles)).toEqual(['DKL-DI-0004', 'DKL-DI-0005']);
  });

  it('DKL-DI-0006: the latest tag', () => {
    expect(lintImage(cleanConfig, cleanFiles, 'latest')).toEqual([{ code: 'DKL-DI-0006', level: 'WARN', title: 'Avoid latest tag', alerts: ["Avoid 'latest' tag"] }]);
  });

  it('DKL-LI-0001: an empty password in /etc/shadow', () => {
    const files = [file('etc/shadow', `${SHADOW}guest::19000:0:99999:7:::\n`), file('etc/passwd', PASSWD), file('etc/group', GROUP)];
    expect(lintImage(cleanConfig, files, '1')).toEqual([{ code: 'DKL-LI-0001', level: 'FATAL', title: 'Avoid empty password', alerts: ['No password user found! username : guest'] }]);
  });

  it('DKL-LI-0002: duplicate UIDs and GIDs', () => {
    const files = [file('etc/shadow', SHADOW), file('etc/passwd', `${PASSWD}toor:x:0:0::/root:/bin/sh\n`), file('etc/group', `${GROUP}wheel:x:0:\n`)];
    expect(lintImage(cleanConfig, files, '1')).toEqual([
      { code: 'DKL-LI-0002', level: 'FATAL', title: 'Be unique UID/GROUP', alerts: ['duplicate UID 0 : username toor', 'duplicate GroupID 0 : username wheel'] },
    ]);
  });

  it('orders findings FATAL, WARN, INFO', () => {
    const levels = lintImage({ history: [] }, [file('etc/shadow', 'x::1:::::\n')], 'latest').map((f) => f.level);
    expect(levels).toEqual(['FATAL', 'WARN', 'WARN', 'INFO']);
  });
});
