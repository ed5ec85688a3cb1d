import { parseArgs } from 'node:util';
import { LOCAL_TENANT } from '../../local/emulators.js';
import type { Command } from '../command.js';
import { DATA_DIR_HELP } from '../data-dir.js';
import { formatDuration, formatTable, formatUsd } from '../format.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { withLocalStores } from '../local-stores.js';

/** `elexirion runs`: the most recent local runs. */
export const runsCommand: Command = {
  help: `Usage: elexirion runs [--limit N] [--json]

Lists the most recent runs on the local stack, newest first.

Options:
  --limit N            how many runs (default 20)
  --json               print the run records as a JSON array
${DATA_DIR_HELP}
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        limit: { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
    });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit takes a whole number above 0, got "${values.limit}"`);
    const { runs } = await withLocalStores(values['data-dir'], io, (stores) =>
      stores.runs.listRuns(LOCAL_TENANT, { limit }),
    );
    if (values.json) {
      io.out.write(`${JSON.stringify(runs)}\n`);
      return ExitCode.Ok;
    }
    if (runs.length === 0) {
      io.out.write('No runs yet. Start one with: npx elexirion run pipelines/examples/chain.yaml\n');
      return ExitCode.Ok;
    }
    const rows = runs.map((run) => [
      run.runId,
      run.pipeline,
      run.status,
      run.startedAt,
      formatDuration(run.startedAt, run.finishedAt),
      formatUsd(run.usage?.costUsd ?? 0),
    ]);
    io.out.write(`${formatTable([['RUN', 'PIPELINE', 'STATUS', 'STARTED', 'TOOK', 'COST'], ...rows])}\n`);
    return ExitCode.Ok;
  },
};
