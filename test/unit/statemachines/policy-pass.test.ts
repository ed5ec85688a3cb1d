import { describe, expect, it } from 'vitest';
import type { AslObject } from '../../../pipelines/contract/spec-bundle.js';
import { loadPipelineFromString } from '../../../pipelines/loader.js';
import { compilePipeline } from '../../../statemachines/compile.js';
import { setEventWeight, stateEvents } from '../../../statemachines/history-events.js';
import { retriersOf, STEP_RETRIERS } from '../../../statemachines/policies.js';
import { applyPolicies, retryRequest } from '../../../statemachines/policy-pass.js';

const task = (policy: Parameters<typeof retryRequest>[0]): AslObject => ({
  Type: 'Task',
  Resource: 'arn',
  TimeoutSeconds: 60,
  Retry: retryRequest(policy),
  Catch: [{ ErrorEquals: ['States.ALL'], Next: 'after' }],
  Next: 'after',
});

describe('applyPolicies', () => {
  it("writes each Task's Retry from its policy, in the Retry's place", () => {
    const states: AslObject = { t: task({ kind: 'step' }) };

    applyPolicies(states);

    expect(states.t).toMatchObject({ Retry: [...STEP_RETRIERS] });
    expect(Object.keys(states.t as AslObject)).toEqual([
      'Type',
      'Resource',
      'TimeoutSeconds',
      'Retry',
      'Catch',
      'Next',
    ]);
  });

  it('reaches Tasks in Parallel branches and Map processors, and keeps the state objects', () => {
    const inBranch = task({ kind: 'lambda_only' });
    const inMap = task({ kind: 'start_execution' });
    setEventWeight(inMap, 42);
    const states: AslObject = {
      p: { Type: 'Parallel', Branches: [{ StartAt: 'b', States: { b: inBranch } }], End: true },
      m: { Type: 'Map', ItemProcessor: { StartAt: 'i', States: { i: inMap } }, End: true },
    };

    applyPolicies(states);

    expect(inBranch.Retry).toEqual(retriersOf({ kind: 'lambda_only' }));
    expect((inBranch.Retry as AslObject[]).length).toBe(1);
    expect(inMap.Retry).toEqual(retriersOf({ kind: 'start_execution' }));
    // The history weight a loop emitter recorded is kept with the state.
    expect(stateEvents(inMap)).toBe(42);
  });

  it('refuses a Task emitted without a policy', () => {
    expect(() => applyPolicies({ t: { Type: 'Task', Resource: 'arn', End: true } })).toThrow(
      /Task t was emitted without a retry policy/,
    );
  });

  it('leaves no request in a compiled definition, nested machines included', async () => {
    const source = [
      'workflow:',
      '  name: policies',
      '  inputs:',
      '    items: {type: array, default: [1]}',
      '  steps:',
      '    - name: robust',
      '      type: claude_robust',
      '      retry_config: {max_retries: 3, fallback_action: simplified_prompt}',
      '      prompt: [{type: static, content: r}]',
      '    - name: each',
      '      type: for_loop',
      '      iterator: item',
      '      data_source: "{{inputs.items}}"',
      '      steps:',
      '        - {name: c, type: claude, prompt: [{type: static, content: "{{loop.item}}"}]}',
      '    - name: child',
      '      type: pipeline',
      '      pipeline:',
      '        name: kid',
      '        steps: [{name: k, type: claude, prompt: [{type: static, content: k}]}]',
    ].join('\n');
    const { pipeline } = await loadPipelineFromString(source, '/virtual/policies.yaml');
    if (!pipeline) throw new Error('the test pipeline does not load');
    const { asl, children } = compilePipeline(pipeline);

    const text = JSON.stringify([asl, children]);
    expect(asl).toBeDefined();
    expect(children).toHaveLength(1);
    expect(text).not.toContain('Elexirion.RetryPolicy');
    const states = asl?.States as Record<string, AslObject>;
    // claude_robust: a call budget of 4, one of them for simplified_prompt, so the step's own call
    // retries the declared errors twice and the simplified prompt not at all.
    const [lambda, declared] = (states.robust?.Retry ?? []) as AslObject[];
    expect(lambda).toEqual(STEP_RETRIERS[0]);
    expect(declared).toMatchObject({ MaxAttempts: 2, BackoffRate: 2 });
    expect(states['robust.SimplifiedPrompt']?.Retry).toEqual([STEP_RETRIERS[0]]);
    expect(states['each.Map']?.ItemProcessor).toMatchObject({ States: { c: { Retry: [...STEP_RETRIERS] } } });
    expect(states.child?.Retry).toEqual(retriersOf({ kind: 'start_execution' }));
  });
});
