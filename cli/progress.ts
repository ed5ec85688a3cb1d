import { isDataStepRef, isStepRef } from '../functions/core/step-event.js';
import type { StepObserver } from '../local/run-pipeline.js';
import { formatSeconds, formatTokens, formatUsd } from './format.js';
import type { CliIo } from './io.js';

/**
 * Prints each step as it starts, retries, succeeds or fails:
 * `✓ outline  claude-sonnet-4-6  120→48 tok  $0.0000  0.01s`.
 */
export function progressPrinter(io: CliIo): StepObserver {
  const calls = new Map<string, number>();
  const started = new Map<string, number>();
  const write = (line: string) => io.out.write(`${line}\n`);
  return {
    onStepStart(stepId) {
      const call = (calls.get(stepId) ?? 0) + 1;
      calls.set(stepId, call);
      started.set(stepId, Date.now());
      write(call === 1 ? `▸ ${stepId}  running` : `↻ ${stepId}  retrying (attempt ${call})`);
    },
    onStepSucceeded(stepId, result) {
      if (!isStepRef(result)) {
        // A data step (test_echo, data_transform, file_ops, a nested pipeline's outputs) names its kind.
        const what = isDataStepRef(result) ? `${result.kind} result stored` : 'variables set';
        write(`✓ ${stepId}  ${what}  ${formatSeconds(Date.now() - (started.get(stepId) ?? Date.now()))}`);
        return;
      }
      const source = result.provider === 'mock' ? '  (mock)' : '';
      write(
        `✓ ${stepId}  ${result.model}  ${formatTokens(result.inputTokens, result.outputTokens)}  ` +
          `${formatUsd(result.costUsd)}  ${formatSeconds(result.latencyMs)}  attempt ${result.attempt}${source}`,
      );
    },
    onStepFailed(stepId, error) {
      write(`✗ ${stepId}  ${error.name}: ${error.message}`);
    },
  };
}
