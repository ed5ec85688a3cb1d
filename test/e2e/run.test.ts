import { existsSync } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/emulators.js';
import { runCli, scratchDir } from '../support/cli-harness.js';

const CHAIN = resolve('pipelines/examples/chain.yaml');

describe('elexirion run', () => {
  it('runs the example chain with --json and leaves artifacts in S3 and metrics in DynamoDB', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['run', CHAIN, '--json'], { cwd });

    // Assess: the one JSON object the issue specifies
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ status: 'SUCCEEDED', usage: { inputTokens: expect.any(Number) } });
    expect(report.runId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
    expect(report.steps.map((s: { name: string }) => s.name)).toEqual(Object.keys(report.outputs));
    for (const step of report.steps)
      expect(step).toMatchObject({ status: 'SUCCEEDED', attempts: 1, degraded: false });

    // Assess: read back through the real SDK clients against the same local stack
    const stack = await startLocalStack({ dataDir: join(cwd, '.elexirion') });
    try {
      const attempts = await stack.clients.dynamo.send(
        new QueryCommand({
          TableName: stack.tables.attempts,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TENANT#local#RUN#${report.runId}` },
        }),
      );
      const records = (attempts.Items ?? []).filter((item) => item.status === 'SUCCEEDED');
      expect(records).toHaveLength(report.steps.length);
      for (const record of records) {
        expect(record).toMatchObject({
          model: expect.any(String),
          latencyMs: expect.any(Number),
          costUsd: 0,
        });
        const object = await stack.clients.s3.send(
          new GetObjectCommand({ Bucket: stack.bucket, Key: record.artifactKey }),
        );
        const artifact = JSON.parse(await (object.Body?.transformToString() ?? ''));
        expect(artifact).toMatchObject({
          stepId: record.stepId,
          attempt: 1,
          response: { text: expect.any(String) },
        });
      }
    } finally {
      await stack.stop();
    }

    // Assess: `show` lists the same artifacts
    const shown = await runCli(['show', report.runId], { cwd });
    expect(shown.code).toBe(0);
    for (const step of report.steps) {
      expect(shown.stdout).toContain(`tenants/local/runs/${report.runId}/steps/${step.name}/1.json`);
    }
  });

  it('reports what control flow did: the branch a switch took and each loop iteration', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['run', resolve('pipelines/examples/triage.yaml'), '--json'], { cwd });

    // Assess
    expect(result.code).toBe(0);
    const { outputs } = JSON.parse(result.stdout);
    expect(outputs.route).toEqual({ branch: 'high' });
    expect(
      outputs.checks.iterations.map((i: { item: string; status: string }) => [i.item, i.status]),
    ).toEqual([
      ['payments', 'SUCCEEDED'],
      ['cart', 'SUCCEEDED'],
    ]);
    expect(outputs.checks.iterations[0].steps.check).toMatch(/payments service/);
  });

  it('retries injected rate limits and records every attempt', async () => {
    // Prepare
    const cwd = await scratchDir();
    const script = join(cwd, 'script.yaml');
    await writeFile(script, 'outline:\n  - $error: rate_limit\n  - $error: rate_limit\n  - "An outline"\n');

    // Act
    const result = await runCli(['run', CHAIN, '--mock-script', script, '--no-retry-wait', '--json'], {
      cwd,
    });

    // Assess
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.outputs.outline).toBe('An outline');
    expect(report.steps.find((s: { name: string }) => s.name === 'outline')).toMatchObject({ attempts: 3 });
    const shown = JSON.parse((await runCli(['show', report.runId, '--json'], { cwd })).stdout);
    const outline = shown.steps.find((s: { name: string }) => s.name === 'outline');
    expect(outline.attemptRecords.map((a: { status: string }) => a.status)).toEqual([
      'FAILED',
      'FAILED',
      'SUCCEEDED',
    ]);
    expect(outline.attemptRecords[0].error.name).toBe('Provider.RateLimited');
  });

  it('fails the run cleanly on a permanent error and names it in show', async () => {
    // Prepare
    const cwd = await scratchDir();
    const script = join(cwd, 'script.json');
    await writeFile(script, JSON.stringify({ outline: [{ $error: 'auth' }] }));

    // Act
    const result = await runCli(['run', CHAIN, '--mock-script', script, '--no-retry-wait'], { cwd });
    const runId =
      /run (\S+)/.exec(result.stdout.split('\n').find((l) => l.startsWith('FAILED')) ?? '')?.[1] ?? '';
    const shown = await runCli(['show', runId], { cwd });

    // Assess: one attempt (a permanent error is not retried), the run FAILED, the error named
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error in step outline: Provider.AuthFailed');
    expect(shown.stdout).toMatch(/Run \S+ {2}chain {2}FAILED/);
    expect(shown.stdout).toContain('error in step outline: Provider.AuthFailed');
    expect(shown.stdout.match(/^outline +\d/gm)).toHaveLength(1);
  });

  it.each([
    ['bad YAML', 'workflow:\n  name: x\n  steps: [\n', 'YAML_SYNTAX'],
    [
      'an unknown step type',
      'workflow:\n  name: x\n  steps:\n    - name: a\n      type: claude_magic\n',
      'UNKNOWN_STEP_TYPE',
    ],
    [
      'an unknown template reference',
      'workflow:\n  name: x\n  steps:\n    - name: a\n      type: claude\n      prompt:\n        - type: static\n          content: "Hi {{inputs.nope}}"\n',
      'UNKNOWN_REFERENCE',
    ],
    [
      'a missing prompt',
      'workflow:\n  name: x\n  steps:\n    - name: a\n      type: claude\n',
      'MISSING_FIELD',
    ],
  ])('rejects %s with FILE:LINE:COL, exit 2, and writes nothing', async (_case, yaml, code) => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'bad.yaml'), yaml);

    // Act
    const result = await runCli(['run', 'bad.yaml'], { cwd });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^bad\\.yaml:\\d+:\\d+: error\\[${code}\\]`, 'm'));
    expect(result.stdout).toBe('');
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it.each([
    [['run'], 'name exactly one pipeline file'],
    [['run', CHAIN, '--provider', 'openai'], '--provider must be one of'],
    [['run', CHAIN, '--input', 'topic'], '--input takes NAME=VALUE'],
    [['run', CHAIN, '--bogus'], 'Unknown option'],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const cwd = await scratchDir();

    const result = await runCli(argv, { cwd });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it('exits 2 naming the input when a run input is undeclared or of the wrong type', async () => {
    const cwd = await scratchDir();

    const result = await runCli(['run', CHAIN, '--input', 'colour=red'], { cwd });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('input colour: the pipeline declares no input "colour"');
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it('exits 2 naming an input the execution state has no room for, and writes nothing', async () => {
    const cwd = await scratchDir();

    const result = await runCli(['run', CHAIN, '--input', `topic=${'x'.repeat(261_000)}`], { cwd });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^.*chain\.yaml: input topic: the input "topic" is 261002 bytes as JSON: .* over Step Functions' limit of 262144 bytes \(256 KiB\) per state; .*S3 object/,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it('rejects an input default the execution state has no room for: validate and run at its position, with exit 2', async () => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(
      join(cwd, 'big.yaml'),
      [
        'workflow:',
        '  name: big',
        '  inputs:',
        `    doc: {type: string, default: "${'x'.repeat(300_000)}"}`,
        '  steps:',
        '    - {name: ask, type: claude, prompt: [{type: static, content: "Summarize {{inputs.doc}}"}]}',
        '',
      ].join('\n'),
    );

    // Act
    const validated = await runCli(['validate', 'big.yaml'], { cwd });
    const run = await runCli(['run', 'big.yaml'], { cwd });

    // Assess
    const located =
      /^big\.yaml:4:34: error\[STATE_TOO_LARGE\]: the default of input "doc" is 300002 bytes as JSON: .* over Step Functions' limit of 262144 bytes/m;
    // One exit code for an invalid pipeline on every command: validate's was 1, it is now 2, as run's.
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(located);
    expect(validated.stderr).toContain('hint: read long text from a file next to the pipeline');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(located);
    expect(run.stdout).toBe('');
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });

  it('exits 2 with the position of a mistake in the mock script', async () => {
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'script.yaml'), 'outline:\n  - $error: rate_limited\n');

    const result = await runCli(['run', CHAIN, '--mock-script', 'script.yaml'], { cwd });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/script\.yaml:2:\d+/);
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });
});

describe('a pipeline reads nothing outside its folder', () => {
  it.each([
    ['/proc/self/environ', '/proc/self/environ'],
    ['a parent path', '../../x'],
    ['a link out of the folder', 'leak.md'],
  ])('refuses %s at load time: exit 2, FILE:LINE:COL, nothing written', async (_case, path) => {
    // Prepare: a key in the environment, and a link beside the pipeline pointing at a secret outside it
    const cwd = await scratchDir();
    const secret = join(await scratchDir(), 'credentials');
    await writeFile(secret, 'aws_secret_access_key = not-for-prompts');
    await symlink(secret, join(cwd, 'leak.md'));
    const yaml = `workflow:\n  name: leak\n  steps:\n    - name: a\n      type: claude\n      prompt:\n        - {type: file, path: "${path}"}\n`;
    await writeFile(join(cwd, 'leak.yaml'), yaml);
    const env = { ANTHROPIC_API_KEY: ['sk', 'ant', 'e2e-probe'].join('-') };

    // Act
    const run = await runCli(['run', 'leak.yaml', '--json'], { cwd, env });
    const compile = await runCli(['compile', 'leak.yaml', '--out', 'out'], { cwd, env });

    // Assess
    for (const result of [run, compile]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^leak\.yaml:7:\d+: error\[FILE_OUTSIDE_FOLDER\]/m);
      expect(result.stdout + result.stderr).not.toContain('not-for-prompts');
    }
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
