import { isDataStepRef, isStepRef } from '../functions/step-runner/step-event.js';
import type { StepObserver } from '../local/run-pipeline.js';
import type { AgentTurnReply } from '../pipelines/contract/agent.js';
import { formatSeconds, formatTokens, formatUsd } from './format.js';
import type { CliIo } from './io.js';
import { type Colour, styleFor } from './style.js';

/** Cursor up one line, then erase it: the live line of a step is replaced by its next state. */
const REWRITE = '\x1b[1A\r\x1b[2K';

/**
 * Prints each step as it starts, retries, succeeds or fails, on stderr (progress, not the result).
 * On a terminal: `✓ outline  claude-sonnet-4-6  120→48 tok  $0.0000  0.01s`, the step's
 * `▸ outline  running` line rewritten in place while it is the last line printed, in colour unless
 * NO_COLOR. Elsewhere plain lines, one per event: `outline: ok  claude-sonnet-4-6  …`.
 */
export function progressPrinter(io: CliIo): StepObserver {
  const style = styleFor(io.err, io.env);
  const calls = new Map<string, number>();
  const started = new Map<string, number>();
  /** The turn an agent step's next call takes, once a turn of it called tools. */
  const turns = new Map<string, number>();
  /** The step whose live line is the last line on the terminal. */
  let live: string | undefined;
  /** Terminal: `GLYPH STEP  DETAIL` (or the word when there is no detail); else `STEP: WORD  DETAIL`. */
  const write = (
    stepId: string,
    event: { glyph: string; colour: Colour; word: string; detail?: string; live?: boolean },
  ) => {
    const detail = event.detail ?? '';
    if (!style.tty) {
      io.err.write(`${stepId}: ${event.word}${detail ? `  ${detail}` : ''}\n`);
      return;
    }
    const rewrite = live === stepId ? REWRITE : '';
    live = event.live ? stepId : undefined;
    const text = detail || event.word;
    io.err.write(
      `${rewrite}${style.paint(event.colour, event.glyph)} ${stepId}  ${event.live ? style.paint('dim', text) : text}\n`,
    );
  };
  return {
    onStepStart(stepId) {
      const call = (calls.get(stepId) ?? 0) + 1;
      calls.set(stepId, call);
      started.set(stepId, Date.now());
      const turn = turns.get(stepId);
      if (call === 1) {
        write(stepId, { glyph: '▸', colour: 'dim', word: turn ? `turn ${turn}` : 'running', live: true });
      } else write(stepId, { glyph: '↻', colour: 'yellow', word: `retrying (attempt ${call})`, live: true });
    },
    onStepSucceeded(stepId, result) {
      if (isAgentTurnReply(result)) {
        // An agent turn that called tools: the loop goes on with the next turn, not a retry.
        const took = formatSeconds(Date.now() - (started.get(stepId) ?? Date.now()));
        write(stepId, {
          glyph: '✓',
          colour: 'green',
          word: 'ok',
          detail: `turn ${result.turn - 1} called tools  ${took}`,
        });
        turns.set(stepId, result.turn);
        calls.set(stepId, 0);
        return;
      }
      if (!isStepRef(result)) {
        // A data step (test_echo, data_transform, file_ops, a nested pipeline's outputs) names its kind.
        const what = isDataStepRef(result) ? `${result.kind} result stored` : 'variables set';
        const took = formatSeconds(Date.now() - (started.get(stepId) ?? Date.now()));
        write(stepId, { glyph: '✓', colour: 'green', word: 'ok', detail: `${what}  ${took}` });
        return;
      }
      const source = result.provider === 'mock' ? '  (mock)' : '';
      write(stepId, {
        glyph: '✓',
        colour: 'green',
        word: 'ok',
        detail:
          `${result.model}  ${formatTokens(result.inputTokens, result.outputTokens)}  ` +
          `${formatUsd(result.costUsd)}  ${formatSeconds(result.latencyMs)}  attempt ${result.attempt}${source}`,
      });
    },
    onStepFailed(stepId, error) {
      write(stepId, { glyph: '✗', colour: 'red', word: 'failed', detail: `${error.name}: ${error.message}` });
    },
  };
}

/** What the step runner returns after an agent turn that called tools: the turn to take next. */
function isAgentTurnReply(result: unknown): result is AgentTurnReply {
  const reply = result as Partial<AgentTurnReply> | null;
  return (
    typeof reply === 'object' && reply !== null && reply.done === false && typeof reply.turn === 'number'
  );
}
