import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../../functions/ports/attempts.js';
import { stepReports } from '../../../../functions/runs/step-reports.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';

const BUNDLE = { steps: { fix: { kind: 'llm' } } } as unknown as SpecBundle;

/** An attempt of step `fix`. */
function attempt(
  n: number,
  status: AttemptRecord['status'],
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    tenantId: 't',
    runId: 'r',
    stepId: 'fix',
    attempt: n,
    status,
    provider: 'mock',
    model: 'mock',
    usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
    costUsd: 0,
    priced: false,
    latencyMs: 1,
    promptVersion: 'spec:x',
    startedAt: `2026-12-04T10:00:0${n}Z`,
    ...extra,
  };
}

const TOOL_TURN = { turn: 1, toolCalls: [{ name: 'Edit', input: { file_path: 'a.js' }, isError: false }] };

describe('stepReports of an agent step', () => {
  it('is FAILED when its tool turns succeeded but its loop ended in Agent.MaxTurns', () => {
    // Prepare
    const attempts = [
      attempt(1, 'SUCCEEDED', TOOL_TURN),
      attempt(2, 'FAILED', { turn: 2, error: { name: 'Agent.MaxTurns', message: 'used 2 turns' } }),
    ];

    // Act
    const [report] = stepReports(BUNDLE, attempts);

    // Assess
    expect(report).toMatchObject({ name: 'fix', status: 'FAILED', attempts: 2 });
  });

  it('is SUCCEEDED once a turn answered in text', () => {
    // Act
    const [report] = stepReports(BUNDLE, [
      attempt(1, 'SUCCEEDED', TOOL_TURN),
      attempt(2, 'SUCCEEDED', { turn: 2 }),
    ]);

    // Assess
    expect(report).toMatchObject({ name: 'fix', status: 'SUCCEEDED' });
  });
});
