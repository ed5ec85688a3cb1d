/**
 * The dependency direction between the top-level folders (docs/architecture.md, "Dependencies"):
 *
 *   pipelines/contract  <-  pipelines  <-  statemachines
 *   pipelines/contract  <-  functions
 *
 * and inside functions/ (by job):
 *
 *   ports  <-  shared  <-  stores, events             (adapters of the ports)
 *   ports, shared  <-  step-runner, steps, llm, providers, prompt-packs, evaluators  (the step runner)
 *   the step runner's modules  <-  runs, catalog, engines, triggers, api, control  (the control plane)
 *   everything  <-  handlers                            (Lambda entry points: composition roots)
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
 *   registered, so `functions/runs/register-pipeline.ts` and the dev file catalog that builds
 *   pipeline files (`functions/catalog/pipeline-files.ts`) may import the build facade
 *   (`statemachines/build.ts`). Nothing else under `functions/` may, and the step runner may not
 *   reach the compiler at all (`step-runner-not-compiler`, no exception).
 */

/** The only files under functions/ allowed to import statemachines/ or the pipelines loader. */
const REGISTRATION_PATH = [
  '^functions/runs/register-pipeline\\.ts$',
  '^functions/catalog/pipeline-files\\.ts$',
];

/** The step runner: its entry points, its step implementations and its providers. */
const STEP_RUNNER = [
  '^functions/step-runner/',
  '^functions/steps/',
  '^functions/llm/',
  '^functions/agent/',
  '^functions/providers/',
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
      name: 'step-runner-not-control-plane',
      severity: 'error',
      comment:
        'The step runner (and the steps, LLM helpers, providers, prompt packs and evaluators it runs) never imports the control plane: it is deployed alone, with the least privilege of its own.',
      from: {
        path: [
          ...STEP_RUNNER,
          '^functions/prompt-packs/',
          '^functions/evaluators/',
          '^functions/workspaces/',
          '^functions/test-runner/',
        ],
      },
      to: { path: '^functions/(api|runs|triggers|catalog|engines|control|handlers)/' },
    },
    {
      name: 'ports-are-contracts',
      severity: 'error',
      comment:
        'functions/ports/ holds interfaces and their records only: it imports the contract and other ports, nothing else.',
      from: { path: '^functions/ports/' },
      to: { pathNot: ['^functions/ports/', '^pipelines/contract/'] },
    },
    {
      name: 'adapters-below-their-users',
      severity: 'error',
      comment:
        'Store and event adapters (functions/stores/, functions/events/) and the shared helpers (functions/shared/) implement ports; they import ports, shared helpers and the contract, never the code that uses them.',
      from: { path: '^functions/(stores|events|shared)/' },
      // `$1` is the adapter's own folder: its modules may import each other.
      to: { path: '^(functions|statemachines|cli|local)/', pathNot: '^functions/(ports|shared|$1)/' },
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
