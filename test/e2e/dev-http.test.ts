import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { DEV_KEY, type DevProcess, spawnDev } from '../support/dev-process.js';

const AUTH = `Authorization: Bearer ${DEV_KEY}\r\n`;
const START = 'POST /v1/pipelines/hello/runs HTTP/1.1\r\nHost: localhost\r\n';

/** A run start's JSON body of `size` bytes. */
function startBody(size: number): string {
  const json = JSON.stringify({ input: { topic: '' } });
  return json.replace('""', `"${'a'.repeat(size - json.length)}"`);
}

/** `body` in chunked transfer encoding, 16 KiB a chunk. */
function chunked(body: string): string {
  const chunks: string[] = [];
  for (let at = 0; at < body.length; at += 16_384) {
    const chunk = body.slice(at, at + 16_384);
    chunks.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  }
  return `${chunks.join('')}0\r\n\r\n`;
}

/** What came back on one connection: each answer's status code and body, in order, and how it ended. */
interface Exchange {
  readonly answers: { readonly status: number; readonly body: string }[];
  readonly error?: string;
}

/**
 * Writes each request on one connection to the server at `port`, waiting `gapMs` between them (so
 * the server has answered the one before when the next arrives, as for a kept-alive connection),
 * and reads until the server closes the connection or 10 s pass.
 */
async function exchange(port: number, requests: readonly string[], gapMs = 200): Promise<Exchange> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let error: string | undefined;
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', (failure: NodeJS.ErrnoException) => {
    error = failure.code ?? failure.message;
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  for (const [index, request] of requests.entries()) {
    if (index > 0) await sleep(gapMs);
    if (!socket.destroyed) socket.write(request, 'latin1');
  }
  await Promise.race([closed, sleep(10_000)]);
  socket.destroy();
  const answers = [...received.matchAll(/HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n/g)].map((match) => {
    const length = /content-length: (\d+)/i.exec(match[2] ?? '')?.[1];
    const start = (match.index ?? 0) + match[0].length;
    return { status: Number(match[1]), body: received.slice(start, start + Number(length ?? 0)) };
  });
  return { answers, ...(error === undefined ? {} : { error }) };
}

/** The error code of an answer in the API's error shape. */
function codeOf(answer: { body: string } | undefined): unknown {
  return (JSON.parse(answer?.body || '{}') as { error?: { code?: unknown } }).error?.code;
}

