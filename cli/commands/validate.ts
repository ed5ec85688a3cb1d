import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { checkPipelineFile, loadAndCompile } from '../load-pipeline-file.js';

/** `elexirion validate FILE… [--json]`: load, check and compile each file without running anything. */
export const validateCommand: Command = {
  help: `Usage: elexirion validate FILE... [--json]

Loads each pipeline file, checks it (YAML syntax, schema, template references, files it reads) and
compiles it to Amazon States Language, which asl-validator checks too. Nothing is written.

Prints one "OK" line per valid file on stdout, and each problem on stderr as
FILE:LINE:COL: error[CODE]: message.

Options:
  --json               print one JSON object per file on stdout, one a line, issues as data:
                       {file, ok, pipeline, steps, issues: [{code, severity, message, hint, line,
                       col, field}]} (pipeline and steps are null for an invalid file)

Exit status: 0 when every file is valid, 2 when any is not or on bad usage.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    if (positionals.length === 0) throw new UsageError('name at least one pipeline file');
    let allValid = true;
    for (const file of positionals) {
      if (values.json) {
        const { compiled, issues } = await checkPipelineFile(file, io);
        allValid &&= compiled !== undefined;
        io.out.write(
          `${JSON.stringify({
            file,
            ok: compiled !== undefined,
            pipeline: compiled?.pipeline.workflow.name ?? null,
            steps: compiled?.pipeline.workflow.steps.length ?? null,
            issues,
          })}\n`,
        );
        continue;
      }
      const result = await loadAndCompile(file, io);
      if (result) {
        const steps = result.pipeline.workflow.steps.length;
        io.out.write(
          `OK ${file} (${result.pipeline.workflow.name}, ${steps} step${steps === 1 ? '' : 's'})\n`,
        );
      } else {
        allValid = false;
      }
    }
    return allValid ? ExitCode.Ok : ExitCode.Usage;
  },
};
