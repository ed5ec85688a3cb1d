import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../../statemachines/compile.js';
import { FALLBACK_MODEL_ERRORS, STEP_RETRIERS } from '../../../statemachines/policies.js';
import { compileLines, load, located } from '../../conformance/harness.js';

const HEAD = ['workflow:', '  name: agents', '  steps:'];

/** An agent step `fix` with the given claude_options lines, then a plain step `report`. */
function agentPipeline(options: readonly string[], extra: readonly string[] = []): string[] {
  return [
    ...HEAD,
    '    - name: fix',
    '      type: claude',
    '      claude_options:',
    ...options.map((line) => `        ${line}`),
    ...extra,
    '      prompt: [{type: static, content: "Fix the failing test."}]',
    '    - name: report',
    '      type: claude',
    '      prompt: [{type: static, content: "Summarise {{steps.fix.text}}"}]',
  ];
}

/** A claude_smart step `plan` with the given claude_options map. */
function smartStep(options: string): string[] {
  return [
    ...HEAD,
    '    - name: plan',
    '      type: claude_smart',
    `      claude_options: ${options}`,
    '      prompt: [{type: static, content: "Plan."}]',
  ];
}

/** History events of one turn: its Task (5), its Choice (2), and every retry of the Task spent. */
const EVENTS_PER_TURN =
  5 + 2 + 3 * STEP_RETRIERS.reduce((sum, retrier) => sum + Number(retrier.MaxAttempts), 0);

async function historyOf(lines: readonly string[]): Promise<number> {
  const loaded = await load(lines);
  const compiled = compilePipeline(loaded.pipeline ?? (undefined as never));
  return compiled.limits?.[0]?.historyEvents ?? Number.NaN;
}

describe('an agent step compiles to a bounded loop of turns', () => {
  it('enters through a Pass starting turn 1, then a step-runner Task per turn and a Choice on done', async () => {
    // Act
    const { asl } = await compileLines(agentPipeline(['allowed_tools: [Read, Edit]', 'max_turns: 4']));

    // Assess
    const states = asl.States as Record<string, Record<string, unknown>>;
    expect(states._Initialize?.Next).toBe('fix');
    expect(states.fix).toEqual({
      Type: 'Pass',
      Result: { turn: 1 },
      ResultPath: '$.steps.fix',
      Next: 'fix.Turn',
    });
    expect(states['fix.Turn']).toMatchObject({
      Type: 'Task',
      Parameters: { stepId: 'fix', mode: 'agent_turn', 'agent.$': '$.steps.fix', 'steps.$': '$.steps' },
      ResultPath: '$.steps.fix',
      Retry: [...STEP_RETRIERS],
      Next: 'fix.TurnCheck',
    });
    expect(states['fix.Turn']?.Catch).toBeUndefined();
    expect(states['fix.TurnCheck']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.steps.fix.done', BooleanEquals: true, Next: 'report' }],
      Default: 'fix.Turn',
    });
  });

  it('ends in a Succeed state when the agent step is the last one', async () => {
    // Act
    const { asl } = await compileLines([
      ...HEAD,
      '    - name: fix',
      '      type: gemini',
      '      allowed_tools: [Read]',
      '      prompt: [{type: static, content: "Fix it."}]',
    ]);

    // Assess
    const states = asl.States as Record<string, Record<string, unknown>>;
    expect(states['fix.TurnCheck']).toMatchObject({ Choices: [{ Next: 'fix.Done' }], Default: 'fix.Turn' });
    expect(states['fix.Done']).toEqual({ Type: 'Succeed' });
  });

  it('continues the loop on the fallback model from the turn that failed', async () => {
    // Act
    const { asl } = await compileLines(agentPipeline(['allowed_tools: [Read]', 'fallback_model: haiku']));

    // Assess: the failing turn's number is kept beside the failure, and the fallback loop has no fallback
    const states = asl.States as Record<string, Record<string, unknown>>;
    expect(states['fix.Turn']?.Catch).toEqual([
      {
        ErrorEquals: [...FALLBACK_MODEL_ERRORS],
        ResultPath: '$.steps.fix.failure',
        Next: 'fix.FallbackModel',
      },
    ]);
    expect(states['fix.FallbackModel']).toEqual({
      Type: 'Pass',
      Parameters: { 'turn.$': '$.steps.fix.turn', 'fallback.$': '$.steps.fix.failure' },
      ResultPath: '$.steps.fix',
      Next: 'fix.FallbackTurn',
    });
    expect(states['fix.FallbackTurn']).toMatchObject({
      Parameters: { mode: 'agent_turn', 'agent.$': '$.steps.fix' },
      Next: 'fix.FallbackTurnCheck',
    });
    expect(states['fix.FallbackTurn']?.Catch).toBeUndefined();
    expect(states['fix.FallbackTurnCheck']).toMatchObject({ Default: 'fix.FallbackTurn' });
  });

  it('puts the agent settings in the spec: tools less disallowed_tools, max_turns, max_budget_usd', async () => {
    // Act
    const { bundle } = await compileLines(
      agentPipeline([
        'allowed_tools: [Read, Write, Edit, Grep]',
        'disallowed_tools: [Write, Bash]',
        'max_turns: 6',
        'max_budget_usd: 0.5',
      ]),
    );

    // Assess
    expect(bundle.steps.fix).toMatchObject({
      kind: 'llm',
      agent: { tools: ['Read', 'Edit', 'Grep'], maxTurns: 6, maxBudgetUsd: 0.5 },
    });
    expect(bundle.steps.report).not.toHaveProperty('agent');
  });

  it('takes tools from defaults.claude_options, and bounds a step that names no max_turns at 10 turns', async () => {
    // Act
    const { bundle } = await compileLines([
      'workflow:',
      '  name: agents',
      '  defaults: {claude_options: {allowed_tools: [Glob, LS]}}',
      '  steps:',
      '    - name: look',
      '      type: claude',
      '      prompt: [{type: static, content: "List the sources."}]',
    ]);

    // Assess
    expect(bundle.steps.look).toMatchObject({ agent: { tools: ['Glob', 'LS'], maxTurns: 10 } });
  });

  it('counts max_turns turns, each with its retries, in the history estimate', async () => {
    // Act
    const three = await historyOf(agentPipeline(['allowed_tools: [Read]', 'max_turns: 3']));
    const six = await historyOf(agentPipeline(['allowed_tools: [Read]', 'max_turns: 6']));

    // Assess
    expect(six - three).toBe(3 * EVENTS_PER_TURN);
  });

  it('rejects a max_turns whose turns could exceed 25,000 history events, at max_turns', async () => {
    // Prepare
    const loaded = await load(agentPipeline(['allowed_tools: [Read]', 'max_turns: 1000']));

    // Act
    const compiled = compilePipeline(loaded.pipeline ?? (undefined as never));

    // Assess
    const mine = compiled.issues.filter((issue) => issue.path.length > 0);
    expect(mine).toEqual([
      expect.objectContaining({
        code: 'HISTORY_TOO_LONG',
        path: ['workflow', 'steps', 0, 'claude_options', 'max_turns'],
        hint: expect.stringContaining(`set max_turns to at most ${Math.floor(25_000 / EVENTS_PER_TURN)}`),
      }),
    ]);
  });
});

