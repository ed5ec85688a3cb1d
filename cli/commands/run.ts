import { parseArgs } from 'node:util';
import { coerceInputText, resolveRunInputs } from '../../functions/runs/run-inputs.js';
import { LOCAL_TENANT, startLocalStack } from '../../local/emulators.js';
import { createLocalDeps } from '../../local/local-deps.js';
import { reconciledMessage } from '../../local/local-execution.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import { buildRunReport, runReportJson } from '../../local/run-report.js';
import type { InputDecl } from '../../pipelines/contract/step-options.js';
import type { Command } from '../command.js';
import { DATA_DIR_HELP, resolveDataDir } from '../data-dir.js';
import { formatSeconds, formatTokens, formatUsd } from '../format.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { loadAndCompile } from '../load-pipeline-file.js';
import { progressPrinter } from '../progress.js';
import { PROVIDER_HELP, PROVIDER_OPTIONS, providerRouterFromFlags } from '../provider-options.js';
import { deliverChanges, repoDirectory, runChanges, snapshotRepo } from '../repo-workspace.js';
import { styleFor } from '../style.js';

/** `elexirion run FILE`: run a pipeline on the local stack and report its outcome. */
export const runCommand: Command = {
  help: `Usage: elexirion run FILE [--input NAME=VALUE]... [options]

Compiles the pipeline and runs it on the embedded local stack: the compiled state machine is
executed by a local Step Functions interpreter, every step artifact is written to a local S3, every
attempt's metrics to a local DynamoDB. Progress is shown step by step on stderr (on a terminal as
live lines, in colour unless NO_COLOR is set); the report goes to stdout.

Options:
  --input NAME=VALUE   a run input declared under workflow.inputs (repeatable); numbers, booleans
                       and JSON objects/arrays are converted to the declared type
${PROVIDER_HELP}
  --repo DIR           snapshot DIR (respecting .gitignore; .git, node_modules, binaries and files
                       over 1 MiB skipped) as the run's workspace, which agent and test steps read
                       and change; DIR itself is never written
  --patch-out FILE     with --repo: write what the run changed as a unified diff to FILE
  --apply              with --repo: write the changed files into DIR after the run, refused when a
                       file the run changed was edited in DIR meanwhile
  --json               print one JSON object: {runId, status, outputs, steps, usage}, and with
                       --repo the run's patch and changedFiles
${DATA_DIR_HELP}

Exit status: 0 when the run succeeds, 1 when it fails (or --apply was refused), 2 on bad usage, an invalid pipeline or
inputs that do not fit (then nothing is written). Inputs must leave room in the 256 KiB execution
state beside what the steps add; pass large text as an S3 key instead.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        input: { type: 'string', multiple: true },
        ...PROVIDER_OPTIONS,
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        repo: { type: 'string' },
        'patch-out': { type: 'string' },
        apply: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one pipeline file');
    const [file = ''] = positionals;
    const loaded = await loadAndCompile(file, io);
    if (!loaded) return ExitCode.Usage;
    const { asl, bundle, children } = loaded.compiled;

    const given = parseInputFlags(values.input ?? [], bundle.inputs);
    const resolved = resolveRunInputs(bundle, given);
    if (!resolved.ok) {
      for (const problem of resolved.problems)
        io.err.write(`${file}: input ${problem.input}: ${problem.message}\n`);
      return ExitCode.Usage;
    }
    // Before the stack starts: a script key that matches no step is an error, and nothing is written.
    const providerFor = await providerRouterFromFlags(values, io, { bundle });
    const repo = await repoDirectory(values, io);

    const stack = await startLocalStack({ dataDir: resolveDataDir(values['data-dir'], io) });
    try {
      const deps = createLocalDeps(stack, providerFor);
      const workspace =
        repo === undefined ? undefined : await snapshotRepo(repo, LOCAL_TENANT, deps.artifacts, io);
      if (!values.json) io.err.write(`Running ${bundle.pipeline} on the local stack\n`);
      const record = await runPipelineLocally({
        ...(workspace === undefined ? {} : { workspaceId: workspace.workspaceId }),
        asl,
        bundle,
        children,
        inputs: resolved.inputs,
        tenantId: LOCAL_TENANT,
        deps,
        retryDelay: values['no-retry-wait'] ? 'none' : 'real',
        ...(values.json ? {} : { observer: progressPrinter(io) }),
        // Kept in the data directory as `dev` keeps them: a run whose process is killed is closed by
        // the next `run` or `dev` over it, and `dev` can redrive it.
        executionStore: deps.artifacts,
        onReconciled: (execution) => io.err.write(`${reconciledMessage(execution)}\n`),
      });
      const report = await buildRunReport(record, deps);
      const ref = workspace && {
        tenantId: LOCAL_TENANT,
        runId: record.runId,
        workspaceId: workspace.workspaceId,
      };
      const changes = ref && (await runChanges(deps.artifacts, ref));
      const delivered =
        repo === undefined || ref === undefined || changes === undefined
          ? true
          : await deliverChanges({ flags: values, dir: repo, artifacts: deps.artifacts, ref, changes }, io);
      if (values.json) {
        io.out.write(`${JSON.stringify({ ...runReportJson(report), ...changes })}\n`);
      } else {
        const took = formatSeconds(
          Date.parse(record.finishedAt ?? record.startedAt) - Date.parse(record.startedAt),
        );
        const { usage } = report;
        const style = styleFor(io.out, io.env);
        const status = style.paint(record.status === 'SUCCEEDED' ? 'green' : 'red', record.status);
        // A blank line after the progress above it on a terminal; piped, the report starts at once.
        io.out.write(
          `${style.tty ? '\n' : ''}${status}  run ${record.runId}  in ${took}  ` +
            `${formatTokens(usage.inputTokens, usage.outputTokens)}  ${formatUsd(usage.costUsd)}\n`,
        );
        if (record.error) {
          const where = record.error.stepId ? ` in step ${record.error.stepId}` : '';
          io.out.write(`error${where}: ${record.error.name}: ${record.error.message}\n`);
        }
        for (const [step, output] of Object.entries(report.outputs)) {
          io.out.write(
            `\n── ${step}\n${typeof output === 'string' ? output : JSON.stringify(output, null, 2)}\n`,
          );
        }
        io.out.write(`\nDetails: npx elexirion show ${record.runId}\n`);
      }
      return record.status === 'SUCCEEDED' && delivered ? ExitCode.Ok : ExitCode.RunFailed;
    } finally {
      await stack.stop();
    }
  },
};

/** `--input name=value` flags as a map, each value converted to its declared type. */
function parseInputFlags(
  flags: readonly string[],
  declared: Readonly<Record<string, InputDecl>>,
): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input takes NAME=VALUE, got "${flag}"`);
    const name = flag.slice(0, eq);
    given[name] = coerceInputText(flag.slice(eq + 1), declared[name]?.type);
  }
  return given;
}
