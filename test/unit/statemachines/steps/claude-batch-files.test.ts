import { describe, expect, it } from 'vitest';
import type { AslObject, BatchStepSpec, LlmStepSpec } from '../../../../pipelines/contract/spec-bundle.js';
import { checkAsl } from '../../../../statemachines/check.js';
import { compileLines, load, located } from '../../../conformance/harness.js';

/** A pipeline with one step, `lines`, written under `steps:`. */
const pipeline = (lines: readonly string[]) => [
  'workflow:',
  '  name: review_files',
  '  steps:',
  '    - name: review_files',
  ...lines,
];

const FILES_STEP = [
  '      type: claude_batch',
  '      files_from: {glob: "src/**/*.ts", max_files: 50}',
  '      batch_config: {max_parallel: 5}',
  '      prompt: [{type: static, content: "Review this file:"}]',
];

describe('claude_batch files_from: loading', () => {
  it.each([
    {
      when: 'it is on a step of another type',
      lines: ['      type: claude', '      files_from: {glob: "src/*.ts"}', '      prompt: hello'],
      issue: 'UNKNOWN_FIELD@6:7',
      says: 'files_from',
    },
    {
      when: 'it is given with tasks',
      lines: [
        '      type: claude_batch',
        '      files_from: {glob: "src/*.ts"}',
        '      tasks: [{prompt: hello}]',
      ],
      issue: 'INVALID_VALUE@6:19',
      says: 'cannot be used with tasks; drop tasks',
    },
    {
      when: 'its glob is empty',
      lines: ['      type: claude_batch', '      files_from: {glob: ""}'],
      issue: 'INVALID_VALUE@6:26',
      says: 'glob',
    },
  ])('is refused, located, when $when', async ({ lines, issue, says }) => {
    // Act
    const result = await load(pipeline(lines));

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([issue]);
    expect(JSON.stringify(result.issues)).toContain(says);
  });
});

describe('claude_batch files_from: compiling', () => {
  it('lists the files in a manifest Task and runs one indexed iteration of one shared spec per file', async () => {
    // Act
    const { asl, bundle } = await compileLines(pipeline(FILES_STEP));

    // Assess: the manifest Task, then a Distributed Map over its items
    const states = asl.States as Record<string, AslObject>;
    expect(states[asl.StartAt as string]?.Next).toBe('review_files.Manifest');
    expect(states['review_files.Manifest']).toMatchObject({
      Type: 'Task',
      Parameters: { stepId: 'review_files', mode: 'manifest' },
      ResultPath: '$.steps.review_files',
      Next: 'review_files',
    });
    const map = states.review_files as AslObject;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' } },
      ItemSelector: {
        'stepId.$': '$$.Map.Item.Value.stepId',
        loop: { 'index.$': '$$.Map.Item.Index', 'path.$': '$$.Map.Item.Value.path' },
      },
      MaxConcurrency: 5,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'review_files.Task' },
      Next: 'review_files.Consolidate',
    });
    // Assess: the task passes its loop context and ends in a status named by its index
    const processor = (map.ItemProcessor as AslObject).States as Record<string, AslObject>;
    expect(processor['review_files.Task']).toMatchObject({
      Parameters: { 'stepId.$': '$.stepId', 'loop.$': '$.loop' },
      ResultPath: '$.status',
      Next: 'review_files.Task.Named',
    });
    const indexed = "States.Format('{}[{}]', $.stepId, $.loop.index)";
    expect(processor['review_files.Task.Named']).toEqual({
      Type: 'Pass',
      Parameters: {
        'stepId.$': indexed,
        status: 'success',
        'degraded.$': '$.status.degraded',
        'artifact.$': '$.status.artifact',
      },
      End: true,
    });
    expect(processor['review_files.Task.Failed']).toMatchObject({
      Parameters: { 'stepId.$': indexed, status: 'error' },
    });
    expect(checkAsl(asl)).toEqual([]);
    // Assess: one task spec, the step's prompt then the file; the batch spec names the glob
    const batch = bundle.steps.review_files as BatchStepSpec;
    expect(batch).toMatchObject({
      kind: 'batch',
      distributed: true,
      tasks: [],
      files: { glob: 'src/**/*.ts', maxFiles: 50, stepId: 'review_files.file' },
    });
    expect((bundle.steps['review_files.file'] as LlmStepSpec).prompt).toEqual([
      { type: 'static', content: 'Review this file:' },
      { type: 'workspace_file', path: '{{loop.path}}' },
    ]);
  });

  it('takes 200 as max_files when none is given', async () => {
    // Prepare
    const lines = pipeline(['      type: claude_batch', '      files_from: {glob: "**/*.md"}']);

    // Act
    const { bundle } = await compileLines(lines);

    // Assess
    expect((bundle.steps.review_files as BatchStepSpec).files?.maxFiles).toBe(200);
  });
});
