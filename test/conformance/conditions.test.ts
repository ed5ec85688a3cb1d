import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { compileLines, load, located, runLines } from './harness.js';
import { runLlmLines } from './llm-harness.js';

/**
 * `condition:` on any step, in every form of the conditions language: compiled to a Choice state
 * when ASL can express the rule, to a step-runner evaluation Task and a Choice when it cannot, with
 * a skipped step recording `{skipped: true, reason}`.
 */

const HEAD = [
  'workflow:',
  '  name: conditions',
  '  inputs:',
  '    mode: {type: string, default: full}',
  '    limit: {type: number, default: 3}',
  '  steps:',
  '    - name: triage',
  '      type: claude',
  '      prompt: [{type: static, content: "Classify the report as JSON"}]',
];

/** A claude step named `name` gated by `condition` (written as YAML after `condition:`). */
function gated(name: string, condition: string): string[] {
  return [
    `    - name: ${name}`,
    '      type: claude',
    `      condition: ${condition}`,
    `      prompt: [{type: static, content: "${name}"}]`,
  ];
}

const TRIAGE = { triage: [{ severity: 'high', score: 7, tags: ['db', 'auth'], title: 'Login fails' }] };

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('condition: on a step', () => {
  it('runs or skips steps by Choice rules on inputs and exposed answer fields, and records the reason', async () => {
    // Prepare
    const lines = [
      ...HEAD,
      ...gated('page', `"steps.triage.severity == 'high' and steps.triage.score >= 5"`),
      ...gated('quiet', `"steps.triage.severity == 'low'"`),
      ...gated('full', `{or: ["inputs.mode == 'full'", {not: "inputs.limit > 10"}]}`),
      ...gated('listed', `["steps.triage.score between 1 and 10", "steps.triage.title matches '^Login'"]`),
    ];

    // Act
    const result = await runLines(stack, lines, { script: TRIAGE });

    // Assess: outputs and skipped results
    expect(result.run.status).toBe('SUCCEEDED');
    const steps = result.steps;
    expect(steps.page).toMatchObject({ status: 'SUCCEEDED', degraded: false });
    expect(steps.quiet).toEqual({
      skipped: true,
      reason: "condition not met: steps.triage.severity == 'low'",
    });
    expect(steps.full).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps.listed).toMatchObject({ status: 'SUCCEEDED' });
    // The compiler exposes exactly the answer fields Choice states read, and nothing else of the answer.
    expect(result.bundle.steps.triage).toMatchObject({ exposeFields: ['score', 'severity', 'title'] });
    expect(steps.triage).toMatchObject({ fields: { severity: 'high', score: 7, title: 'Login fails' } });
    // Assess: Choice states only; no evaluation Task ran
    expect(result.calls).toEqual(['triage', 'page', 'full', 'listed']);
    expect(result.entered).toEqual([
      '_Initialize',
      'triage',
      'page.Condition',
      'page',
      'quiet.Condition',
      'quiet.Skipped',
      'full.Condition',
      'full',
      'listed.Condition',
      'listed',
    ]);
  });

  it('asks the step runner when ASL cannot express the rule: functions, arithmetic, text in S3', async () => {
    // Prepare
    const lines = [
      ...HEAD,
      ...gated('counted', `"count(steps.triage.tags, \\"@ == 'db'\\") == 1 and inputs.limit * 2 > 5"`),
      ...gated('texty', `"steps.triage.text contains 'Login' and length(steps.triage.tags) > 5"`),
    ];

    // Act
    const result = await runLines(stack, lines, { script: TRIAGE });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    const steps = result.steps;
    expect(steps.counted).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps.texty).toEqual({
      skipped: true,
      reason: "condition not met: steps.triage.text contains 'Login' and length(steps.triage.tags) > 5",
    });
    expect(result.calls).toEqual([
      'triage',
      'counted.EvaluateCondition',
      'counted',
      'texty.EvaluateCondition',
    ]);
    expect(result.bundle.steps['counted.EvaluateCondition']).toMatchObject({
      kind: 'condition',
      mode: 'test',
    });
    expect(result.bundle.steps.triage).not.toHaveProperty('exposeFields');
  });

  it('reads whether an earlier step was skipped, and why, from its skip record', async () => {
    // Prepare
    const lines = [
      ...HEAD,
      ...gated('quiet', `"steps.triage.severity == 'low'"`),
      ...gated(
        'noted',
        `"steps.quiet.skipped == true and steps.triage.skipped != true and steps.quiet.reason contains 'low'"`,
      ),
    ];

    // Act
    const result = await runLines(stack, lines, { script: TRIAGE });

    // Assess: both conditions are Choice rules on the state
    expect(result.steps.noted).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.calls).toEqual(['triage', 'noted']);
  });

  it('treats a missing field as null and never fails a Choice on it', async () => {
    // Prepare: the answer is plain text, so it has no fields at all
    const lines = [
      ...HEAD,
      ...gated('absent', `"steps.triage.severity == null"`),
      ...gated('typed', `"steps.triage.severity > 3"`),
    ];

    // Act
    const result = await runLines(stack, lines, { script: { triage: ['not JSON at all'] } });

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.steps.absent).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.steps.typed).toMatchObject({ skipped: true });
  });
});

