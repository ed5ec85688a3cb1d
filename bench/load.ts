/**
 * Load on the run API: N concurrent clients each start one run of a 3-step pipeline over loopback
 * HTTP against `elexirion dev`'s server (in memory, in this process), on the mock provider with a
 * fixed latency per call. A run's three calls are sequential and runs are independent, so with
 * perfect concurrency every run finishes after 3 × latency: that is the ideal. Prints, per N, the
 * throughput and measured wall time / ideal wall time.
 *
 * Bounded: N = 10, 100, 1000, each with a time limit; loopback only. Run: npm run bench:load
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApiKey } from '../functions/api/api-keys.js';
import type { PlatformEvent } from '../functions/ports/event-publisher.js';
import { MockProvider } from '../functions/providers/mock-provider.js';
import { startDevServer } from '../local/dev-server.js';

const CLIENTS = [10, 100, 1000];
const PROVIDER_LATENCY_MS = 100;
const STEPS = 3;
const TIME_LIMIT_MS = 300_000;

/** Three Claude steps, each reading the previous answer. */
const PIPELINE = `workflow:
  name: bench_three
  steps:
    - name: first
      type: claude
      prompt: [{ type: static, content: "Start." }]
    - name: second
      type: claude
      prompt: [{ type: static, content: "Continue:" }, { type: previous_response, step: first }]
    - name: third
      type: claude
      prompt: [{ type: static, content: "Finish:" }, { type: previous_response, step: second }]
`;

/** Resolves each run's promise when its PipelineRunCompleted or PipelineRunFailed event is published. */
function completions() {
  const ended = new Map<string, string>();
  const waiting = new Map<string, (status: string) => void>();
  return {
    onEvent(event: PlatformEvent) {
      if (event.detailType === 'PipelineRequestRejected') return;
      const { runId, status } = event.detail;
      ended.set(runId, status);
      waiting.get(runId)?.(status);
    },
    when(runId: string): Promise<string> {
      const status = ended.get(runId);
      return status ? Promise.resolve(status) : new Promise((resolve) => waiting.set(runId, resolve));
    },
  };
}

/** One client: starts a run over HTTP and waits for it to end; returns its final status. */
async function client(url: string, apiKey: string, ends: ReturnType<typeof completions>): Promise<string> {
  const response = await fetch(`${url}/v1/pipelines/bench_three/runs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 201) return `HTTP ${response.status}`;
  const { runId } = (await response.json()) as { runId: string };
  return ends.when(runId);
}

/** Starts N clients at once; the wall time ends when the last run ends, or at the time limit. */
async function measure(n: number, url: string, apiKey: string, ends: ReturnType<typeof completions>) {
  const started = performance.now();
  let ended = 0;
  let failed = 0;
  const clients = Array.from({ length: n }, async () => {
    const status = await client(url, apiKey, ends);
    ended++;
    if (status !== 'SUCCEEDED') failed++;
  });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), TIME_LIMIT_MS);
  });
  const outcome = await Promise.race([Promise.all(clients), limit]);
  clearTimeout(timer);
  return { wallMs: performance.now() - started, ended, failed, timedOut: outcome === 'timed out' };
}

async function main(): Promise<void> {
  const pipelinesDir = await mkdtemp(join(tmpdir(), 'elexirion-load-'));
  await writeFile(join(pipelinesDir, 'bench_three.yaml'), PIPELINE);
  const apiKey = generateApiKey();
  const ends = completions();
  const mock = new MockProvider({ latencyMs: PROVIDER_LATENCY_MS });
  const server = await startDevServer({
    stack: { inMemory: true },
    port: 0,
    apiKey,
    pipelinesDir,
    providerFor: () => mock,
    retryDelay: 'none',
    log: () => {},
    onEvent: (event) => ends.onEvent(event),
  });
  try {
    await measure(1, server.url, apiKey, ends); // warm-up: JIT, bundle cache, validated definition
    const idealMs = STEPS * PROVIDER_LATENCY_MS;
    process.stdout.write(
      `${STEPS}-step pipeline, mock provider ${PROVIDER_LATENCY_MS} ms per call, ideal wall time ${idealMs} ms\n` +
        `${'clients'.padStart(7)}  ${'wall s'.padStart(7)}  ${'runs/s'.padStart(7)}  ${'wall/ideal'.padStart(10)}  failed\n`,
    );
    for (const n of CLIENTS) {
      const { wallMs, ended, failed, timedOut } = await measure(n, server.url, apiKey, ends);
      process.stdout.write(
        `${String(n).padStart(7)}  ${(wallMs / 1000).toFixed(2).padStart(7)}  ${(ended / (wallMs / 1000)).toFixed(1).padStart(7)}  ` +
          `${(wallMs / idealMs).toFixed(2).padStart(10)}  ${failed}${timedOut ? `  (time limit: ${ended} of ${n} ended)` : ''}\n`,
      );
      if (timedOut) break;
    }
  } finally {
    await server.stop();
  }
}

await main();
