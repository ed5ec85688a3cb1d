import { describe, expect, it } from 'vitest';
import { renderPrompt } from '../../../../functions/llm/render-prompt.js';
import { TemplateScope } from '../../../../functions/llm/template-scope.js';
import { loadConditionReader } from '../../../../functions/step-runner/condition-reader.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { evaluateCondition } from '../../../../pipelines/conditions/evaluate.js';
import { compileCondition } from '../../../../pipelines/conditions/source.js';
import { ErrorName } from '../../../../pipelines/contract/errors.js';
import type { StepRunnerEvent } from '../../../../pipelines/contract/step-event.js';

const ANSWER = { risk: 'low', items: ['a', 'b'], rows: [{ n: 1 }], meta: { level: 'high' } };
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

async function setUp() {
  const artifacts = new MemoryArtifactStore('bucket');
  await artifacts.putJson('runs/r1/plan.json', { response: { text: JSON.stringify(ANSWER), data: ANSWER } });
  const event = {
    stepId: 'apply',
    run: {} as StepRunnerEvent['run'],
    inputs: { repo: 'billing' },
    global_vars: { style: 'terse' },
    steps: {
      plan: { artifact: { key: 'runs/r1/plan.json' } } as unknown as StepRunnerEvent['steps'][string],
    },
    loop: { item: { name: 'x' }, index: 0 },
  } as StepRunnerEvent;
  return { artifacts, event, scope: await TemplateScope.load(event, ['plan'], artifacts) };
}

describe('template paths read own fields only', () => {
  it.each(INHERITED)('{{steps.plan.%s}} is an unknown field (Template.Unresolved)', async (field) => {
    const { scope } = await setUp();
    expect(() => scope.render(`x {{steps.plan.${field}}}`)).toThrow(
      expect.objectContaining({
        name: ErrorName.TemplateUnresolved,
        message: expect.stringContaining('has no field'),
      }),
    );
    expect(() => scope.evaluate(`{{steps.plan.meta.${field}}}`)).toThrow(
      expect.objectContaining({ name: ErrorName.TemplateUnresolved }),
    );
  });

  it.each(INHERITED)('%s under inputs, global_vars and loop.item has no value', async (field) => {
    const { scope } = await setUp();
    for (const text of [`{{inputs.${field}}}`, `{{global_vars.${field}}}`, `{{loop.item.${field}}}`])
      expect(() => scope.render(text)).toThrow(
        expect.objectContaining({ name: ErrorName.TemplateUnresolved }),
      );
  });

  it('an extract path of a previous_response part reads own fields only', async () => {
    const { scope } = await setUp();
    const spec = (extract: string) =>
      ({ prompt: [{ type: 'previous_response', step: 'plan', extract }] }) as unknown as Parameters<
        typeof renderPrompt
      >[0];
    expect(renderPrompt(spec('meta.level'), scope).prompt).toBe('high');
    expect(() => renderPrompt(spec('constructor'), scope)).toThrow(
      expect.objectContaining({ name: ErrorName.TemplateUnresolved }),
    );
  });

  it('lists still index, and a list has its length', async () => {
    const { scope } = await setUp();
    expect(scope.render('{{steps.plan.items.0}}/{{steps.plan.items.1}}/{{steps.plan.items.length}}')).toBe(
      'a/b/2',
    );
    expect(() => scope.render('{{steps.plan.items.2}}')).toThrow(
      expect.objectContaining({ name: ErrorName.TemplateUnresolved }),
    );
  });
});

describe('condition paths read own fields only', () => {
  it.each(INHERITED)('steps.plan.%s reads as missing (null)', async (field) => {
    const { artifacts, event } = await setUp();
    const holds = async (text: string) => {
      const compiled = compileCondition(text, [], { stepNames: new Set(['plan']) });
      if (compiled.expr === undefined) throw new Error(JSON.stringify(compiled.issues));
      return evaluateCondition(compiled.expr, await loadConditionReader(event, compiled.expr, artifacts));
    };
    expect(await holds(`steps.plan.${field} == null`)).toBe(true);
    expect(await holds(`steps.plan.${field}`)).toBe(false);
    expect(await holds(`inputs.${field} == null and loop.item.${field} == null`)).toBe(true);
    expect(await holds(`any(steps.plan.rows, "@.${field} != null")`)).toBe(false);
    expect(await holds('steps.plan.items.1 == "b" and steps.plan.items.length == 2')).toBe(true);
  });
});
