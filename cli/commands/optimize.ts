import { parseArgs } from 'node:util';
import { LOCAL_TENANT } from '../../local/emulators.js';
import {
  ensureOptimizerEnv,
  type OptimizerOutcome,
  type OptimizerProvider,
  runOptimizerJob,
} from '../../local/optimizer-job.js';
import type { Command } from '../command.js';
import { DATA_DIR_HELP } from '../data-dir.js';
import { formatTable } from '../format.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { withLocalStores } from '../local-stores.js';

/** The CLI's provider modes, as the optimizer spells them. */
const PROVIDERS: Readonly<Record<string, OptimizerProvider>> = {
  auto: 'auto',
  mock: 'offline',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

/**
 * `elexirion optimize --pipeline P [--step S]`: runs the DSPy compile job against the local stack.
 *
 * @example
 * npx elexirion optimize --pipeline support_triage --provider mock
 */
export const optimizeCommand: Command = {
  help: `Usage: elexirion optimize --pipeline NAME [--step STEP] [options]

Runs the prompt optimizer (the DSPy compile job in optimizer/) against the local stack: for each step
of the pipeline that declares optimize:, it reads the scored attempts of the recent local runs,
compiles a candidate prompt pack, and promotes it only when it beats the active version on held-out
runs by the step's margin. The next runs render the promoted pack. The first use sets up the
optimizer's Python environment (optimizer/.venv, from the hash-pinned lockfile; Python 3.11+).

Options:
  --pipeline NAME      the workflow name of the pipeline (as in \`elexirion runs\`)
  --step STEP          only this step (it must declare optimize:)
  --provider MODE      auto (default): each step's provider when its key is set (ANTHROPIC_API_KEY,
                       GEMINI_API_KEY), the offline LM otherwise; mock: the offline LM, a
                       deterministic stand-in that answers from the demonstrations in the prompt;
                       anthropic | gemini: that provider (its key is required)
  --verbose            show DSPy's progress
  --json               print one JSON object per step
${DATA_DIR_HELP}

Exit status: 0 when every step was handled (promoted or not), 1 when the job failed, 2 on bad usage.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        pipeline: { type: 'string' },
        step: { type: 'string' },
        provider: { type: 'string', default: 'auto' },
        verbose: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
    });
    const pipeline = values.pipeline;
    if (pipeline === undefined) throw new UsageError('name the pipeline: --pipeline NAME');
    const provider = PROVIDERS[values.provider];
    if (provider === undefined) {
      throw new UsageError(
        `--provider must be one of ${Object.keys(PROVIDERS).join(', ')}, got "${values.provider}"`,
      );
    }
    const log = values.verbose ? (line: string) => io.err.write(`${line}\n`) : undefined;
    await ensureOptimizerEnv((line) => io.err.write(`${line}\n`));
    const result = await withLocalStores(values['data-dir'], io, ({ stack }) =>
      runOptimizerJob(stack, {
        tenantId: LOCAL_TENANT,
        pipeline,
        ...(values.step === undefined ? {} : { step: values.step }),
        provider,
        env: io.env,
        ...(log ? { onLog: log } : {}),
      }),
    );
    if (result.exitCode !== 0) {
      if (!values.verbose) io.err.write(result.log);
      return result.exitCode === ExitCode.Usage ? ExitCode.Usage : ExitCode.RunFailed;
    }
    if (values.json) {
      for (const outcome of result.outcomes) io.out.write(`${JSON.stringify(outcome)}\n`);
    } else {
      io.out.write(report(pipeline, result.outcomes));
    }
    return ExitCode.Ok;
  },
};

function report(pipeline: string, outcomes: readonly OptimizerOutcome[]): string {
  if (outcomes.length === 0) return `No runs of ${pipeline} yet: run it first (npx elexirion run FILE).\n`;
  const rows = outcomes.map((o) => [
    o.step,
    o.status,
    o.version ?? '',
    o.before === undefined || o.after === undefined ? '' : `${o.before.toFixed(2)} → ${o.after.toFixed(2)}`,
    o.trials === undefined ? '' : String(o.trials),
    `${o.train}/${o.held_out}`,
  ]);
  const table = formatTable([
    ['STEP', 'OUTCOME', 'VERSION', 'HELD-OUT', 'TRIALS', 'TRAIN/HELD-OUT'],
    ...rows,
  ]);
  const reasons = outcomes.map((o) => `${o.step}: ${o.reason}`).join('\n');
  return `${table}\n${reasons}\n`;
}
