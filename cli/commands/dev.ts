import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateApiKey } from '../../functions/api/api-keys.js';
import { startDevServer } from '../../local/dev-server.js';
import type { Command } from '../command.js';
import { DATA_DIR_HELP, resolveDataDir } from '../data-dir.js';
import { type CliIo, ExitCode, UsageError } from '../io.js';
import { PROVIDER_HELP, PROVIDER_OPTIONS, providerRouterFromFlags } from '../provider-options.js';

/** The port `elexirion dev` listens on unless told otherwise. */
export const DEFAULT_DEV_PORT = 8787;

/** `elexirion dev`: the local stack plus the run API on 127.0.0.1, until Ctrl+C. */
export const devCommand: Command = {
  help: `Usage: elexirion dev [--port N] [--api-key KEY] [options]

Starts the local stack and serves the run API on http://127.0.0.1:PORT, as it runs in Lambda:
start runs, follow them, cancel and redrive them, score them (see docs/api.md). Runs execute in
the background on the local Step Functions interpreter. Stop with Ctrl+C; runs still going on
then end ABORTED, once the requests being answered and the steps being called are done (a second
Ctrl+C stops at once). Executions are kept in DATA_DIR: runs a killed or crashed dev server left going on
are FAILED (Local.ProcessDied) when the next one starts, and their redrive resumes at the step they
were in.

Requests authenticate as tenant "local" with Authorization: Bearer KEY. The pipelines under
--pipelines are served without registering them; PUT /v1/pipelines/NAME registers more.
A file copied into DATA_DIR/inbox/ is uploaded to the local S3 inbox (tenants/local/inbox/) and
starts a run when it is a JSON run request: {"pipeline": "chain", "input": {...}}.

Prints the URL and the API key on stdout, the server's log (runs, events) on stderr.

Options:
  --port N             port on 127.0.0.1 (default ${DEFAULT_DEV_PORT}; 0 picks a free one)
  --api-key KEY        tenant local's API key (default: $ELEXIRION_API_KEY; without either a new
                       key is generated and printed); keys of earlier sessions stop working
  --pipelines DIR      pipelines served without registering (default: pipelines)
${PROVIDER_HELP}
  --mock-latency MS    the mock provider waits MS milliseconds per call (to try cancel)
${DATA_DIR_HELP}
`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: String(DEFAULT_DEV_PORT) },
        'api-key': { type: 'string' },
        pipelines: { type: 'string', default: 'pipelines' },
        ...PROVIDER_OPTIONS,
        'mock-latency': { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
      },
    });
    const port = wholeNumber(values.port, '--port', 65_535);
    const mockLatencyMs = wholeNumber(values['mock-latency'], '--mock-latency', 600_000);
    const given = values['api-key'] ?? io.env.ELEXIRION_API_KEY;
    if (given !== undefined && !/^[\x21-\x7e]{16,512}$/.test(given)) {
      throw new UsageError('an API key is 16 to 512 printable characters without spaces');
    }
    const apiKey = given ?? generateApiKey();
    const cwd = io.cwd ?? process.cwd();
    const dataDir = resolveDataDir(values['data-dir'], io);
    const inboxDir = join(dataDir, 'inbox');
    const pipelinesDir = resolve(cwd, values.pipelines);

    const server = await startDevServer({
      stack: { dataDir },
      port,
      apiKey,
      pipelinesDir,
      inboxDir,
      providerFor: await providerRouterFromFlags(values, io, { mockLatencyMs }),
      retryDelay: values['no-retry-wait'] ? 'none' : 'real',
      // The server's log is status: stderr. The banner below (URL, key) is the result: stdout.
      log: (line) => io.err.write(`${line}\n`),
    });
    const keyLine =
      given === undefined
        ? `API key:  ${apiKey}\n          (new; pass --api-key or set ELEXIRION_API_KEY to keep one across restarts)`
        : `API key:  the one from ${values['api-key'] === undefined ? 'ELEXIRION_API_KEY' : '--api-key'}`;
    // Listening for the signals before the banner says Ctrl+C stops the server: a client that reads
    // the banner and signals at once must find the handlers there. After the first signal a second
    // one gets Node's default handling: it ends the process at once.
    const stopSignal = new Promise<NodeJS.Signals>((done) => {
      const stop = (received: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done(received);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.out.write(
      [
        `Elexirion dev server listening on ${server.url}`,
        `tenant:   local`,
        keyLine,
        `try:      curl -H "Authorization: Bearer $KEY" ${server.url}/v1/pipelines`,
        `pipelines ${shown(cwd, pipelinesDir)}/ · inbox ${shown(cwd, inboxDir)}/ · OpenAPI ${server.url}/v1/openapi.json`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    const signal = await stopSignal;
    io.err.write(`${signal}: stopping\n`);
    await server.stop();
    io.err.write('stopped\n');
    return ExitCode.Ok;
  },
};

function wholeNumber(text: string, flag: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new UsageError(`${flag} takes a whole number from 0 to ${max}, got "${text}"`);
  }
  return value;
}

/** A path as the user would type it from the cwd. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
