import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const BIN = resolve('cli/bin.js');
const KEY = 'e2e-key-0123456789abcdef';

/** A running `elexirion dev` in its own process, and everything it printed so far. */
interface DevProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

let dev: DevProcess | undefined;

afterEach(() => {
  if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
  dev = undefined;
});

/** Spawns `elexirion dev --port 0` and waits for the line naming its URL. */
async function startDev(dataDir: string): Promise<DevProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'dev',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--pipelines',
      resolve('pipelines/examples'),
      '--no-retry-wait',
    ],
    // No provider keys: the mock serves every step. The key comes from the environment.
    { cwd: await scratchDir(), env: { PATH: process.env.PATH ?? '', ELEXIRION_API_KEY: KEY } },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((found, failed) => {
    const look = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) found(match[1]);
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => failed(new Error(`elexirion dev exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

/** A JSON request to the dev server as tenant local. */
async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${dev?.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Polls until `check` returns a value, for at most `attempts` tries 100 ms apart. */
async function eventually<T>(check: () => Promise<T | undefined>, attempts = 200): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`gave up waiting; the server printed:\n${dev?.output()}`);
}

describe('elexirion dev', () => {
  it('serves the run API to a real HTTP client, starts runs from the inbox, and stops cleanly', async () => {
    // Prepare
    const dataDir = join(await scratchDir(), 'data');
    dev = await startDev(dataDir);

    // Act + Assess: start, and start again with the same idempotency key
    const started = await api(
      'POST',
      '/v1/pipelines/chain/runs',
      { input: { topic: 'tides' } },
      { 'Idempotency-Key': 'e2e-1' },
    );
    expect(started).toMatchObject({ status: 201, body: { status: 'RUNNING' } });
    const runId = String(started.body.runId);
    const again = await api('POST', '/v1/pipelines/chain/runs', {
      input: { topic: 'tides' },
      idempotencyKey: 'e2e-1',
    });
    expect(again.body.runId).toBe(runId);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');

    // Poll to completion
    const done = await eventually(async () => {
      const run = await api('GET', `/v1/runs/${runId}`);
      return run.body.status === 'RUNNING' ? undefined : run.body;
    });
    expect(done).toMatchObject({ status: 'SUCCEEDED', inputs: { topic: 'tides' } });

    // List, steps, artifact, feedback
    const listed = await api('GET', '/v1/runs?pipeline=chain');
    expect(listed.body.runs).toEqual([expect.objectContaining({ runId })]);
    const steps = await api('GET', `/v1/runs/${runId}/steps`);
    expect((steps.body.steps as { stepId: string }[]).map((step) => step.stepId)).toEqual([
      'outline',
      'review',
      'revise',
    ]);
    const artifact = await api('GET', `/v1/runs/${runId}/artifacts/revise`);
    expect(artifact).toMatchObject({
      status: 200,
      body: { stepId: 'revise', response: { text: expect.any(String) } },
    });
    const feedback = await api('POST', `/v1/runs/${runId}/feedback`, { score: 0.9, stepId: 'revise' });
    expect(feedback).toMatchObject({
      status: 201,
      body: { runId, score: 0.9, promptVersion: expect.any(String) },
    });

    // A run request copied into the inbox starts a run
    await writeFile(join(dataDir, 'inbox', 'request.json'), JSON.stringify({ pipeline: 'hello' }));
    const fromInbox = await eventually(async () => {
      const runs = (await api('GET', '/v1/runs?pipeline=hello')).body.runs as { status: string }[];
      return runs[0]?.status === 'SUCCEEDED' ? runs[0] : undefined;
    });
    expect(fromInbox).toMatchObject({ pipeline: 'hello' });

    // Stop
    const exited = new Promise<number | null>((done) => dev?.child.once('exit', done));
    dev.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(dev.output()).toContain('stopped');
    expect(dev.output()).not.toContain(KEY);
  });
});

describe('elexirion dev usage', () => {
  it.each([
    [['--port', 'eighty'], '--port takes a whole number from 0 to 65535, got "eighty"'],
    [['--api-key', 'short'], 'an API key is 16 to 512 printable characters'],
    [['--provider', 'openai'], '--provider must be one of'],
  ])('exits 2 for %j, saying what to write', async (args, message) => {
    // Act
    const result = await runCli(['dev', ...args], { cwd: await scratchDir() });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
