import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { apiKeyRecord, createKeyAuthenticator } from '../functions/api/api-keys.js';
import { createApiApp } from '../functions/api/app.js';
import { FilePipelineCatalog } from '../functions/catalog/file-catalog.js';
import { layeredCatalog } from '../functions/catalog/layered-catalog.js';
import { PipelineFiles } from '../functions/catalog/pipeline-files.js';
import { RegistryPipelineCatalog } from '../functions/catalog/registry-catalog.js';
import type { ApiKeyStore } from '../functions/ports/api-key-store.js';
import type { EventPublisher, PlatformEvent } from '../functions/ports/event-publisher.js';
import type { Provider } from '../functions/ports/provider.js';
import { handleExecutionStatusChange } from '../functions/runs/execution-status.js';
import { registeredStateMachineName } from '../functions/runs/state-machine-names.js';
import { artifactKeys } from '../functions/shared/artifact-keys.js';
import { handleStepRunnerEvent } from '../functions/step-runner/handler.js';
import { DynamoApiKeyStore } from '../functions/stores/dynamo-api-key-store.js';
import { startFromInboxObject } from '../functions/triggers/inbox-trigger.js';
import type { TriggerOutcome } from '../functions/triggers/trigger-run.js';
import type { ModelFamily } from '../pipelines/contract/models.js';
import { Placeholder, RUN_TASK_SYNC } from '../pipelines/contract/spec-bundle.js';
import { createApiHttpServer } from './api-http-server.js';
import { LOCAL_TENANT, type LocalStackOptions, startLocalStack } from './emulators.js';
import { InFlight } from './in-flight.js';
import { watchInbox } from './inbox-watcher.js';
import { createLocalDeps } from './local-deps.js';
import { reconciledMessage } from './local-execution.js';
import { LocalExecutionEngine } from './local-execution-engine.js';
import { shippedMachinesOn } from './shipped-machines.js';
import { testRunnerTask } from './test-runner-task.js';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** Where the local stack keeps its data, or in memory. */
  readonly stack: LocalStackOptions;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The API key of tenant `local`; the only key the server accepts. */
  readonly apiKey: string;
  /** Pipelines served without registering them, searched recursively. */
  readonly pipelinesDir: string;
  /**
   * A folder whose new files are uploaded to the tenant's S3 inbox and handled as inbox objects.
   * @default - no inbox folder
   */
  readonly inboxDir?: string;
  readonly providerFor: (family: ModelFamily) => Provider;
  /** `none` skips Retry waits (tests, benchmarks); `real` keeps the compiled backoff. */
  readonly retryDelay: 'real' | 'none';
  /** Told about each request, inbox file, event and problem, one line each. */
  readonly log: (line: string) => void;
  /** Told about each event published (runs finished, requests rejected). */
  readonly onEvent?: (event: PlatformEvent) => void;
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly engine: LocalExecutionEngine;
  /** Stops accepting requests, stops running executions (their runs end ABORTED), then the stack. */
  stop(): Promise<void>;
}

/** Connections the kernel may queue before the server accepts them. */
const LISTEN_BACKLOG = 4096;

/** Why executions still running at shutdown end. */
const SHUTDOWN = { error: 'Dev.Stopped', cause: 'the dev server stopped while the run was going on' };

