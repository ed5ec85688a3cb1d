import { describe, expect, it } from 'vitest';
import type { AslObject } from '../../../pipelines/contract/spec-bundle.js';
import { oversizedInputs, STATE_PAYLOAD_LIMIT_BYTES } from '../../../pipelines/contract/state-limits.js';
import {
  checkInputDefaults,
  checkLimits,
  DEFINITION_LIMIT_BYTES,
  REFERENCE_BYTES,
  stateBytesBesideInputs,
} from '../../../statemachines/limits.js';

/** A Task writing `$.steps.NAME`, with one retrier of `attempts`. */
function task(name: string, next: string | undefined, attempts = 2): AslObject {
  return {
    Type: 'Task',
    Resource: '${StepRunnerArn}',
    ResultPath: `$.steps.${name}`,
    Retry: [{ ErrorEquals: ['Provider.Timeout'], MaxAttempts: attempts }],
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** A chain of `count` Tasks. */
function chain(count: number, extra: AslObject = {}): AslObject {
  const states: AslObject = {};
  for (let i = 0; i < count; i++) states[`s${i}`] = task(`s${i}`, i + 1 < count ? `s${i + 1}` : undefined);
  return { StartAt: 's0', States: states, ...extra };
}

describe('checkLimits', () => {
  it('reports the estimates of a small definition and no issue', () => {
    // Act
    const { estimates, issues } = checkLimits(chain(3), []);

    // Assess: 2 execution events, 5 per Task, 3 per retry attempt (2 each); 1 KiB run + 1 KiB per step
    expect(issues).toEqual([]);
    expect(estimates).toEqual([
      expect.objectContaining({
        machine: 'main',
        historyEvents: 2 + 3 * 5 + 3 * 2 * 3,
        stateBytes: 1024 + 3 * REFERENCE_BYTES,
      }),
    ]);
  });

  it('rejects a state that could pass 256 KiB: many step references', () => {
    // Prepare: each step result is at most a reference in the state
    const steps = Math.ceil(STATE_PAYLOAD_LIMIT_BYTES / REFERENCE_BYTES);

    // Act
    const { issues } = checkLimits(chain(steps), []);

    // Assess
    expect(issues.map((issue) => issue.code)).toEqual(['STATE_TOO_LARGE']);
    expect(issues[0]?.message).toContain('over the 256 KiB payload limit');
  });

  it('rejects a state that could pass 256 KiB: literal values Pass states write', () => {
    // Prepare
    const big = 'x'.repeat(100_000);
    const definition: AslObject = {
      StartAt: 'a',
      States: {
        a: { Type: 'Pass', Result: { result: big }, ResultPath: '$.steps.a', Next: 'b' },
        b: {
          Type: 'Pass',
          Parameters: { note: big, 'keep.$': '$.global_vars.keep' },
          ResultPath: '$.global_vars',
          Next: 'c',
        },
        c: { Type: 'Pass', Result: { result: big }, ResultPath: '$.steps.c', End: true },
      },
    };

    // Act
    const { estimates, issues } = checkLimits(definition, []);

    // Assess
    expect(estimates[0]?.stateBytes).toBeGreaterThan(300_000);
    expect(issues.map((issue) => issue.code)).toEqual(['STATE_TOO_LARGE']);
  });

  it('rejects a definition over 1 MiB once placeholders are ARNs, and names nested pipelines', () => {
    // Act
    const { issues } = checkLimits(chain(1, { Comment: 'c'.repeat(DEFINITION_LIMIT_BYTES) }), []);

    // Assess
    expect(issues.map((issue) => issue.code)).toEqual(['DEFINITION_TOO_LARGE']);
    expect(issues[0]?.hint).toContain('nested pipelines');
  });

  it.each([
    [1000, 23_002, []],
    [1100, 25_302, ['HISTORY_TOO_LONG']],
  ])('counts every retry: %d Tasks with 6 attempts take %d events', (count, events, codes) => {
    // Prepare: per Task 5 events, and 3 per retry attempt
    const definition = chain(count);
    for (const state of Object.values(definition.States as Record<string, AslObject>)) {
      state.Retry = [{ ErrorEquals: ['Provider.Timeout'], MaxAttempts: 6 }];
    }

    // Act
    const { estimates, issues } = checkLimits(definition, []);

    // Assess
    expect(estimates[0]?.historyEvents).toBe(events);
    expect(issues.filter((issue) => issue.code === 'HISTORY_TOO_LONG').map((issue) => issue.code)).toEqual(
      codes,
    );
  });

  it('follows Catch routes: the longest path may be the fallback', () => {
    // Prepare: the Task's normal route ends at once; its Catch leads through 12,600 Pass states
    const states: AslObject = {
      start: {
        Type: 'Task',
        Resource: '${StepRunnerArn}',
        Retry: [],
        End: true,
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'f0' }],
      },
    };
    for (let i = 0; i < 12_600; i++)
      states[`f${i}`] = { Type: 'Pass', ...(i + 1 < 12_600 ? { Next: `f${i + 1}` } : { End: true }) };

    // Act
    const { estimates, issues } = checkLimits({ StartAt: 'start', States: states }, []);

    // Assess
    expect(estimates[0]?.historyEvents).toBe(2 + 5 + 12_600 * 2);
    expect(issues.map((issue) => issue.code)).toEqual(['HISTORY_TOO_LONG']);
    expect(issues[0]?.message).toContain("over Step Functions' quota of 25000");
  });

  it('checks each child state machine against its own quotas', () => {
    // Act
    const { estimates, issues } = checkLimits(chain(1), [
      {
        placeholder: '${ChildStateMachine_x_1}',
        scope: 'x',
        definition: chain(1, { Comment: 'c'.repeat(DEFINITION_LIMIT_BYTES) }),
      },
    ]);

    // Assess
    expect(estimates.map((e) => e.machine)).toEqual(['main', 'x']);
    expect(issues.map((issue) => issue.code)).toEqual(['DEFINITION_TOO_LARGE']);
    expect(issues[0]?.message).toContain('the child state machine of x');
  });
});