describe('agent step load rules', () => {
  it("refuses Claude Code's Bash where it is written, naming the tools agent steps have", async () => {
    // Act
    const result = await load(agentPipeline(['allowed_tools: [Read, Bash]']));

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(located(result)).toEqual(['INVALID_VALUE@7:31']);
    expect(result.issues[0]).toMatchObject({
      message: "tool 'Bash' is a Claude Code tool that agent steps do not run",
      path: ['workflow', 'steps', 0, 'claude_options', 'allowed_tools', 1],
      hint: expect.stringContaining('supported tools: Read, Write, Edit, Glob, Grep, LS'),
    });
  });

  it.each([
    ['WebFetch', 'a Claude Code tool'],
    ['mcp__github__create_issue', 'a Claude Code tool'],
    ['Reed', 'unknown tool'],
  ])('refuses %s in allowed_tools (%s)', async (tool, kind) => {
    // Act
    const result = await load(agentPipeline([`allowed_tools: [${tool}]`]));

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', message: expect.stringContaining(kind) }),
    ]);
  });

  it('suggests the near miss of an unknown tool', async () => {
    // Act
    const result = await load(agentPipeline(['allowed_tools: [Reed]']));

    // Assess
    expect(result.issues[0]?.hint).toMatch(/^did you mean 'Read'\? supported tools: /);
  });

  it('refuses output_schema on an agent step, with what to write instead', async () => {
    // Act
    const result = await load(
      agentPipeline(['allowed_tools: [Read]'], ['      output_schema: {type: object}']),
    );

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        path: ['workflow', 'steps', 0, 'output_schema'],
        hint: expect.stringContaining('add a step after the agent'),
      }),
    ]);
  });

  it("accepts Bash in disallowed_tools, and a claude_smart step's allowed_tools as pipeline_ex wrote them", async () => {
    // Act
    const result = await load(smartStep('{allowed_tools: [Read, Bash], disallowed_tools: [Bash]}'));

    // Assess
    expect(result.issues).toEqual([]);
    expect(result.pipeline).toBeDefined();
  });

  it('warns that max_budget_usd is ignored on a step that runs no tools', async () => {
    // Act
    const result = await load(smartStep('{max_budget_usd: 1}'));

    // Assess
    expect(result.pipeline).toBeDefined();
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: ['workflow', 'steps', 0, 'claude_options', 'max_budget_usd'],
        message: expect.stringContaining('only claude and gemini steps run tools'),
      }),
    ]);
  });
});
