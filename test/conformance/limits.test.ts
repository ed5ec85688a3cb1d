import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../pipelines/loader.js';
import { compilePipeline } from '../../statemachines/compile.js';
import { compileFile, writeFixtures } from './data-harness.js';

/**
 * The compiler's quota pass (`statemachines/limits.ts`) on whole pipelines: the estimates it reports,
 * and the pipelines it rejects with STATE_TOO_LARGE, DEFINITION_TOO_LARGE and HISTORY_TOO_LONG.
 */

/** Compiles YAML lines; returns the issue codes and the estimates. */
async function compileLines(lines: readonly string[]) {
  const dir = await writeFixtures({ 'p.yaml': lines });
  const loaded = await loadPipeline(join(dir, 'p.yaml'));
  if (!loaded.pipeline) throw new Error(`did not load: ${JSON.stringify(loaded.issues)}`);
  const compiled = compilePipeline(loaded.pipeline);
  return { codes: compiled.issues.map((issue) => issue.code), compiled };
}

function steps(count: number, step: (i: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => step(i));
}

describe('compiler limits', () => {
  it('reports the estimates of each state machine of a pipeline', async () => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: estimated',
        '  steps:',
        '    - {name: ask, type: claude, prompt: [{type: static, content: hi}]}',
        '    - {name: echo, type: test_echo, value: done}',
        '    - {name: nested, type: pipeline, pipeline: {name: inner, steps: [{name: e, type: test_echo}]}}',
      ],
    });

    // Act
    const { limits } = await compileFile(join(dir, 'p.yaml'));

    // Assess: events of the longest path plus every retry spent once; a reference per step result
    expect(limits).toEqual([
      {
        machine: 'main',
        definitionBytes: expect.any(Number),
        stateBytes: 1024 + 3 * 1024,
        historyEvents: expect.any(Number),
      },
      {
        machine: 'nested',
        definitionBytes: expect.any(Number),
        stateBytes: 2048,
        historyEvents: 2 + 2 + 2 + 2,
      },
    ]);
    // _Initialize 2, ask 5 + (3 + 5 + 3) × 3, echo 2, nested 6 + 3 × 3, nested._outputs 5 + 11 × 3
    expect(limits?.[0]?.historyEvents).toBe(2 + 2 + 38 + 2 + 15 + 38);
  });

  it('rejects a pipeline whose state could pass 256 KiB (large literal values)', async () => {
    // Act
    const { codes, compiled } = await compileLines([
      'workflow:',
      '  name: heavy',
      '  steps:',
      ...steps(5, (i) => `    - {name: e${i}, type: test_echo, value: "${'x'.repeat(60_000)}"}`),
    ]);

    // Assess
    expect(codes).toEqual(['STATE_TOO_LARGE']);
    expect(compiled.asl).toBeUndefined();
    expect(compiled.issues[0]?.hint).toContain('nested pipelines');
  });

  it('rejects a pipeline whose definition passes 1 MiB', async () => {
    // Act: 1,100 Claude steps (each a Task with its retry policy)
    const { codes } = await compileLines([
      'workflow:',
      '  name: long',
      '  steps:',
      ...steps(1100, (i) => `    - {name: s${i}, type: claude, prompt: [{type: static, content: hi}]}`),
    ]);

    // Assess: its state (a reference per step) is too large as well
    expect(codes).toContain('DEFINITION_TOO_LARGE');
  });

  it('rejects a run that could pass 25,000 history events', async () => {
    // Act: 700 set_variable steps read an answer, so each is a step-runner Task with its retries;
    // they write variables, not step results, so the state stays small
    const { codes, compiled } = await compileLines([
      'workflow:',
      '  name: chatty',
      '  steps:',
      '    - {name: ask, type: claude, prompt: [{type: static, content: hi}]}',
      ...steps(
        700,
        (i) => `    - {name: v${i}, type: set_variable, variables: {v${i}: "{{steps.ask.text}}"}}`,
      ),
    ]);

    // Assess
    expect(codes).toEqual(['HISTORY_TOO_LONG']);
    expect(compiled.limits?.[0]?.historyEvents).toBeGreaterThan(25_000);
  });
});
