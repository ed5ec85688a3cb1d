import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../functions/shared/errors.js';
import { RunChangeSet } from '../../../functions/workspaces/run-change-set.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';
import { buildRunReport, toolCallLines } from '../../../local/run-report.js';
import { ErrorName } from '../../../pipelines/contract/errors.js';
import { compileLines } from '../../conformance/harness.js';
import { memoryDeps, TurnScriptProvider } from '../functions/steps/agent-harness.js';

const PIPELINE = [
  'workflow:',
  '  name: fix_median',
  '  steps:',
  '    - name: fix',
  '      type: claude',
  '      claude_options: {allowed_tools: [Read, Edit], max_turns: 5}',
  '      prompt: [{type: static, content: "Make the median test pass."}]',
  '    - name: report',
  '      type: claude',
  '      prompt: [{type: static, content: "Changed: {{steps.fix.changed_files}}"}]',
];

const BUGGY = 'export function median(xs) {\n  return xs[xs.length / 2];\n}\n';

describe('an agent step run on the local stack', () => {
  it('fixes a file of the workspace in three turns; a rate limit on turn 3 is retried without repeating turns 1 and 2', async () => {
    // Prepare
    const throttled = new ProviderError(ErrorName.ProviderRateLimited, 'slow down', {
      provider: 'anthropic',
    });
    const provider = new TurnScriptProvider({
      1: [{ calls: [{ name: 'Read', input: { file_path: 'src/median.js' } }] }],
      2: [
        {
          calls: [
            {
              name: 'Edit',
              input: {
                file_path: 'src/median.js',
                old_string: 'xs[xs.length / 2]',
                new_string: 'xs[Math.floor(xs.length / 2)]',
              },
            },
          ],
        },
      ],
      3: [{ error: throttled }, { text: 'Fixed the index of the middle element.' }],
    });
    const { deps, runs, artifacts } = memoryDeps(provider);
    const { workspaceId } = await storeWorkspace(
      artifacts,
      'acme',
      [{ path: 'src/median.js', mode: 0o644, bytes: new TextEncoder().encode(BUGGY) }],
      [],
    );
    const { asl, bundle } = await compileLines(PIPELINE);

    // Act
    const record = await runPipelineLocally({
      asl,
      bundle,
      inputs: {},
      tenantId: 'acme',
      deps,
      retryDelay: 'none',
      workspaceId,
    });

    // Assess: the run succeeded and the file is fixed in the run's change set
    expect(record.status).toBe('SUCCEEDED');
    const changes = await RunChangeSet.open(artifacts, {
      tenantId: 'acme',
      runId: record.runId,
      workspaceId,
    });
    expect(changes.changedFiles()).toEqual(['src/median.js']);
    expect(await changes.files().read('src/median.js')).toContain('xs[Math.floor(xs.length / 2)]');
    // Assess: turns 1 and 2 were asked once; turn 3 twice (the rate limit, then its retry)
    expect(provider.requests.filter((r) => r.stepId === 'fix').map((r) => r.turn)).toEqual([1, 2, 3, 3]);
    // Assess: the next step read the agent's changed files
    expect(provider.requests.find((r) => r.stepId === 'report')?.prompt).toContain('"src/median.js"');
    // Assess: the report lists the agent's attempts turn by turn, with their tool calls
    const report = await buildRunReport(record, { runs, artifacts });
    const fix = report.steps.find((step) => step.name === 'fix');
    expect(fix?.status).toBe('SUCCEEDED');
    expect(fix?.attemptRecords.map((a) => [a.turn, a.status, toolCallLines(a)])).toEqual([
      [1, 'SUCCEEDED', ['Read src/median.js']],
      [2, 'SUCCEEDED', ['Edit src/median.js']],
      [3, 'FAILED', []],
      [3, 'SUCCEEDED', []],
    ]);
    expect(report.outputs.fix).toEqual({
      text: 'Fixed the index of the middle element.',
      changed_files: ['src/median.js'],
    });
  });
});
