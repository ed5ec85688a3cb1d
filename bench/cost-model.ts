/**
 * Cost model: what one run of each shipped pipeline (pipelines/examples/*.yaml) costs on AWS besides
 * its tokens. Each pipeline runs on the local stack with the mock provider, through the compiled state
 * machine, while the bench counts what AWS would bill: Standard state transitions (every state
 * entered, and every retry), Lambda invocations and GB-seconds (the functions' memory from the CDK
 * constructs × handler durations measured here), S3 PUTs and GETs, and DynamoDB write and read
 * requests (counted at the SDK client). Prints a table of USD per 1,000 runs at list prices.
 *
 * Durations are local (loopback emulators, a mock provider that answers at once); on AWS a step's
 * Lambda also bills the seconds it waits for the provider, shown as a separate line.
 * Run: npm run bench:cost
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { MockProvider } from '../functions/providers/mock-provider.js';
import { resolveRunInputs } from '../functions/runs/run-inputs.js';
import { DEFAULT_HANDLER_MEMORY_MB } from '../infra/constructs/handler-function.js';
import { STEP_RUNNER_MEMORY_MB } from '../infra/constructs/step-runner.js';
import { LOCAL_TENANT, startLocalStack } from '../local/emulators.js';
import type { LocalDeps } from '../local/local-deps.js';
import { createLocalDeps } from '../local/local-deps.js';
import { runPipelineLocally } from '../local/run-pipeline.js';
import type { AslObject, SpecBundle } from '../pipelines/contract/spec-bundle.js';
import { loadPipeline } from '../pipelines/loader.js';
import { compilePipeline } from '../statemachines/compile.js';

/** Runs per pipeline, after one warm-up run; counts are the same every run, durations are medians. */
const RUNS = 5;
const EXAMPLES_DIR = 'pipelines/examples';

/** List prices, us-east-1, USD. */
const PRICE = {
  /** Step Functions Standard, per state transition. */
  transition: 0.025 / 1_000,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on ARM64 (Graviton), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** S3 Standard, per PUT (also COPY, POST, LIST). */
  s3Put: 0.005 / 1_000,
  /** S3 Standard, per GET. */
  s3Get: 0.0004 / 1_000,
  /** DynamoDB on-demand, per write request unit. */
  dynamoWrite: 0.625 / 1_000_000,
  /** DynamoDB on-demand, per read request unit. */
  dynamoRead: 0.125 / 1_000_000,
} as const;

/** What one run used, in billable units. */
interface RunUsage {
  transitions: number;
  invocations: number;
  gbSeconds: number;
  s3Puts: number;
  s3Gets: number;
  dynamoWrites: number;
  dynamoReads: number;
}

const S3_PUTS = new Set(['PutObjectCommand', 'CopyObjectCommand', 'ListObjectsV2Command']);
const S3_GETS = new Set(['GetObjectCommand', 'HeadObjectCommand']);
const DYNAMO_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const DYNAMO_READS = new Set(['GetItemCommand', 'QueryCommand']);