describe("the room a run's inputs get in the state", () => {
  it('is what the largest state machine of a pipeline leaves, since a child may get the inputs whole', () => {
    const { estimates } = checkLimits(chain(1), [
      { placeholder: '${ChildStateMachine_x_1}', scope: 'x', definition: chain(5) },
    ]);

    expect(stateBytesBesideInputs(estimates)).toBe(1024 + 5 * REFERENCE_BYTES);
  });

  it('fits inputs up to the last byte the steps leave them, and names the input past it with its size', () => {
    // Prepare: `{"doc":"…","n":1}` is 16 bytes of JSON around the text
    const stateBytes = 4096;
    const room = STATE_PAYLOAD_LIMIT_BYTES - stateBytes - 16;

    // Act
    const fitting = oversizedInputs({ doc: 'x'.repeat(room), n: 1 }, stateBytes);
    const over = oversizedInputs({ doc: 'x'.repeat(room + 1), n: 1 }, stateBytes);

    // Assess
    expect(fitting).toEqual([]);
    expect(over).toEqual([{ name: 'doc', bytes: room + 3, reason: expect.any(String) }]);
    expect(over[0]?.reason).toBe(
      `is ${room + 3} bytes as JSON: with all the inputs (${room + 17} bytes) and up to 4096 bytes of run ` +
        `identity, variables and step references, the execution state could reach ${STATE_PAYLOAD_LIMIT_BYTES + 1} ` +
        "bytes, over Step Functions' limit of 262144 bytes (256 KiB) per state",
    );
  });

  it('names the largest inputs, largest first, until the rest fits', () => {
    // Prepare: 390 KB in all, 132 KB too much: without b (120 KB) still too much, without a too it fits
    const kb = (n: number) => 'x'.repeat(n * 1000);
    const inputs = { a: kb(100), b: kb(120), c: kb(90), d: kb(80), e: 'tiny' };

    // Act
    const over = oversizedInputs(inputs, 4096);

    // Assess
    expect(over.map((input) => input.name)).toEqual(['b', 'a']);
  });

  it('reports a default the state has no room for at the default, and no input without one', () => {
    const issues = checkInputDefaults(
      {
        doc: { type: 'string', default: 'x'.repeat(300_000) },
        note: { type: 'string', default: 'short' },
        other: { type: 'string' },
      },
      4096,
    );

    expect(issues).toEqual([
      expect.objectContaining({
        code: 'STATE_TOO_LARGE',
        severity: 'error',
        message: expect.stringMatching(/^the default of input "doc" is 300002 bytes as JSON: /),
        hint: expect.stringContaining('type: file'),
        path: ['workflow', 'inputs', 'doc', 'default'],
      }),
    ]);
  });
});