/**
 * The local stack plus the run API on 127.0.0.1: the same app, core and stores as in Lambda, with
 * Step Functions played by the local executor (executions run in the background in this process)
 * and EventBridge by a log line. Tenant `local`'s only valid key is `apiKey`; the pipelines under
 * `pipelinesDir` are served without registering them.
 *
 * @example
 * const server = await startDevServer({ stack: { dataDir }, port: 8787, apiKey, pipelinesDir: 'pipelines',
 *   providerFor, retryDelay: 'real', log: (line) => process.stdout.write(`${line}\n`) });
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { log } = options;
  const stack = await startLocalStack(options.stack);
  const closers: (() => Promise<void>)[] = [() => stack.stop()];
  const stopAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const stepDeps = createLocalDeps(stack, options.providerFor);
    const apiKeys = new DynamoApiKeyStore(stack.clients.dynamo, stack.tables.apiKeys);
    await useOnlyKey(apiKeys, options.apiKey, stepDeps.now());

    const events: EventPublisher = {
      async publish(event) {
        log(`event ${event.detailType} ${JSON.stringify(event.detail)}`);
        options.onEvent?.(event);
      },
    };
    // A stopped execution's step call goes on (as a Lambda does after StopExecution), then writes to
    // the stores: once the engine has stopped its executions, the stack waits for every call to end.
    const stepCalls = new InFlight();
    const runTests = testRunnerTask(stepDeps);
    closers.push(() => stepCalls.settled());
    const engine: LocalExecutionEngine = new LocalExecutionEngine({
      taskHandlers: {
        [Placeholder.StepRunner]: (event) => stepCalls.track(handleStepRunnerEvent(event, stepDeps)),
        [RUN_TASK_SYNC]: (parameters) => stepCalls.track(runTests(parameters)),
      },
      retryDelay: options.retryDelay,
      // Executions are kept in the data directory, so a restart can redrive them (see reconcile below).
      store: stepDeps.artifacts,
      artifacts: stepDeps.artifacts,
      onStatusChange: (change) => handleExecutionStatusChange(change, deps),
      onError: (error) => log(`error in the local engine: ${describe(error)}`),
    });
    const files = new PipelineFiles(options.pipelinesDir, (file) =>
      log(`skipping ${file}: it does not build; see elexirion validate ${file}`),
    );
    // Built once now, not by the first request (seconds for the examples); rebuilt as files change.
    await files.builds();
    const catalog = layeredCatalog([
      new RegistryPipelineCatalog(stepDeps.runs, stepDeps.loadBundle),
      new FilePipelineCatalog(files, shippedMachinesOn(engine)),
    ]);
    const deps = {
      ...stepDeps,
      engine,
      events,
      catalog,
      stateMachineName: registeredStateMachineName,
      authenticate: createKeyAuthenticator(apiKeys),
      reportError: (error: unknown, incident: string) =>
        log(`internal error (incident ${incident}): ${describe(error)}`),
    };
    closers.push(() => engine.stopAll(SHUTDOWN));
    // Executions still running in the data directory belong to a process that died (kill -9, a
    // crash): one process holds the directory at a time. Before serving, they fail with
    // Local.ProcessDied and their runs close FAILED, so they can be redriven from their checkpoint.
    for (const execution of await engine.reconcile()) log(reconciledMessage(execution));

    const app = createApiApp(deps);
    const { server, close: closeApi } = createApiHttpServer(async (request) => {
      const started = performance.now();
      const response = await app.fetch(request);
      const { pathname, search } = new URL(request.url);
      log(
        `${request.method} ${pathname}${search} ${response.status} ${Math.round(performance.now() - started)}ms`,
      );
      return response;
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A deep accept queue: a burst of clients connecting at once should wait, not be reset.
      server.listen({ host: '127.0.0.1', port: options.port, backlog: LISTEN_BACKLOG }, resolve);
    });
    // Closed before the engine stops: a request being handled may still start an execution.
    closers.push(closeApi);

    if (options.inboxDir !== undefined) {
      const triggerDeps = { ...deps, tenantId: LOCAL_TENANT, bucket: stack.bucket };
      const watcher = await watchInbox({
        dir: options.inboxDir,
        onFile: async (path, body) => {
          const key = `${artifactKeys.inbox(LOCAL_TENANT)}${path}`;
          const put = await stack.clients.s3.send(
            new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }),
          );
          const outcome = await startFromInboxObject(
            { bucket: stack.bucket, key, size: body.byteLength, ...(put.ETag ? { etag: put.ETag } : {}) },
            triggerDeps,
          );
          log(`inbox ${path}: ${describeOutcome(outcome)}`);
        },
        onError: (error, path) => log(`inbox ${path}: ${describe(error)}`),
      });
      closers.push(() => watcher.close());
    }

    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, engine, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Makes `key` tenant `local`'s only key: a key printed by an earlier session stops working. */
async function useOnlyKey(store: ApiKeyStore, key: string, now: Date): Promise<void> {
  const record = apiKeyRecord(LOCAL_TENANT, key, { createdAt: now.toISOString(), label: 'elexirion dev' });
  for (const old of await store.listKeys(LOCAL_TENANT)) {
    if (old.keyId !== record.keyId) await store.deleteKey(LOCAL_TENANT, old.keyId);
  }
  await store.putKey(record);
}

function describeOutcome(outcome: TriggerOutcome): string {
  switch (outcome.outcome) {
    case 'started':
      return `run ${outcome.run.runId} ${outcome.run.replayed ? 'already started' : 'started'}`;
    case 'ignored':
      return `ignored (${outcome.reason})`;
    case 'rejected':
      return `rejected: ${outcome.error.code}: ${outcome.error.message}`;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