/** Counts SDK requests by command name, through a middleware on the client. */
function countRequests(client: S3Client | DynamoDBClient) {
  const counts = new Map<string, number>();
  // Both clients take the same initialize-step middleware; their stacks differ only in types.
  (client.middlewareStack as unknown as { add(middleware: unknown, options: object): void }).add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => (args: unknown) => {
      counts.set(context.commandName, (counts.get(context.commandName) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'elexirionCostModelCounter' },
  );
  return {
    take(names: ReadonlySet<string>): number {
      return [...names].reduce((sum, name) => sum + (counts.get(name) ?? 0), 0);
    },
    reset: () => counts.clear(),
  };
}

function usd(usage: RunUsage): number {
  return (
    usage.transitions * PRICE.transition +
    usage.invocations * PRICE.lambdaRequest +
    usage.gbSeconds * PRICE.lambdaGbSecond +
    usage.s3Puts * PRICE.s3Put +
    usage.s3Gets * PRICE.s3Get +
    usage.dynamoWrites * PRICE.dynamoWrite +
    usage.dynamoReads * PRICE.dynamoRead
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** GB-seconds of invocations that ran `totalMs` together, at `memoryMb`. */
function gbSeconds(totalMs: number, memoryMb: number): number {
  return (totalMs / 1000) * (memoryMb / 1024);
}

/** Times step-runner calls, which a Map state may run several at once. */
function stepClock() {
  let count = 0;
  let startSum = 0;
  let endSum = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const end = () => {
    const now = performance.now();
    count++;
    endSum += now;
    last = Math.max(last, now);
  };
  return {
    observer: {
      onStepStart: () => {
        const now = performance.now();
        startSum += now;
        first = Math.min(first, now);
      },
      onStepSucceeded: end,
      onStepFailed: end,
    },
    /** Calls, their summed duration (ends minus starts, however they overlapped), first start, last end. */
    read: () => ({ count, totalMs: endSum - startSum, first, last }),
  };
}

/** What one run of a compiled pipeline used, measured on the local stack. */
async function measureRun(
  compiled: { asl: AslObject; bundle: SpecBundle },
  inputs: Record<string, unknown>,
  deps: LocalDeps,
  counters: { s3: ReturnType<typeof countRequests>; dynamo: ReturnType<typeof countRequests> },
): Promise<RunUsage> {
  counters.s3.reset();
  counters.dynamo.reset();
  const steps = stepClock();
  let transitions = 0;
  const started = performance.now();
  const record = await runPipelineLocally({
    ...compiled,
    inputs,
    tenantId: LOCAL_TENANT,
    deps,
    retryDelay: 'none',
    // Step Functions bills every state entered, and every retry of one.
    onEvent: (event) => {
      if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
    },
    observer: steps.observer,
  });
  const ended = performance.now();
  if (record.status !== 'SUCCEEDED')
    throw new Error(`run ${record.runId} of ${compiled.bundle.pipeline} ${record.status}`);
  const { count, totalMs, first, last } = steps.read();
  // The run starter (API or trigger) records the run before the first step; the execution-end
  // handler closes it after the last. One invocation each.
  const controlMs = count === 0 ? ended - started : first - started + (ended - last);
  return {
    transitions,
    invocations: count + 2,
    gbSeconds: gbSeconds(totalMs, STEP_RUNNER_MEMORY_MB) + gbSeconds(controlMs, DEFAULT_HANDLER_MEMORY_MB),
    s3Puts: counters.s3.take(S3_PUTS),
    s3Gets: counters.s3.take(S3_GETS),
    dynamoWrites: counters.dynamo.take(DYNAMO_WRITES),
    dynamoReads: counters.dynamo.take(DYNAMO_READS),
  };
}

async function main(): Promise<void> {
  const stack = await startLocalStack({ inMemory: true });
  const counters = { s3: countRequests(stack.clients.s3), dynamo: countRequests(stack.clients.dynamoRaw) };
  const mock = new MockProvider({});
  const deps = createLocalDeps(stack, () => mock);
  const rows: { name: string; steps: number; usage: RunUsage }[] = [];
  try {
    // `*.mock.yaml` beside a pipeline is its mock script, not a pipeline; the model runs without scripts.
    const files = readdirSync(EXAMPLES_DIR).filter(
      (name) => name.endsWith('.yaml') && !name.endsWith('.mock.yaml'),
    );
    for (const file of files.sort()) {
      const loaded = await loadPipeline(join(EXAMPLES_DIR, file));
      const compiled = loaded.pipeline ? compilePipeline(loaded.pipeline) : undefined;
      if (!compiled?.asl || !compiled.bundle) {
        process.stdout.write(`${file}: skipped, it does not compile\n`);
        continue;
      }
      const resolved = resolveRunInputs(compiled.bundle, {});
      if (!resolved.ok) {
        process.stdout.write(
          `${file}: skipped, it needs inputs (${resolved.problems.map((p) => p.input).join(', ')})\n`,
        );
        continue;
      }
      const pipeline = { asl: compiled.asl, bundle: compiled.bundle };
      await measureRun(pipeline, resolved.inputs, deps, counters); // warm-up: JIT, connections, bundle cache
      const samples: RunUsage[] = [];
      for (let run = 0; run < RUNS; run++)
        samples.push(await measureRun(pipeline, resolved.inputs, deps, counters));
      const keys = Object.keys(samples[0] as RunUsage) as (keyof RunUsage)[];
      const usage = Object.fromEntries(
        keys.map((key) => [key, median(samples.map((sample) => sample[key]))]),
      );
      rows.push({
        name: compiled.bundle.pipeline,
        steps: Object.keys(compiled.bundle.steps).length,
        usage: usage as unknown as RunUsage,
      });
    }
  } finally {
    await stack.stop();
  }
  printTable(rows);
}

function printTable(rows: readonly { name: string; steps: number; usage: RunUsage }[]): void {
  const header = [
    'pipeline',
    'steps',
    'transitions',
    'invocations',
    'GB-s',
    'S3 PUT',
    'S3 GET',
    'DDB W',
    'DDB R',
    'USD/1k runs',
  ];
  const lines = rows.map(({ name, steps, usage }) => [
    name,
    String(steps),
    String(usage.transitions),
    String(usage.invocations),
    usage.gbSeconds.toFixed(4),
    String(usage.s3Puts),
    String(usage.s3Gets),
    String(usage.dynamoWrites),
    String(usage.dynamoReads),
    (usd(usage) * 1000).toFixed(4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  const waitPerStepSecond = (STEP_RUNNER_MEMORY_MB / 1024) * PRICE.lambdaGbSecond * 1000;
  process.stdout.write(
    `Per run on the mock provider (median of ${RUNS}), tokens excluded; list prices, us-east-1:\n` +
      `  Standard transitions $0.025/1k; Lambda ARM $0.0000133334/GB-s + $0.20/M requests;\n` +
      `  S3 PUT $0.005/1k, GET $0.0004/1k; DynamoDB on-demand $0.625/M writes, $0.125/M reads.\n` +
      `  Invocations: every step-runner call, plus the run starter and the execution-end handler.\n\n` +
      `${format(header)}\n${lines.map(format).join('\n')}\n\n` +
      `On AWS each step also bills its wait on the provider: +$${waitPerStepSecond.toFixed(4)} per 1,000 runs ` +
      `per step per second of provider latency (${STEP_RUNNER_MEMORY_MB} MB step runner).\n`,
  );
}

await main();
