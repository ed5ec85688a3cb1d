import { resolve } from 'node:path';
import { apiKeyRecord, createKeyAuthenticator } from '../../functions/api/api-keys.js';
import { createApiApp } from '../../functions/api/app.js';
import type { ApiDeps } from '../../functions/api/deps.js';
import { FilePipelineCatalog } from '../../functions/catalog/file-catalog.js';
import { layeredCatalog } from '../../functions/catalog/layered-catalog.js';
import { PipelineFiles } from '../../functions/catalog/pipeline-files.js';
import { RegistryPipelineCatalog } from '../../functions/catalog/registry-catalog.js';
import { MemoryEventPublisher } from '../../functions/events/memory-publisher.js';
import type { Provider } from '../../functions/ports/provider.js';
import { MockProvider } from '../../functions/providers/mock-provider.js';
import { handleExecutionStatusChange } from '../../functions/runs/execution-status.js';
import { registeredStateMachineName } from '../../functions/runs/state-machine-names.js';
import { cachedBundleLoader } from '../../functions/shared/bundle-loader.js';
import type { StepRunnerDeps } from '../../functions/step-runner/deps.js';
import { handleStepRunnerEvent } from '../../functions/step-runner/handler.js';
import { MemoryApiKeyStore } from '../../functions/stores/memory-api-key-store.js';
import { MemoryArtifactStore } from '../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../functions/stores/memory-run-store.js';
import { LocalExecutionEngine } from '../../local/local-execution-engine.js';
import { shippedMachinesOn } from '../../local/shipped-machines.js';
import { Placeholder } from '../../pipelines/contract/spec-bundle.js';

/** Tenant A's and tenant B's API keys in every harness. */
export const KEYS = { a: 'key-of-tenant-a-0123456789', b: 'key-of-tenant-b-0123456789' } as const;

/**
 * The pipelines every harness serves without registration: the shipped examples (chain, hello),
 * built once per test file.
 */
const EXAMPLES = new PipelineFiles(resolve('pipelines/examples'));

/** The in-process API over memory stores and the local engine, with handles on each part. */
export interface ApiHarness {
  readonly app: ReturnType<typeof createApiApp>;
  readonly deps: ApiDeps;
  readonly runs: MemoryRunStore;
  readonly artifacts: MemoryArtifactStore;
  readonly engine: LocalExecutionEngine;
  readonly events: MemoryEventPublisher;
  /** Internal errors the app reported (answered with a 500). */
  readonly errors: unknown[];
  /** Calls the app as tenant `a` (default) or `b`, with a JSON body when `json` is given. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
}

/** Options of {@link ApiHarness.call}. */
export interface CallOptions {
  readonly as?: keyof typeof KEYS;
  readonly json?: unknown;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/**
 * Builds the API as `elexirion dev` does, but in memory: tenants `a` and `b` with their keys, the
 * examples served as shipped pipelines, executions in the background on the local engine with no
 * retry waits. Provider: the mock, unless `providerFor` is given.
 */
export async function createApiHarness(
  options: { readonly providerFor?: (family: 'claude' | 'gemini') => Provider } = {},
): Promise<ApiHarness> {
  const runs = new MemoryRunStore();
  const artifacts = new MemoryArtifactStore();
  const keys = new MemoryApiKeyStore();
  const createdAt = '2026-11-02T10:00:00.000Z';
  await keys.putKey(apiKeyRecord('a', KEYS.a, { createdAt }));
  await keys.putKey(apiKeyRecord('b', KEYS.b, { createdAt }));
  const events = new MemoryEventPublisher();
  const errors: unknown[] = [];
  const mock = new MockProvider();
  const stepDeps: StepRunnerDeps = {
    runs,
    artifacts,
    providerFor: options.providerFor ?? (() => mock),
    loadBundle: cachedBundleLoader(artifacts),
    now: () => new Date(),
  };
  const engine = new LocalExecutionEngine({
    taskHandlers: { [Placeholder.StepRunner]: (event) => handleStepRunnerEvent(event, stepDeps) },
    retryDelay: 'none',
    onStatusChange: (change) => handleExecutionStatusChange(change, deps),
  });
  const deps: ApiDeps = {
    ...stepDeps,
    runs,
    engine,
    events,
    catalog: layeredCatalog([
      new RegistryPipelineCatalog(runs, stepDeps.loadBundle),
      new FilePipelineCatalog(EXAMPLES, shippedMachinesOn(engine)),
    ]),
    stateMachineName: registeredStateMachineName,
    authenticate: createKeyAuthenticator(keys, { cacheTtlMs: 0 }),
    reportError: (error) => errors.push(error),
  };
  const app = createApiApp(deps);
  return {
    app,
    deps,
    runs,
    artifacts,
    engine,
    events,
    errors,
    call: async (method, path, { as = 'a', json, body, headers = {} } = {}) =>
      app.request(path, {
        method,
        headers: {
          Authorization: `Bearer ${KEYS[as]}`,
          ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(json === undefined ? (body === undefined ? {} : { body }) : { body: JSON.stringify(json) }),
      }),
  };
}

/** Starts a run of `pipeline` as tenant `as` and returns its id. */
export async function startRun(
  harness: ApiHarness,
  pipeline = 'chain',
  options: { readonly as?: keyof typeof KEYS; readonly input?: Record<string, unknown> } = {},
): Promise<string> {
  const response = await harness.call('POST', `/v1/pipelines/${pipeline}/runs`, {
    ...(options.as ? { as: options.as } : {}),
    json: { input: options.input ?? {} },
  });
  if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { runId: string }).runId;
}

/** A provider whose calls wait until released: `entered` resolves once a call is waiting. */
export function gatedProvider(): { provider: Provider; entered: Promise<void>; release(): void } {
  let release = () => {};
  let entered = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const enteredPromise = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const mock = new MockProvider();
  return {
    provider: {
      name: 'mock',
      async complete(request) {
        entered();
        await gate;
        return mock.complete(request);
      },
    },
    entered: enteredPromise,
    release: () => release(),
  };
}
