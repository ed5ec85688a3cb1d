import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MemoryArtifactStore } from '../../../functions/stores/memory-artifact-store.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { StepArtifact } from '../../../pipelines/contract/step-event.js';
import { compileLines } from '../../conformance/harness.js';
import { memoryDeps, type TurnAnswer, TurnScriptProvider } from '../functions/steps/agent-harness.js';

const MEDIAN = 'export function median(xs) {\n  return xs[xs.length / 2];\n}\n';

/** A pipeline whose `review` step reads `path` from the workspace between two static parts. */
const reviewing = (path: string, before: readonly string[] = []) => [
  'workflow:',
  '  name: review_file',
  '  inputs: {module: {type: string, default: median}}',
  '  steps:',
  ...before,
  '    - name: review',
  '      type: claude',
  '      prompt:',
  '        - {type: static, content: "Review this file:"}',
  `        - {type: workspace_file, path: "${path}"}`,
  '        - {type: static, content: "End of file."}',
];

/** Runs `lines` on the local stack over a workspace holding `files` (none: a run without one). */
async function run(
  lines: readonly string[],
  files: Readonly<Record<string, string>> | undefined,
  script: Readonly<Record<number, readonly TurnAnswer[]>> = {},
) {
  const provider = new TurnScriptProvider(script);
  const { deps, artifacts } = memoryDeps(provider);
  const entries = Object.entries(files ?? {}).map(([path, text]) => ({
    path,
    mode: 0o644,
    bytes: new TextEncoder().encode(text),
  }));
  const workspace = files === undefined ? {} : await storeWorkspace(artifacts, 'acme', entries, []);
  const options = { inputs: {}, tenantId: 'acme', deps, retryDelay: 'none' as const };
  const record = await runPipelineLocally({ ...(await compileLines(lines)), ...options, ...workspace });
  const review = () => provider.requests.find((request) => request.stepId === 'review');
  return { record, review, artifacts };
}

/** The artifact of the review step's first attempt. */
function reviewArtifact(artifacts: MemoryArtifactStore, runId: string): Promise<StepArtifact> {
  return artifacts.getJson<StepArtifact>(`tenants/acme/runs/${runId}/steps/review/1.json`);
}

describe('a workspace_file prompt part on the local stack', () => {
  it("renders the file's text between the other parts and records the file read in the artifact", async () => {
    // Prepare
    const lines = reviewing('src/{{inputs.module}}.js');

    // Act
    const { record, review, artifacts } = await run(lines, { 'src/median.js': MEDIAN });

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect(review()?.prompt).toBe(`Review this file:\n${MEDIAN}\nEnd of file.`);
    const artifact = await reviewArtifact(artifacts, record.runId);
    expect(artifact.request.workspaceFiles).toEqual([
      { path: 'src/median.js', sha256: createHash('sha256').update(MEDIAN).digest('hex') },
    ]);
  });

  it('reads the version an earlier agent step wrote to the run’s change set', async () => {
    // Prepare: the agent rewrites the file on turn 1 and answers on turn 2
    const fixed = 'export const median = (xs) => xs[Math.floor(xs.length / 2)];\n';
    const agent = [
      '    - name: fix',
      '      type: claude',
      '      claude_options: {allowed_tools: [Write], max_turns: 3}',
      '      prompt: [{type: static, content: "Fix the median."}]',
    ];
    const script = {
      1: [{ calls: [{ name: 'Write', input: { file_path: 'src/median.js', content: fixed } }] }],
      2: [{ text: 'Rewrote it.' }],
    };

    // Act
    const { record, review } = await run(
      reviewing('src/median.js', agent),
      { 'src/median.js': MEDIAN },
      script,
    );

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect(review()?.prompt).toBe(`Review this file:\n${fixed}\nEnd of file.`);
  });

  const outside = reviewing('{{inputs.module}}/secret.txt');
  outside[2] = '  inputs: {module: {type: string, default: ".."}}';
  const workspace = { 'src/median.js': MEDIAN, 'data/big.txt': 'x'.repeat(256 * 1024 + 1) };
  it.each([
    {
      when: 'a templated path renders outside the workspace',
      lines: outside,
      files: workspace,
      error: ErrorName.FileInvalidPath,
      says: '"../secret.txt" contains ".."',
    },
    {
      when: 'the workspace has no such file',
      lines: reviewing('src/mean.js'),
      files: workspace,
      error: ErrorName.FileNotFound,
      says: '"src/mean.js"',
    },
    {
      when: 'the file is over 256 KiB',
      lines: reviewing('data/big.txt'),
      files: workspace,
      error: ErrorName.FileInvalidContent,
      says: 'narrow the path',
    },
    {
      when: 'the run has no workspace',
      lines: reviewing('src/median.js'),
      files: undefined,
      error: ErrorName.WorkspaceInvalid,
      says: '--repo DIR',
    },
  ])(
    'fails the step with $error, before any model call, when $when',
    async ({ lines, files, error, says }) => {
      // Prepare: the cases above

      // Act
      const { record, review } = await run(lines, files);

      // Assess
      expect(record.status).toBe('FAILED');
      expect(record.error).toMatchObject({ name: error, stepId: 'review' });
      expect(record.error?.message).toContain(says);
      expect(review()).toBeUndefined();
    },
  );
});