describe('condition: in run reports', () => {
  it('reports a skipped step as SKIPPED with its reason, not as NOT_RUN', async () => {
    // Act
    const result = await runLlmLines(
      stack,
      [...HEAD, ...gated('quiet', `"steps.triage.severity == 'low'"`)],
      {
        script: TRIAGE,
      },
    );

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.json.steps.find((step) => step.name === 'quiet')).toEqual({
      name: 'quiet',
      status: 'SKIPPED',
      reason: "condition not met: steps.triage.severity == 'low'",
      attempts: 0,
      degraded: false,
    });
  });
});

describe('condition: load errors and pipeline_ex spellings', () => {
  it('loads pipeline_ex NAME.field and {{ }} conditions with warnings showing the preferred form', async () => {
    // Act
    const result = await load([...HEAD, ...gated('page', `"{{ triage.severity == 'high' }}"`)]);

    // Assess
    expect(result.pipeline).toBeDefined();
    expect(located(result)).toEqual(['DEPRECATED_SYNTAX@12:19', 'DEPRECATED_SYNTAX@12:22']);
    expect(result.issues.map((issue) => issue.hint)).toEqual([
      "write steps.triage.severity == 'high'",
      'write steps.triage.severity',
    ]);
  });

  it.each([
    ['a syntax error', `"steps.triage.severity = 'high'"`, 'BAD_CONDITION@12:41'],
    ['an unknown function', `"uppercase(steps.triage.title) == 'X'"`, 'BAD_CONDITION@12:19'],
    ['the clock', `"now() > inputs.limit"`, 'BAD_CONDITION@12:19'],
    ['an unknown path', `"severity == 'high'"`, 'UNKNOWN_REFERENCE@12:19'],
    ['a later step', `"steps.later.x == 1"`, 'FORWARD_REFERENCE@12:19'],
    ['an undeclared input', `"inputs.nope"`, 'UNKNOWN_REFERENCE@12:19'],
    ['loop context outside a loop', `"loop.index > 0"`, 'OUT_OF_SCOPE@12:19'],
    ['a template inside a condition', `"{{steps.triage.x}} == 1 and inputs.limit"`, 'BAD_CONDITION@12:19'],
    ['a malformed per-item condition', `'any(steps.triage.tags, "@ ==")'`, 'BAD_CONDITION@12:45'],
  ])('rejects %s with its code and position', async (_, condition, expected) => {
    // Act
    const result = await load([...HEAD, ...gated('page', condition), ...gated('later', '"inputs.limit"')]);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual([expected]);
  });

  it('compiles a condition inside a map condition to one Choice rule', async () => {
    // Act
    const { asl } = await compileLines([
      ...HEAD,
      ...gated('page', `{and: ["inputs.limit < 5", {not: "inputs.mode == 'x'"}]}`),
    ]);

    // Assess
    const choice = (asl.States as Record<string, Record<string, unknown>>)['page.Condition'];
    expect(choice).toMatchObject({ Type: 'Choice', Default: 'page.Skipped' });
    expect(JSON.stringify(choice)).toContain('"NumericLessThan":5');
    expect(JSON.stringify(choice)).toContain('"Not":{"And"');
  });
});
