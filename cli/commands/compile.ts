import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { loadAndCompile } from '../load-pipeline-file.js';
import type { Command } from '../main.js';

/** `elexirion compile FILE [--out DIR]`: write the ASL and the spec bundle. */
export const compileCommand: Command = {
  summary: 'compile a pipeline to NAME.asl.json and NAME.bundle.json',
  help: `Usage: elexirion compile FILE [--out DIR]

Compiles a pipeline file to Amazon States Language (JSONPath dialect) and its spec bundle:
  DIR/NAME.asl.json     the state machine definition, resources as \${...} placeholders
                        (CDK fills them with definitionSubstitutions)
  DIR/NAME.bundle.json  what each step does: prompt parts, model, options, content hashes
  DIR/NAME.SCOPE.asl.json  the state machine of each nested pipeline (its ARN is the
                        \${ChildStateMachine_...} placeholder the parent names it by)

Options:
  --out DIR   where to write (default: the current directory)

The output is deterministic: the same file always compiles to the same bytes.
Exit status: 0 on success, 2 when the file is invalid (nothing is written).
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one pipeline file');
    const [file = ''] = positionals;
    const result = await loadAndCompile(file, io);
    if (!result) return ExitCode.Usage;
    const dir = resolve(io.cwd ?? process.cwd(), values.out ?? '.');
    const name = result.pipeline.workflow.name;
    await mkdir(dir, { recursive: true });
    const aslFile = join(dir, `${name}.asl.json`);
    const bundleFile = join(dir, `${name}.bundle.json`);
    await writeFile(aslFile, `${JSON.stringify(result.compiled.asl, null, 2)}\n`);
    await writeFile(bundleFile, `${JSON.stringify(result.compiled.bundle, null, 2)}\n`);
    io.out.write(`wrote ${aslFile}\nwrote ${bundleFile}\n`);
    for (const child of result.compiled.children) {
      const childFile = join(dir, `${name}.${child.scope}.asl.json`);
      await writeFile(childFile, `${JSON.stringify(child.definition, null, 2)}\n`);
      io.out.write(`wrote ${childFile}\n`);
    }
    return ExitCode.Ok;
  },
};
