import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { DEV_KEY, type DevProcess, spawnDev } from '../support/dev-process.js';

let dev: DevProcess | undefined;

afterEach(() => {
  if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
  dev = undefined;
});

/** A JSON request to the dev server as tenant local. */
async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${dev?.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${DEV_KEY}`,
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
    dev = await spawnDev(dataDir);

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
    expect(dev.output()).not.toContain(DEV_KEY);
  });
});

describe('elexirion dev after a crash', () => {
  it('fails the runs a killed dev server left running, and redrives them without repeating finished steps', async () => {
    // Prepare: a run of chain (outline, review, revise) whose mock calls take a while each
    const dataDir = join(await scratchDir(), 'data');
    dev = await spawnDev(dataDir, ['--mock-latency', '1500']);
    const started = await api('POST', '/v1/pipelines/chain/runs', { input: { topic: 'tides' } });
    expect(started).toMatchObject({ status: 201, body: { status: 'RUNNING' } });
    const runId = String(started.body.runId);
    const stepsOf = async () =>
      (await api('GET', `/v1/runs/${runId}/steps`)).body.steps as {
        stepId: string;
        status: string;
        attempts: { attempt: number; status: string }[];
      }[];
    // Kill it once outline has answered, while review's call is in flight
    await eventually(async () => {
      const steps = await stepsOf();
      return steps.find((step) => step.stepId === 'outline')?.status === 'SUCCEEDED' ? steps : undefined;
    });
    const killed = new Promise<NodeJS.Signals | null>((done) =>
      dev?.child.once('exit', (_code, signal) => done(signal)),
    );
    dev.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');

    // Act + Assess: restarted over the same data directory, it serves the run FAILED (not RUNNING)
    // from the start, having published its PipelineRunFailed
    dev = await spawnDev(dataDir);
    const afterRestart = await api('GET', `/v1/runs/${runId}`);
    expect(afterRestart.body).toMatchObject({ status: 'FAILED', error: { name: 'Local.ProcessDied' } });
    expect(dev.output()).toMatch(new RegExp(`event PipelineRunFailed .*"runId":"${runId}"`));
    const cancelled = await api('POST', `/v1/runs/${runId}/cancel`);
    expect(cancelled).toMatchObject({ status: 409, body: { error: { code: 'RUN_NOT_RUNNING' } } });

    // Act: redrive it
    const redriven = await api('POST', `/v1/runs/${runId}/redrive`);
    const done = await eventually(async () => {
      const run = await api('GET', `/v1/runs/${runId}`);
      return run.body.status === 'RUNNING' ? undefined : run.body;
    });

    // Assess: redriven to success
    expect(redriven).toMatchObject({ status: 202, body: { runId, status: 'RUNNING' } });
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const steps = await stepsOf();
    expect(steps.map((step) => [step.stepId, step.status])).toEqual([
      ['outline', 'SUCCEEDED'],
      ['review', 'SUCCEEDED'],
      ['revise', 'SUCCEEDED'],
    ]);
    // outline's provider call was not repeated
    expect(steps[0]?.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'SUCCEEDED'],
    ]);
  }, 90_000); // two dev servers start, and the first run's calls take 1.5 s each
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
