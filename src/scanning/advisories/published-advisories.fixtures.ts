/**
 * Advisory documents written from real published advisories, trimmed to the packages the tests
 * use, in the shapes minato imports. Versions and ids are the published ones:
 * - Debian: DSA-5514-1 (glibc, CVE-2023-4911), DSA-5532-1 (openssl, CVE-2023-5363, fixed with a `~`
 *   version), DSA-5724-1 (openssh, CVE-2024-6387, an epoch; bullseye's 8.4 was never affected).
 * - Alpine 3.19 secdb: openssl's secfixes (CVE-2023-6129 in 3.1.4-r3, CVE-2024-0727 in 3.1.4-r5).
 * - OSV: GHSA-jf85-cpcp-j695 (lodash, CVE-2019-10744), GHSA-jfh8-c2jp-5v3q (log4j-core, CVE-2021-44228,
 *   with the 2.12.2 backport), GO-2023-2102 (HTTP/2 rapid reset in golang.org/x/net and the standard
 *   library), GHSA-462w-v97r-4m45 (Jinja2, CVE-2019-10906).
 * The OSV records keep their CVSS v3 vectors (lodash's scores 9.1, Log4Shell's 10.0); the Go
 * database's records carry none.
 * Descriptions are shortened, and the records' `modified` stamps only have the right shape.
 */
export const DEBIAN_TRACKER = {
  glibc: {
    'CVE-2023-4911': {
      description: 'A buffer overflow was discovered in the GNU C Library\'s dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable.',
      scope: 'local',
      releases: {
        bookworm: { status: 'resolved', repositories: { bookworm: '2.36-9+deb12u3' }, fixed_version: '2.36-9+deb12u3', urgency: 'not yet assigned' },
        bullseye: { status: 'resolved', repositories: { bullseye: '2.31-13+deb11u7' }, fixed_version: '2.31-13+deb11u7', urgency: 'not yet assigned' },
        sid: { status: 'resolved', repositories: { sid: '2.37-12' }, fixed_version: '2.37-12', urgency: 'not yet assigned' },
      },
    },
  },
  openssl: {
    'CVE-2023-5363': {
      description: 'Issue summary: A bug has been identified in the processing of key and initialisation vector (IV) lengths.',
      scope: 'remote',
      releases: {
        bookworm: { status: 'resolved', repositories: { bookworm: '3.0.11-1~deb12u2' }, fixed_version: '3.0.11-1~deb12u2', urgency: 'not yet assigned' },
        bullseye: { status: 'resolved', repositories: { bullseye: '1.1.1w-0+deb11u1' }, fixed_version: '0', urgency: 'not yet assigned' },
      },
    },
  },
  openssh: {
    'CVE-2024-6387': {
      description: 'A security regression (CVE-2006-5051) was discovered in OpenSSH\'s server (sshd).',
      scope: 'remote',
      releases: {
        bookworm: { status: 'resolved', repositories: { bookworm: '1:9.2p1-2+deb12u3' }, fixed_version: '1:9.2p1-2+deb12u3', urgency: 'not yet assigned' },
        bullseye: { status: 'resolved', repositories: { bullseye: '1:8.4p1-5+deb11u3' }, fixed_version: '0', urgency: 'not yet assigned' },
      },
    },
  },
};

export const ALPINE_SECDB_3_19_MAIN = {
  apkurl: '{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk',
  archs: ['aarch64', 'armhf', 'armv7', 'ppc64le', 's390x', 'x86', 'x86_64'],
  reponame: 'main',
  urlprefix: 'https://dl-cdn.alpinelinux.org/alpine',
  distroversion: 'v3.19',
  packages: [{ pkg: { name: 'openssl', secfixes: { '3.1.4-r3': ['CVE-2023-6129'], '3.1.4-r5': ['CVE-2024-0727'] } } }],
};

export const OSV_LODASH = {
  schema_version: '1.6.0',
  id: 'GHSA-jf85-cpcp-j695',
  modified: '2024-02-16T08:19:41Z',
  published: '2019-07-10T19:45:23Z',
  aliases: ['CVE-2019-10744'],
  summary: 'Prototype Pollution in lodash',
  details: 'Versions of `lodash` before 4.17.12 are vulnerable to Prototype Pollution. The function `defaultsDeep` allows a malicious user to modify the prototype of `Object` via `{constructor: {prototype: {...}}}` causing the addition or modification of an existing property that will exist on all objects.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.12' }] }] }],
  database_specific: { severity: 'CRITICAL', github_reviewed: true, cwe_ids: ['CWE-1321', 'CWE-20'] },
};

export const OSV_LOG4SHELL = {
  schema_version: '1.6.0',
  id: 'GHSA-jfh8-c2jp-5v3q',
  modified: '2024-03-27T19:26:06Z',
  published: '2021-12-10T00:40:56Z',
  aliases: ['CVE-2021-44228'],
  summary: 'Remote code injection in Log4j',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core' },
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '2.13.0' }, { fixed: '2.15.0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.12.2' }] },
      ],
    },
  ],
  database_specific: { severity: 'CRITICAL', github_reviewed: true, cwe_ids: ['CWE-20', 'CWE-400', 'CWE-502', 'CWE-917'] },
};

export const OSV_GO_RAPID_RESET = {
  schema_version: '1.3.1',
  id: 'GO-2023-2102',
  modified: '2024-05-20T16:03:47Z',
  published: '2023-10-11T18:44:41Z',
  aliases: ['CVE-2023-39325', 'GHSA-4374-p667-p6c8'],
  summary: 'HTTP/2 rapid reset can cause excessive work in net/http',
  affected: [
    { package: { name: 'stdlib', ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.20.10' }, { introduced: '1.21.0-0' }, { fixed: '1.21.3' }] }] },
    { package: { name: 'golang.org/x/net', ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }] },
  ],
};

export const OSV_JINJA2 = {
  schema_version: '1.6.0',
  id: 'GHSA-462w-v97r-4m45',
  modified: '2024-09-26T15:12:35Z',
  published: '2019-04-10T14:30:24Z',
  aliases: ['CVE-2019-10906'],
  summary: 'Jinja2 sandbox escape via string formatting',
  affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2', purl: 'pkg:pypi/jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.10.1' }] }] }],
  database_specific: { severity: 'HIGH', github_reviewed: true },
};
