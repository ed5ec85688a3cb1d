import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `gemini_instructor` (reference §5.4): structured output against the step's JSON Schema
 * (`output_schema`, or pipeline_ex's `schema`), or pipeline_ex's fixed `{text, analysis, summary}`
 * without one; mockable like every step (pipeline_ex needed a real key: defect 29).
 */

function instructor(fields: string[]): string[] {
  return [
    'workflow:',
    '  name: instructor_flow',
    '  steps:',
    '    - name: analysis',
    '      type: gemini_instructor',
    ...fields,
    '      prompt: [{type: static, content: Analyse the pipeline.}]',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('gemini_instructor', () => {
  it("answers pipeline_ex's fixed schema when the step declares none, and asks the model for it", async () => {
    // Act
    const result = await runLlmLines(stack, instructor([]));

    // Assess
    expect(result.json.outputs.analysis).toEqual({ text: 'mock', analysis: 'mock', summary: 'mock' });
    expect(result.bundle.steps.analysis).toMatchObject({
      family: 'gemini',
      model: 'gemini-2.5-flash',
      maxOutputTokens: 2048,
      outputSchema: { required: ['text'] },
    });
    const artifact = await artifactOf(result, 'analysis');
    expect(artifact.request.system).toContain('matching this JSON Schema');
  });

  it('validates against the schema given as `schema`, repairing an invalid answer', async () => {
    const result = await runLlmLines(
      stack,
      instructor([
        '      schema: {type: object, required: [risk], properties: {risk: {type: number, maximum: 1}}}',
      ]),
      { script: { analysis: [{ risk: 7 }, { risk: 0.3 }] } },
    );

    expect(result.attempts.map((a) => a.error?.name ?? a.status)).toEqual(['Output.Invalid', 'SUCCEEDED']);
    expect(result.json.outputs.analysis).toEqual({ risk: 0.3 });
  });

  it.each([
    [
      "pipeline_ex's function names (function calling is not supported)",
      ['      functions: [get_wan_ip]'],
      'UNKNOWN_FIELD@6:7',
    ],
    [
      'both schema and output_schema',
      ['      schema: {type: object}', '      output_schema: {type: object}'],
      'INVALID_VALUE@6:15',
    ],
  ])('rejects %s', async (_, fields, expected) => {
    const result = await load(instructor(fields));

    expect(located(result)).toEqual([expected]);
  });
});
