import { parseArgs } from 'node:util';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { loadAndCompile } from '../load-pipeline-file.js';
import type { Command } from '../main.js';

/** `elexirion validate FILE…`: load, check and compile each file without running anything. */
export const validateCommand: Command = {
  summary: 'check pipeline files (schema, references, compiled ASL)',
  help: `Usage: elexirion validate FILE...

Loads each pipeline file, checks it (YAML syntax, schema, template references, files it reads) and
compiles it to Amazon States Language, which asl-validator checks too. Nothing is written.

Prints one "OK" line per valid file, or each problem as FILE:LINE:COL: error[CODE]: message.
Exit status: 0 when every file is valid, 1 when any is not, 2 on bad usage.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length === 0) throw new UsageError('name at least one pipeline file');
    let allValid = true;
    for (const file of positionals) {
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
    return allValid ? ExitCode.Ok : ExitCode.RunFailed;
  },
};
