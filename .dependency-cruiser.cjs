/**
 * The dependency direction between the top-level folders (docs/architecture.md, "Dependencies"):
 *
 *   pipelines/contract  <-  pipelines  <-  statemachines
 *   pipelines/contract  <-  functions
 *
 * `pipelines/contract/` is what the language compiles to (the spec bundle, the step runner's event
 * and reply, the error names, model families) and imports nothing outside itself. Run by
 * `npm run check`.
 *
 * Parser: TypeScript 7 has no JavaScript API dependency-cruiser 18 can use (it supports
 * typescript >=2 <7), so this config selects the swc parser, which reads type-only imports too.
 * It needs `@swc/core` installed (`npm install -D @swc/core`); without it dependency-cruiser warns
 * `missing-tsc-transpiler` and cruises no .ts file at all, so the check passes without checking.
 *
 * Exceptions allowed, each with its reason:
 * - `runtime-not-compiler`: the control plane's registration path compiles a pipeline when it is
 *   registered, so `functions/core/register-pipeline.ts`, the build facade it uses
 *   (`functions/core/pipeline-build.ts`) and the dev file catalog that builds pipeline files
 *   (`functions/core/catalog/pipeline-files.ts`) may import `statemachines/` and the pipelines
 *   loader. Nothing else under `functions/` may, and the step runner may not reach them at all
 *   (`step-runner-not-compiler`, no exception).
 */

/** The only files under functions/ allowed to import statemachines/ or the pipelines loader. */
const REGISTRATION_PATH = [
  '^functions/core/register-pipeline\\.ts$',
  '^functions/core/pipeline-build\\.ts$',
  '^functions/core/catalog/pipeline-files\\.ts$',
];

/** The step runner: its entry points, its step implementations and its providers. */
const STEP_RUNNER = [
  '^functions/core/step-runner[^/]*\\.ts$',
  '^functions/core/steps/',
  '^functions/core/providers/',
  '^functions/handlers/step-runner\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file-level import cycles, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-self-contained',
      severity: 'error',
      comment:
        'pipelines/contract/ imports nothing outside itself: no other project folder, no node builtin, no package.',
      from: { path: '^pipelines/contract/' },
      to: { pathNot: '^pipelines/contract/' },
    },
    {
      name: 'language-not-runtime',
      severity: 'error',
      comment:
        'The language (pipelines/) and the compiler (statemachines/) never import the runtime (functions/): what they share with it is in pipelines/contract/.',
      from: { path: '^(pipelines|statemachines)/' },
      to: { path: '^functions/' },
    },
    {
      name: 'language-not-compiler',
      severity: 'error',
      comment: 'pipelines/ is below statemachines/: the compiler imports the language, never the reverse.',
      from: { path: '^pipelines/' },
      to: { path: '^statemachines/' },
    },
    {
      name: 'runtime-not-compiler',
      severity: 'error',
      comment:
        'Under functions/ only the registration path (see the header) imports the compiler or the pipelines loader; the rest reads compiled bundles through pipelines/contract/.',
      from: { path: '^functions/', pathNot: REGISTRATION_PATH },
      to: { path: ['^statemachines/', '^pipelines/loader\\.ts$'] },
    },
    {
      name: 'step-runner-not-compiler',
      severity: 'error',
      comment: 'The step runner never reaches statemachines/, not even through other modules.',
      from: { path: STEP_RUNNER },
      to: { path: '^statemachines/', reachable: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a moved file left an import behind).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules/', '^cdk\\.out/', '^dist/', '\\.d\\.ts$'] },
    // Type-only imports are dependencies too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
