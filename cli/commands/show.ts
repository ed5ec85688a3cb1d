import { parseArgs } from 'node:util';
import { iterationSuffix } from '../../functions/shared/iteration.js';
import { LOCAL_TENANT } from '../../local/emulators.js';
import { buildRunReport, toolCallLines } from '../../local/run-report.js';
import { describeCallBudget } from '../../statemachines/steps/claude-robust.js';
import type { Command } from '../command.js';
import { DATA_DIR_HELP } from '../data-dir.js';
import { formatDuration, formatSeconds, formatTable, formatTokens, formatUsd } from '../format.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { withLocalStores } from '../local-stores.js';

/** `elexirion show RUN_ID`: one run's steps, attempts and artifacts. */
export const showCommand: Command = {
  help: `Usage: elexirion show RUN_ID [--json]

Shows one run from the local stores: its status and totals, every attempt of every step (model,
tokens, cost, latency, error; in a loop body by iteration, as STEP[i]), and the S3 key of each
artifact. An agent step's attempts are its turns (ATTEMPT says which), each followed by a line per
tool call. A claude_robust step also gets a line with the provider calls it made and its call
budget (max_retries + 1, fallbacks included).

Options:
  --json               print the run record, steps with their attempts, and outputs as JSON
${DATA_DIR_HELP}

Exit status: 0 when the run exists, 1 when it does not.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one run id (see `elexirion runs`)');
    const [runId = ''] = positionals;
    const report = await withLocalStores(values['data-dir'], io, async (stores) => {
      const run = await stores.runs.getRun(LOCAL_TENANT, runId);
      return run ? { bucket: stores.stack.bucket, ...(await buildRunReport(run, stores)) } : undefined;
    });
    if (!report) {
      io.err.write(
        `elexirion show: no run "${runId}" in the local stores (list them with: elexirion runs)\n`,
      );
      return ExitCode.RunFailed;
    }
    if (values.json) {
      io.out.write(`${JSON.stringify({ run: report.run, steps: report.steps, outputs: report.outputs })}\n`);
      return ExitCode.Ok;
    }
    const { run, usage } = report;
    const lines = [
      `Run ${run.runId}  ${run.pipeline}  ${run.status}`,
      `started ${run.startedAt}  took ${formatDuration(run.startedAt, run.finishedAt)}  ` +
        `${formatTokens(usage.inputTokens, usage.outputTokens)}  ${formatUsd(usage.costUsd)}`,
      `inputs ${JSON.stringify(run.inputs)}`,
    ];
    if (run.error) {
      lines.push(
        `error${run.error.stepId ? ` in step ${run.error.stepId}` : ''}: ${run.error.name}: ${run.error.message}`,
      );
    }
    // Attempts come by iteration (`review[1]`, numbered from 1 in each); a skipped step says why.
    const rows = report.steps.flatMap((step) =>
      step.attemptRecords.length === 0
        ? [[step.name, '-', step.status, '', '', '', '', step.reason ?? '']]
        : step.attemptRecords.flatMap((a) => [
            [
              `${step.name}${iterationSuffix(a.iteration)}`,
              a.turn === undefined ? String(a.attempt) : `${a.attempt} (turn ${a.turn})`,
              a.degraded ? `${a.status} (degraded: ${a.degradedReason} after ${a.originalError})` : a.status,
              `${a.provider}/${a.model}`,
              formatTokens(a.usage.inputTokens, a.usage.outputTokens),
              formatUsd(a.costUsd),
              formatSeconds(a.latencyMs),
              a.error
                ? `${a.error.name}: ${a.error.message}`
                : `s3://${report.bucket}/${a.artifactKey ?? ''}`,
            ],
            // An agent turn's tool calls, one line each under its attempt.
            ...toolCallLines(a).map((line) => ['', '', '', '', '', '', '', `  tool ${line}`]),
          ]),
    );
    lines.push(
      '',
      formatTable([
        ['STEP', 'ATTEMPT', 'STATUS', 'MODEL', 'TOKENS', 'COST', 'LATENCY', 'ARTIFACT / ERROR'],
        ...rows,
      ]),
    );
    const budgeted = report.steps.filter((step) => step.callBudget !== undefined);
    if (budgeted.length > 0) lines.push('');
    for (const step of budgeted) {
      const budget = step.callBudget as NonNullable<typeof step.callBudget>;
      const calls = step.providerCalls ?? 0;
      lines.push(
        `${step.name}: ${calls} provider call${calls === 1 ? '' : 's'} made; ${describeCallBudget(budget)}`,
      );
    }
    io.out.write(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  },
};
