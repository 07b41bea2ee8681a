// The dependency direction of docs/architecture.md, checked on every test run.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-is-a-leaf',
      comment: 'lib/ holds ids, ARNs, errors and small helpers; it imports nothing of the project.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/(?!lib/)' },
    },
    {
      name: 'store-only-lib',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(?!store/|lib/)' },
    },
    {
      name: 'domain-never-imports-the-edge',
      comment: 'Domain code (control, placement, capacity, agent, registry, logstore, secrets) never imports server/, api/ or cli/.',
      severity: 'error',
      from: { path: '^src/(control|placement|capacity|agent|registry|logstore|secrets)/' },
      to: { path: '^src/(server|api|cli)/' },
    },
    {
      name: 'pure-planners',
      comment: 'placement/ and capacity/ are pure: lib/ only, and no I/O modules.',
      severity: 'error',
      from: { path: '^src/(placement|capacity)/' },
      to: { path: '^src/(?!placement/|capacity/|lib/)|^(fs|node:fs|net|node:net|http|node:http|child_process|node:child_process)$' },
    },
    {
      name: 'api-not-server-internals',
      comment: 'api/ handlers see only the server\'s service contract, not the HTTP machinery.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/server/(?!service\\.ts$)' },
    },
    {
      name: 'only-cli-composes',
      comment: 'cli/ is the composition root; nothing imports it.',
      severity: 'error',
      from: { path: '^src/(?!cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'scanning-only-lib-and-store',
      comment: 'scanning/ (image inventory, advisories, matching) imports lib/ and store/ only; registry/ and cli/ call it, never the other way.',
      severity: 'error',
      from: { path: '^src/scanning/' },
      to: { path: '^src/(?!scanning/|lib/|store/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|\\.fixtures\\.ts$|-suite\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
