import { compileCommand } from './commands/compile.js';
import { devCommand } from './commands/dev.js';
import { optimizeCommand } from './commands/optimize.js';
import { runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { showCommand } from './commands/show.js';
import { validateCommand } from './commands/validate.js';
import { type CliIo, ExitCode, UsageError } from './io.js';

/** A subcommand: its one-line summary, its help text, and what it does. */
export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  validate: validateCommand,
  compile: compileCommand,
  run: runCommand,
  runs: runsCommand,
  show: showCommand,
  dev: devCommand,
  optimize: optimizeCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return [
    'Usage: elexirion <command> [options]',
    '',
    'Run YAML LLM pipelines on AWS Step Functions, or on the embedded local stack.',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `elexirion <command> --help` for a command's options.",
    '',
  ].join('\n');
}

/**
 * Entry point of the `elexirion` command; returns the exit code.
 *
 * @example
 * process.exitCode = await main(['run', 'pipelines/examples/chain.yaml', '--json'], { out, err, env });
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(usage());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === '--version') {
    io.out.write('elexirion 0.1.0\n');
    return ExitCode.Ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`elexirion: unknown command "${name}"\n\n${usage()}`);
    return ExitCode.Usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out.write(command.help);
    return ExitCode.Ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err.write(
        `elexirion ${name}: ${(error as Error).message}\nRun \`elexirion ${name} --help\` for usage.\n`,
      );
      return ExitCode.Usage;
    }
    if (error instanceof Error && USER_INPUT_ERRORS.has(error.name)) {
      io.err.write(`elexirion ${name}: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
}

/**
 * Errors the user caused and can fix from their message alone (a bad mock script, a missing key, a
 * data directory another process holds), printed without a stack trace; compared by name, not class.
 */
const USER_INPUT_ERRORS = new Set(['MockScriptError', 'ProviderConfigError', 'DataDirLockedError']);

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
