// Module boundaries (docs/architecture.md), checked by `npm run lint` in `npm test`:
//   libs never import apps; a lib is reached only through its door (@lib/<name> → libs/<name>/src/index.ts);
//   apps/api and apps/worker never import each other (apps/service is the one composition root);
//   migrations are history and import no live code; no cycle runs through more than one lib.
// Test: scripts/boundaries.spec.ts cruises fixtures that break each rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-not-to-apps',
      comment: 'A lib is used by apps, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|scripts)/' },
    },
    {
      name: 'production-code-not-to-tests-or-benches',
      comment: 'test/ and bench/ are not in the production build (tsconfig.build.json): nothing shipped may need them.',
      severity: 'error',
      from: { path: '^(apps|libs|migrations)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'lib-only-through-its-door',
      comment: "Reach another lib only through @lib/<name> (its src/index.ts), never into its src/ files.",
      severity: 'error',
      from: { path: '^(apps|libs/[^/]+|test|bench)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'lib-not-by-relative-path',
      comment: 'Another lib is imported as @lib/<name>, not as a relative path (even to its index.ts).',
      severity: 'error',
      from: { path: '^(apps|libs/[^/]+|test|bench)/' },
      to: { path: '^libs/[^/]+/', pathNot: '^$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'apps-not-to-other-apps',
      comment:
        'apps/api, apps/worker and apps/cli never import each other. Only the composition root ' +
        '(apps/service) brings api and worker together; the api and worker entry points (main.ts) start it.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: ['^apps/service/', '^apps/(api|worker)/src/main\\.ts$'] },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'entry-points-only-to-composition-root',
      comment: 'An entry point may start the composition root, nothing in another app.',
      severity: 'error',
      from: { path: '^apps/(api|worker)/src/main\\.ts$' },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/service/src/index\\.ts$'] },
    },
    {
      name: 'composition-root-through-app-doors',
      comment: 'The composition root wires the api and the worker through their doors (src/index.ts) only.',
      severity: 'error',
      from: { path: '^apps/service/' },
      to: { path: '^apps/(?!service/)', pathNot: '^apps/(api|worker)/src/index\\.ts$' },
    },
    {
      name: 'migrations-import-no-live-code',
      comment: 'Migrations are history (STYLE habit 14): data they need is a snapshot in the file.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(libs|apps)/' },
    },
    {
      name: 'zoom-protocol-is-pure',
      comment: 'libs/zoom is the Zoom protocol as plain data and functions: no Nest, no I/O, no other lib.',
      severity: 'error',
      from: { path: '^libs/zoom/' },
      to: { pathNot: ['^libs/zoom/', '^(node:)?crypto$'] },
    },
    {
      name: 'no-cycles-between-libs',
      comment: 'Libs form a layered graph: a cycle that leaves a lib and comes back is forbidden.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^libs/$1/' } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve (a typo, or a path that skips the @lib door).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
