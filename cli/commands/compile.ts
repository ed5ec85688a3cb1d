import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { checkPipelineFile, type IssueJson, loadAndCompile } from '../load-pipeline-file.js';

/** `elexirion compile FILE [--out DIR] [--json]`: write the ASL and the spec bundle. */
export const compileCommand: Command = {
  help: `Usage: elexirion compile FILE [--out DIR] [--json]

Compiles a pipeline file to Amazon States Language (JSONPath dialect) and its spec bundle:
  DIR/NAME.asl.json     the state machine definition, resources as \${...} placeholders
                        (CDK fills them with definitionSubstitutions)
  DIR/NAME.bundle.json  what each step does: prompt parts, model, options, content hashes
  DIR/NAME.SCOPE.asl.json  the state machine of each nested pipeline (its ARN is the
                        \${ChildStateMachine_...} placeholder the parent names it by)

Options:
  --out DIR            where to write (default: the current directory)
  --json               print one JSON object on stdout instead of the "wrote FILE" lines, issues as
                       data: {file, ok, pipeline, written: [FILE...], issues: [{code, severity,
                       message, hint, line, col, field}]}

Prints each file written on stdout ("wrote FILE"), and each problem on stderr as
FILE:LINE:COL: error[CODE]: message.
The output is deterministic: the same file always compiles to the same bytes.
Exit status: 0 on success, 2 when the file is invalid (nothing is written) or on bad usage.
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('name exactly one pipeline file');
    const [file = ''] = positionals;
    let issues: readonly IssueJson[] = [];
    let result: Awaited<ReturnType<typeof loadAndCompile>>;
    if (values.json) ({ compiled: result, issues } = await checkPipelineFile(file, io));
    else result = await loadAndCompile(file, io);
    const written: string[] = [];
    const report = (ok: boolean) => {
      const pipeline = result?.pipeline.workflow.name ?? null;
      if (values.json) io.out.write(`${JSON.stringify({ file, ok, pipeline, written, issues })}\n`);
    };
    if (!result) {
      report(false);
      return ExitCode.Usage;
    }
    const dir = resolve(io.cwd ?? process.cwd(), values.out ?? '.');
    const name = result.pipeline.workflow.name;
    await mkdir(dir, { recursive: true });
    const aslFile = join(dir, `${name}.asl.json`);
    const bundleFile = join(dir, `${name}.bundle.json`);
    const write = async (path: string, value: unknown) => {
      await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
      written.push(path);
      if (!values.json) io.out.write(`wrote ${path}\n`);
    };
    await write(aslFile, result.compiled.asl);
    await write(bundleFile, result.compiled.bundle);
    for (const child of result.compiled.children) {
      await write(join(dir, `${name}.${child.scope}.asl.json`), child.definition);
    }
    report(true);
    return ExitCode.Ok;
  },
};
