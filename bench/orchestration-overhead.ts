/**
 * Orchestration overhead per step: a 20-step chain on the mock provider, run on the local stack
 * through the compiled state machine, against a bare baseline that calls the step handler 20 times
 * in a loop with the same stores. Provider time is measured and subtracted from both, so the figure
 * is what orchestration adds per step (state machine interpreter, run records, state passing).
 *
 * Prints medians over several runs and their ratio; one run, one machine, no thresholds.
 * Run: npm run bench
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Provider } from '../functions/ports/provider.js';
import { MockProvider } from '../functions/providers/mock-provider.js';
import { startRun } from '../functions/runs/run-lifecycle.js';
import { handleStepRunnerEvent } from '../functions/step-runner/handler.js';
import { isStepRef } from '../functions/step-runner/step-event.js';
import { LOCAL_TENANT, startLocalStack } from '../local/emulators.js';
import { createLocalDeps } from '../local/local-deps.js';
import { runPipelineLocally } from '../local/run-pipeline.js';
import type { StepRef } from '../pipelines/contract/step-event.js';
import { loadPipeline } from '../pipelines/loader.js';
import { compilePipeline } from '../statemachines/compile.js';

const STEPS = 20;
const RUNS = 9;

/** A chain of STEPS Claude steps, each reading the previous step's answer. */
function chainYaml(): string {
  const steps = Array.from({ length: STEPS }, (_, i) => {
    const prompt =
      i === 0
        ? '        - type: static\n          content: "Start the chain."'
        : `        - type: static\n          content: "Continue from:"\n        - type: previous_response\n          step: s${i - 1}`;
    return `    - name: s${i}\n      type: claude\n      prompt:\n${prompt}`;
  });
  return `workflow:\n  name: bench_chain\n  steps:\n${steps.join('\n')}\n`;
}

/** Wraps a provider to add up the time spent inside it. */
function timed(provider: Provider): { provider: Provider; take(): number } {
  let spent = 0;
  return {
    provider: {
      name: provider.name,
      async complete(request) {
        const start = performance.now();
        try {
          return await provider.complete(request);
        } finally {
          spent += performance.now() - start;
        }
      },
    },
    take() {
      const value = spent;
      spent = 0;
      return value;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'elexirion-bench-'));
  const file = join(dir, 'bench_chain.yaml');
  await writeFile(file, chainYaml());
  const loaded = await loadPipeline(file);
  const { asl, bundle } = compilePipeline(loaded.pipeline ?? fail('bench pipeline did not load'));
  if (!asl || !bundle) fail('bench pipeline did not compile');

  const stack = await startLocalStack({ inMemory: true });
  const clock = timed(new MockProvider({}));
  const deps = createLocalDeps(stack, () => clock.provider);
  try {
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      // Run 0 of each is a warm-up (JIT, connections, bundle cache) and is not counted.
      clock.take();
      let start = performance.now();
      const record = await runPipelineLocally({
        asl,
        bundle,
        inputs: {},
        tenantId: LOCAL_TENANT,
        deps,
        retryDelay: 'none',
      });
      if (record.status !== 'SUCCEEDED') fail(`bench run ${record.runId} ${record.status}`);
      const oursMs = (performance.now() - start - clock.take()) / STEPS;

      const input = await startRun({ tenantId: LOCAL_TENANT, bundle, inputs: {} }, deps);
      const steps: Record<string, StepRef> = {};
      start = performance.now();
      for (let i = 0; i < STEPS; i++) {
        const ref = await handleStepRunnerEvent({ stepId: `s${i}`, ...input, global_vars: {}, steps }, deps);
        if (isStepRef(ref)) steps[`s${i}`] = ref;
      }
      const baselineMs = (performance.now() - start - clock.take()) / STEPS;
      if (run > 0) {
        ours.push(oursMs);
        baseline.push(baselineMs);
      }
    }
    const oursMedian = median(ours);
    const baselineMedian = median(baseline);
    process.stdout.write(
      `${STEPS}-step chain, mock provider, ${RUNS} runs (median):\n` +
        `  state machine on the local stack: ${oursMedian.toFixed(2)} ms orchestration overhead per step\n` +
        `  bare loop over the step handler:  ${baselineMedian.toFixed(2)} ms per step\n` +
        `overhead: ours/baseline=${(oursMedian / baselineMedian).toFixed(2)}\n`,
    );
  } finally {
    await stack.stop();
  }
}

function fail(message: string): never {
  throw new Error(message);
}

await main();
