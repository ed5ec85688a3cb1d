import { describe, expect, it } from 'vitest';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { StepArtifact } from '../../../pipelines/contract/step-event.js';
import { compileLines } from '../../conformance/harness.js';
import { memoryDeps, type TurnAnswer, TurnScriptProvider } from '../functions/steps/agent-harness.js';

const FILES = {
  'src/a.ts': 'export const a = 1; // file a\n',
  'src/lib/b.ts': 'export const b = JSON.parse(input); // file b\n',
  'src/c.ts': 'export const c = 3; // file c\n',
  'README.md': '# not matched\n',
};

/** A pipeline whose `review_files` step reviews each workspace file matching `src/**\/*.ts`. */
const reviewing = (filesFrom: string, before: readonly string[] = []) => [
  'workflow:',
  '  name: review_files',
  '  steps:',
  ...before,
  '    - name: review_files',
  '      type: claude_batch',
  `      files_from: ${filesFrom}`,
  '      prompt:',
  '        - {type: static, content: "Review this file for error handling problems:"}',
];

/** Runs `lines` on the local stack over a workspace holding {@link FILES} (or, `withWorkspace` false, none). */
async function run(
  lines: readonly string[],
  script: Readonly<Record<number, readonly TurnAnswer[]>> = {},
  withWorkspace = true,
) {
  const provider = new TurnScriptProvider(script);
  const { deps, artifacts, runs } = memoryDeps(provider);
  const entries = Object.entries(FILES).map(([path, text]) => ({
    path,
    mode: 0o644,
    bytes: new TextEncoder().encode(text),
  }));
  const workspace = withWorkspace ? await storeWorkspace(artifacts, 'acme', entries, []) : {};
  const options = { inputs: {}, tenantId: 'acme', deps, retryDelay: 'none' as const };
  const record = await runPipelineLocally({ ...(await compileLines(lines)), ...options, ...workspace });
  const tasks = () => provider.requests.filter((request) => request.stepId === 'review_files.file');
  const batch = () =>
    artifacts.getJson<StepArtifact>(`tenants/acme/runs/${record.runId}/steps/review_files/1.json`);
  const attempts = async () =>
    (await runs.listAttempts('acme', record.runId)).map(({ stepId, status }) => ({ stepId, status }));
  return { record, tasks, batch, attempts };
}

describe('claude_batch files_from on the local stack', () => {
  it('runs one task per matching workspace file, each prompt ending with its own file', async () => {
    // Prepare
    const lines = reviewing('{glob: "src/**/*.ts"}');

    // Act
    const { record, tasks, batch } = await run(lines);

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    // Each task is its own iteration, numbered in path order, with its own attempt 1.
    const asked = tasks()
      .map(({ iteration, attempt, prompt }) => ({ iteration, attempt, prompt }))
      .sort((x, y) => Number(x.iteration?.[0]) - Number(y.iteration?.[0]));
    expect(asked).toEqual(
      ['src/a.ts', 'src/c.ts', 'src/lib/b.ts'].map((path, index) => ({
        iteration: [index],
        attempt: 1,
        prompt: `Review this file for error handling problems:\n${FILES[path as keyof typeof FILES]}`,
      })),
    );
    const data = (await batch()).response.data as { total_tasks: number; batch_results: unknown[] };
    expect(data.total_tasks).toBe(3);
    expect(data.batch_results).toEqual(
      ['src/a.ts', 'src/c.ts', 'src/lib/b.ts'].map((path) => ({
        task_id: path,
        status: 'success',
        text: 'no script for turn 0',
      })),
    );
  });

  it('reads a file an earlier agent step changed in its new version', async () => {
    // Prepare: the agent rewrites src/c.ts on turn 1 and answers on turn 2
    const fixed = 'export const c = Number.parseInt(input, 10); // fixed c\n';
    const agent = [
      '    - name: fix',
      '      type: claude',
      '      claude_options: {allowed_tools: [Write], max_turns: 3}',
      '      prompt: [{type: static, content: "Fix c."}]',
    ];
    const script = {
      1: [{ calls: [{ name: 'Write', input: { file_path: 'src/c.ts', content: fixed } }] }],
      2: [{ text: 'Rewrote it.' }],
    };

    // Act
    const { record, tasks } = await run(reviewing('{glob: "src/*.ts"}', agent), script);

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    const prompts = tasks().map((request) => request.prompt);
    expect(prompts).toHaveLength(2);
    expect(prompts).toContain(`Review this file for error handling problems:\n${fixed}`);
    expect(prompts.join('\n')).not.toContain('// file c');
  });

  it('makes an empty batch, not a failure, when no file matches', async () => {
    // Prepare
    const lines = reviewing('{glob: "docs/**/*.md"}');

    // Act
    const { record, tasks, batch } = await run(lines);

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect(tasks()).toEqual([]);
    expect((await batch()).response.data).toMatchObject({ total_tasks: 0, batch_results: [] });
  });

  it('fails the step with Data.InvalidInput, not retried, before any model call, past max_files', async () => {
    // Prepare
    const lines = reviewing('{glob: "src/**/*.ts", max_files: 2}');

    // Act
    const { record, tasks, attempts } = await run(lines);

    // Assess
    expect(record.status).toBe('FAILED');
    expect(record.error).toMatchObject({ name: ErrorName.DataInvalidInput, stepId: 'review_files' });
    expect(record.error?.message).toContain('3 workspace files match "src/**/*.ts", over its max_files of 2');
    expect(record.error?.message).toContain('narrow the glob or raise files_from.max_files');
    expect(tasks()).toEqual([]);
    expect(await attempts()).toEqual([{ stepId: 'review_files', status: 'FAILED' }]);
  });

  it('fails the step with Workspace.Invalid when the run has no workspace', async () => {
    // Prepare
    const lines = reviewing('{glob: "src/**/*.ts"}');

    // Act
    const { record, tasks } = await run(lines, {}, false);

    // Assess
    expect(record.status).toBe('FAILED');
    expect(record.error).toMatchObject({ name: ErrorName.WorkspaceInvalid, stepId: 'review_files' });
    expect(record.error?.message).toContain('--repo DIR');
    expect(tasks()).toEqual([]);
  });
});