describe('elexirion dev, asked what it cannot serve', () => {
  let dev: DevProcess;
  beforeAll(async () => {
    dev = await spawnDev(join(await scratchDir(), 'data'));
    // Warmed up: the first request's key lookup is slow enough to hide how a refused body was read.
    await fetch(`${dev.url}/v1/pipelines`, { headers: { Authorization: `Bearer ${DEV_KEY}` } });
  });
  afterAll(() => {
    dev.child.kill('SIGKILL');
  });

  const tooLarge = startBody(1_048_576);
  const then = `GET /v1/pipelines HTTP/1.1\r\nHost: localhost\r\n${AUTH}Connection: close\r\n\r\n`;

  it.each([
    [
      'a body over the limit, with Content-Length',
      `${START}${AUTH}Content-Type: application/json\r\nContent-Length: ${tooLarge.length}\r\n\r\n${tooLarge}`,
    ],
    [
      'a body over the limit, chunked',
      `${START}${AUTH}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(tooLarge)}`,
    ],
  ])('answers %s with 413, and the next request on the connection too', async (_kind, request) => {
    // Act
    const { answers } = await exchange(dev.port, [request, then]);

    // Assess: before, the connection was closed unanswered once the 413 was sent
    expect(answers.map((answer) => answer.status)).toEqual([413, 200]);
    expect(codeOf(answers[0])).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    {
      kind: 'CONNECT',
      request: 'CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
    },
    {
      kind: 'a Content-Length that is no number',
      request: `${START}${AUTH}Content-Type: application/json\r\nContent-Length: two\r\n\r\n{}`,
      status: 400,
      code: 'INVALID_HTTP_REQUEST',
    },
    {
      kind: 'Content-Length twice',
      request: `${START}${AUTH}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      status: 400,
      code: 'INVALID_HTTP_REQUEST',
    },
    {
      kind: 'a header value with a control character',
      request: `GET /v1/runs HTTP/1.1\r\nHost: localhost\r\n${AUTH}X-Note: a\u0001b\r\n\r\n`,
      status: 400,
      code: 'INVALID_HTTP_REQUEST',
    },
    {
      kind: 'a Host that is no host',
      request: `GET /v1/runs HTTP/1.1\r\nHost: a b\r\n${AUTH}Connection: close\r\n\r\n`,
      status: 400,
      code: 'INVALID_HTTP_REQUEST',
    },
    {
      kind: 'a URL over the header size limit',
      request: `GET /v1/runs?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n${AUTH}\r\n`,
      status: 431,
      code: 'HEADERS_TOO_LARGE',
    },
    {
      kind: 'malformed JSON',
      request: `${START}${AUTH}Content-Type: application/json\r\nConnection: close\r\nContent-Length: 5\r\n\r\n{"a":`,
      status: 400,
      code: 'INVALID_JSON',
    },
  ])('answers $kind with $status in the API error shape', async ({ request, status, code }) => {
    // Act
    const { answers } = await exchange(dev.port, [request]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([status]);
    expect(JSON.parse(answers[0]?.body ?? '')).toEqual({
      error: { code, message: expect.any(String), details: expect.any(Array) },
    });
  });
});

describe('elexirion dev, stopped while busy', () => {
  let dev: DevProcess | undefined;
  afterEach(() => {
    if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
  });

  it('answers the request it is handling, lets the steps being called finish, then exits cleanly', async () => {
    // Prepare: rejections nobody handles end the process, loudly; each mock call takes 1 s
    const dataDir = join(await scratchDir(), 'data');
    dev = await spawnDev(dataDir, ['--mock-latency', '1000'], {
      NODE_OPTIONS: '--unhandled-rejections=strict',
    });
    const running = await fetch(`${dev.url}/v1/pipelines/hello/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEV_KEY}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(running.status).toBe(201);
    // A start request the server is handling (it waits for the body's last byte) when it is stopped
    const body = JSON.stringify({ input: {} });
    const late = connect(dev.port, '127.0.0.1');
    let answer = '';
    late.on('data', (chunk) => {
      answer += chunk;
    });
    late.on('error', () => undefined);
    late.write(
      `${START}${AUTH}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, -1)}`,
    );
    await sleep(300);

    // Act: stopped while the first run's first step is calling the mock, and the request is open
    dev.child.kill('SIGTERM');
    await dev.printed(/SIGTERM: stopping/);
    late.write(body.slice(-1)); // not end(): a client that half-closes has its request aborted

    // Assess: the request was answered, not dropped
    expect(await dev.exited).toBe(0);
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(dev.output().trimEnd()).toMatch(/\nstopped$/);
    expect(dev.output()).not.toMatch(/internal error|error in the local engine|error closing a run/);
    expect(dev.stderr()).not.toMatch(/unhandled/i);
    // Both runs ended with the server, and the call in flight at the stop was recorded, not lost
    // writing to stores already closed
    const listed = await runCli(['runs', '--json', '--data-dir', dataDir], { cwd: dataDir });
    const runs = JSON.parse(listed.stdout) as { runId: string; status: string }[];
    expect(runs.map((run) => run.status)).toEqual(['ABORTED', 'ABORTED']);
    const { runId } = (await running.json()) as { runId: string };
    const shown = await runCli(['show', runId, '--json', '--data-dir', dataDir], { cwd: dataDir });
    const { steps } = JSON.parse(shown.stdout) as { steps: { attemptRecords: { status: string }[] }[] };
    expect(steps[0]?.attemptRecords.map((attempt) => attempt.status)).toEqual(['SUCCEEDED']);
  }, 60_000);
});
