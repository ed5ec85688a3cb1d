import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../functions/ports/runs.js';
import { createProviderRouter } from '../../functions/providers/provider-router.js';
import { storeWorkspace } from '../../functions/workspaces/store-workspace.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { createLocalDeps, type LocalDeps } from '../../local/local-deps.js';
import { runPipelineLocally } from '../../local/run-pipeline.js';
import { snapshotDirectory } from '../../local/workspace-snapshot.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { NODE_TEST_PROJECT } from '../support/node-test-project.js';
import { compileFile, located, writeFixtures } from './data-harness.js';

/**
 * `type: test` through the local stack: the compiled ASL (an `ecs:runTask.sync` Task, then the step
 * runner's result Task) runs as it would on AWS, the runTask Task served in-process by the code the
 * container runs, on a workspace stored as `elexirion run --repo` stores one.
 */

let stack: LocalStack;
let deps: LocalDeps;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
  deps = createLocalDeps(stack, createProviderRouter({ mode: 'mock' }));
});
afterAll(async () => {
  await stack.stop();
});

/** Stores `files` as a workspace of `tenantId`, as `elexirion run --repo DIR` does. */
async function workspaceOf(tenantId: string, files: Readonly<Record<string, string>>): Promise<string> {
  const repo = await mkdtemp(join(tmpdir(), 'elexirion-repo-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  const { entries, skipped } = await snapshotDirectory(repo);
  return (await storeWorkspace(deps.artifacts, tenantId, entries, skipped)).workspaceId;
}

/** Runs `steps` (YAML lines) as a pipeline, on `workspaceId` when given. */
async function run(
  steps: readonly string[],
  workspaceId?: string,
): Promise<{ run: RunRecord; calls: string[]; result: (step: string) => Promise<unknown> }> {
  const dir = await writeFixtures({ 'p.yaml': ['workflow:', '  name: verify', '  steps:', ...steps] });
  const compiled = await compileFile(join(dir, 'p.yaml'));
  const calls: string[] = [];
  let final: Record<string, { artifact?: { key: string } }> = {};
  const record = await runPipelineLocally({
    asl: compiled.asl,
    bundle: compiled.bundle,
    children: compiled.children,
    inputs: {},
    tenantId: 'acme',
    deps,
    retryDelay: 'none',
    ...(workspaceId === undefined ? {} : { workspaceId }),
    observer: { onStepStart: (stepId) => calls.push(stepId) },
    onEvent: (event) => {
      if (event.type === 'ExecutionSucceeded') final = (event.output as { steps: typeof final }).steps;
    },
  });
  const result = async (step: string) => {
    const entry = final[step];
    if (entry?.artifact === undefined) return entry;
    return (await deps.artifacts.getJson<{ response: { data: unknown } }>(entry.artifact.key)).response.data;
  };
  return { run: record, calls, result };
}

const VERIFY = [
  '    - name: verify',
  '      type: test',
  '      command: npm test',
  '      timeout_seconds: 120',
];

describe('type: test', () => {
  it('runs the tests on the workspace; a failing run is a result that conditions, switches and templates read', async () => {
    // Prepare
    const workspaceId = await workspaceOf('acme', NODE_TEST_PROJECT);

    // Act
    const {
      run: record,
      calls,
      result,
    } = await run(
      [
        ...VERIFY,
        '    - name: report',
        '      type: test_echo',
        '      condition: "verify.passed == false"',
        '      value: "{{steps.verify.summary.failed}} of {{steps.verify.summary.passed}} passing failed"',
        '    - name: route',
        '      type: switch',
        '      expression: steps.verify.passed',
        '      cases:',
        '        "false": [{name: fix, type: test_echo, value: fix it}]',
        '        "true": [{name: ship, type: test_echo, value: ship it}]',
      ],
      workspaceId,
    );

    // Assess: the run succeeded, the test step with a failing result
    expect(record.status).toBe('SUCCEEDED');
    expect(await result('verify')).toMatchObject({
      passed: false,
      exit_code: 1,
      timed_out: false,
      summary: { passed: 1, failed: 1, skipped: 0 },
      tail: expect.stringContaining('# fail 1'),
    });
    const { log } = (await result('verify')) as { log: string };
    expect(log).toMatch(/^tenants\/acme\/runs\/[^/]+\/steps\/verify\/1\.log$/);
    expect(await deps.artifacts.getText(log)).toContain('not ok');
    // Assess: what read the result
    expect(await result('report')).toEqual({ result: '1 of 1 passing failed' });
    expect(await result('route')).toEqual({ branch: 'false' });
    expect(await result('fix')).toEqual({ result: 'fix it' });
    expect(calls[0]).toBe('verify');
  });

  it.each([
    ['a child state machine', 'false'],
    ['inline', 'true'],
  ])('runs in a nested pipeline (%s), under its scope, on the run’s workspace', async (_how, inline) => {
    // Prepare
    const workspaceId = await workspaceOf('acme', NODE_TEST_PROJECT);

    // Act
    const {
      run: record,
      calls,
      result,
    } = await run(
      [
        '    - name: checks',
        '      type: pipeline',
        `      config: {inline: ${inline}}`,
        '      pipeline:',
        '        name: inner',
        '        steps:',
        '          - {name: verify, type: test, command: npm test, timeout_seconds: 120}',
        '      outputs: [verify]',
      ],
      workspaceId,
    );

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect(calls).toContain('checks.verify');
    expect(await result('checks')).toEqual({
      verify: expect.objectContaining({
        passed: false,
        summary: { passed: 1, failed: 1, skipped: 0 },
        log: expect.stringMatching(/\/steps\/checks\.verify\/1\.log$/),
      }),
    });
  });

  it('fails with Workspace.Invalid, saying to start the run with --repo, in a run without a workspace', async () => {
    // Act
    const { run: record } = await run(VERIFY);

    // Assess
    expect(record.status).toBe('FAILED');
    expect(record.error).toMatchObject({
      name: 'Workspace.Invalid',
      message: expect.stringContaining('--repo DIR'),
    });
  });

  it('with required: true fails the run with Test.Failed once, without retrying it', async () => {
    // Prepare
    const workspaceId = await workspaceOf('acme', NODE_TEST_PROJECT);

    // Act
    const { run: record, calls } = await run([...VERIFY, '      required: true'], workspaceId);

    // Assess
    expect(record.status).toBe('FAILED');
    expect(record.error).toMatchObject({
      name: 'Test.Failed',
      message: expect.stringContaining('1 failed, 1 passed, 0 skipped'),
    });
    expect(calls).toEqual(['verify']);
  });

  it("loads docs/pipeline-language.md's example", async () => {
    // Prepare: the first yaml block after the section's heading
    const doc = await readFile('docs/pipeline-language.md', 'utf8');
    const section = doc.slice(doc.indexOf('\n### `test`\n'));
    const steps = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: documented',
        '  steps:',
        ...steps.split('\n').map((line) => `    ${line}`),
      ],
    });

    // Act
    const loaded = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(loaded.issues).toEqual([]);
    expect(loaded.pipeline?.workflow.steps.map((step) => step.type)).toEqual(['test', 'claude']);
  });

  it.each([
    ['an empty command', ['command: "  "'], 'INVALID_VALUE@6:16'],
    ['a template in the command', ['command: "npm test -- {{inputs.filter}}"'], 'INVALID_VALUE@6:16'],
    [
      'a template in an env value',
      ['command: npm test', 'env: {FILTER: "{{inputs.filter}}"}'],
      'INVALID_VALUE@7:21',
    ],
    ['an AWS credential in env', ['command: npm test', 'env: {AWS_PROFILE: prod}'], 'INVALID_VALUE@7:26'],
    ['a provider key in env', ['command: npm test', 'env: {ANTHROPIC_API_KEY: sk-x}'], 'INVALID_VALUE@7:32'],
    ['a timeout over an hour', ['command: npm test', 'timeout_seconds: 7200'], 'INVALID_VALUE@7:24'],
    ['a timeout of zero', ['command: npm test', 'timeout_seconds: 0'], 'INVALID_VALUE@7:24'],
    ['no command', ['required: true'], 'MISSING_FIELD@4:7'],
    ['an unknown field', ['command: npm test', 'retries: 2'], 'UNKNOWN_FIELD@7:7'],
  ])('rejects %s at load time', async (_case, fields, at) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: bad_test',
        '  steps:',
        '    - name: verify',
        '      type: test',
        ...fields.map((field) => `      ${field}`),
      ],
    });

    // Act
    const loaded = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(loaded)).toEqual([at]);
  });
});
