import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { allStates, artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `output_schema` on any LLM step (documented by pipeline_ex, never enforced there: defect 11): the
 * answer is validated against the JSON Schema, an invalid answer goes round a bounded repair loop of
 * Step Functions states, and the validated fields are readable by later steps.
 */

const HEAD = ['workflow:', '  name: triage_flow', '  steps:'];

function triage(type = 'claude', extra: string[] = []): string[] {
  return [
    '    - name: triage',
    `      type: ${type}`,
    ...extra,
    '      output_schema:',
    '        type: object',
    '        required: [severity]',
    '        properties:',
    '          severity: {enum: [low, high]}',
    '          score: {type: integer, minimum: 1}',
    '      prompt: [{type: static, content: Triage the incident.}]',
  ];
}

const FOLLOW_UP = [
  '    - name: page',
  '      type: gemini',
  '      prompt: [{type: static, content: "Severity {{steps.triage.severity}}, score {{steps.triage.score}}"}]',
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('output_schema', () => {
  it('repairs an invalid answer in a loop of states, then later steps read its fields', async () => {
    // Act
    const result = await runLlmLines(stack, [...HEAD, ...triage(), ...FOLLOW_UP], {
      script: { triage: [{ severity: 'urgent' }, 'Sure! Here it is.', { severity: 'high', score: 3 }] },
    });

    // Assess: three attempts, the last valid; the repair states ran twice
    expect(result.run.status).toBe('SUCCEEDED');
    expect(
      result.attempts.filter((a) => a.stepId === 'triage').map((a) => [a.status, a.error?.name]),
    ).toEqual([
      ['FAILED', 'Output.Invalid'],
      ['FAILED', 'Output.Invalid'],
      ['SUCCEEDED', undefined],
    ]);
    expect(result.entered.filter((name) => name.startsWith('triage'))).toEqual([
      'triage',
      'triage.RepairStart',
      'triage.Repair',
      'triage.RepairCount',
      'triage.RepairCheck',
      'triage.Repair',
    ]);
    expect(result.json.outputs.triage).toEqual({ severity: 'high', score: 3 });
    const page = await artifactOf(result, 'page');
    expect(page.request.prompt).toBe('Severity high, score 3');

    // Assess: the repair re-asked with the invalid answer and the validation errors
    const repair = await artifactOf(result, 'triage', 2);
    expect(repair.request.messages?.[1]).toEqual({ role: 'assistant', content: '{"severity":"urgent"}' });
    expect(repair.request.prompt).toContain('answer/severity must be equal to one of the allowed values');
    const invalid = await artifactOf(result, 'triage', 1);
    expect(invalid.response.invalid).toContain('allowed values ("low", "high")');
  });

  it('fails the run with Output.Invalid once output_schema_repairs are spent', async () => {
    // Act
    const result = await runLlmLines(
      stack,
      [...HEAD, ...triage('claude', ['      output_schema_repairs: 1'])],
      {
        script: { triage: ['not json'] },
      },
    );

    // Assess
    expect(result.run.status).toBe('FAILED');
    expect(result.run.error).toMatchObject({ name: 'Output.Invalid', stepId: 'triage' });
    expect(result.attempts.map((a) => a.error?.name)).toEqual(['Output.Invalid', 'Output.Invalid']);
    expect(result.entered.at(-1)).toBe('triage.Invalid');
  });

  it('is validated on every LLM step type, whose unscripted mock answer conforms', async () => {
    // Prepare: one step of each one-call type, each with the schema
    const types = [
      'claude',
      'gemini',
      'claude_smart',
      'claude_extract',
      'gemini_instructor',
      'claude_session',
      'claude_robust',
    ];
    const steps = types.flatMap((type) =>
      triage(type, type === 'claude_extract' ? ['      extraction_config: {format: json}'] : []).map((line) =>
        line.replace('- name: triage', `- name: ${type}`),
      ),
    );

    // Act
    const result = await runLlmLines(stack, [...HEAD, ...steps]);

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    for (const type of types) {
      expect(result.json.outputs[type]).toEqual({ severity: 'low', score: 1 });
      expect(result.bundle.steps[type]).toMatchObject({ outputSchema: { required: ['severity'] } });
    }
  });

  it('compiles the repair loop: a counter in the state, a Choice against the budget, a Fail state', async () => {
    // Act
    const result = await runLlmLines(stack, [...HEAD, ...triage()]);

    // Assess
    const states = allStates(result.asl);
    expect(states.triage?.Catch).toEqual([
      { ErrorEquals: ['Output.Invalid'], ResultPath: '$.steps.triage', Next: 'triage.RepairStart' },
    ]);
    expect(states['triage.RepairCount']?.Parameters).toMatchObject({
      'count.$': 'States.MathAdd($.steps.triage.count, 1)',
    });
    expect(states['triage.RepairCheck']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.steps.triage.count', NumericGreaterThan: 2, Next: 'triage.Invalid' }],
      Default: 'triage.Repair',
    });
    expect(states['triage.Invalid']).toEqual({
      Type: 'Fail',
      Error: 'Output.Invalid',
      CausePath: '$.steps.triage.Cause',
    });
  });

  it('compiles no repair loop for a step without output_schema', async () => {
    const result = await runLlmLines(stack, [
      ...HEAD,
      ...FOLLOW_UP.map((l) =>
        l.replace('{{steps.triage.severity}}', 'x').replace('{{steps.triage.score}}', 'y'),
      ),
    ]);

    expect(Object.keys(allStates(result.asl))).toEqual(['_Initialize', 'page']);
  });

  it.each([
    [
      'a schema that is not a JSON Schema',
      ['      output_schema: {type: object, properties: {n: {type: integr}}}'],
      'INVALID_VALUE@6:60',
    ],
    [
      'a repair budget past the limit',
      ['      output_schema: {type: object}', '      output_schema_repairs: 9'],
      'INVALID_VALUE@7:30',
    ],
    ['a schema given as a string', ['      output_schema: "{type: object}"'], 'INVALID_VALUE@6:22'],
  ])('rejects %s with its position', async (_, fields, expected) => {
    // Act
    const result = await load([
      ...HEAD,
      '    - name: triage',
      '      type: claude',
      ...fields,
      '      prompt: [{type: static, content: x}]',
    ]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([expected]);
  });
});
