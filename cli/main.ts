import packageJson from '../package.json' with { type: 'json' };
import { closestName } from '../pipelines/suggest.js';
import type { Command } from './command.js';
import { type CliIo, ExitCode, UsageError } from './io.js';

/**
 * Each subcommand's one-line summary, and its module, imported only when the command runs: the
 * command's dependencies (the AWS SDK, the emulators) take most of the start-up time, which
 * `--version`, `--help` and a mistyped command need not pay.
 */
const COMMANDS: Readonly<Record<string, { summary: string; load(): Promise<Command> }>> = {
  validate: {
    summary: 'check pipeline files (schema, references, compiled ASL)',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  compile: {
    summary: 'compile a pipeline to NAME.asl.json and NAME.bundle.json',
    load: async () => (await import('./commands/compile.js')).compileCommand,
  },
  run: {
    summary: 'run a pipeline on the embedded local stack',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  runs: {
    summary: 'list recent runs from the local stores',
    load: async () => (await import('./commands/runs.js')).runsCommand,
  },
  show: {
    summary: 'show a run: steps, attempts, errors, artifacts',
    load: async () => (await import('./commands/show.js')).showCommand,
  },
  dev: {
    summary: 'serve the run API on the local stack (127.0.0.1)',
    load: async () => (await import('./commands/dev.js')).devCommand,
  },
  optimize: {
    summary: 'compile better prompt packs from the scored local runs (DSPy)',
    load: async () => (await import('./commands/optimize.js')).optimizeCommand,
  },
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
    io.out.write(`elexirion ${packageJson.version}\n`);
    return ExitCode.Ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const near = closestName(name, Object.keys(COMMANDS));
    const suggestion = near === undefined ? '' : `; did you mean "${near}"?`;
    io.err.write(`elexirion: unknown command "${name}"${suggestion}\n\n${usage()}`);
    return ExitCode.Usage;
  }
  const command = await entry.load();
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
