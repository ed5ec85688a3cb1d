import type { ParallelClaudeStep } from '../../pipelines/steps/parallel-claude.js';
import { helperStateName } from '../state-names.js';
import { batchSpec, emitConsolidation, emitTaskStates } from './batch-tasks.js';
import type { EmitContext, EmittedStep } from './context.js';
import { repairBudget, taskTimeoutSeconds } from './llm.js';
import { claudeSpec } from './llm-spec.js';
import { stepResultPath } from './step-runner-task.js';

/**
 * Compiles a `parallel_claude` step into a Parallel state with one branch per task, then
 * `NAME.Consolidate`. Each branch runs its task's states (the task's own LLM spec, `NAME.ID`) with
 * the task's timeout, so no branch waits forever (reference defect 20), and ends in the task's
 * status, so one failing task never fails the others. Branches see the run's state, earlier steps'
 * results included.
 */
export function emitParallelClaudeStep(step: ParallelClaudeStep, ctx: EmitContext): EmittedStep {
  const tasks = step.parallel_tasks.map((task) => {
    const spec = claudeSpec(
      { prompt: task.prompt, claude_options: task.claude_options, output_schema: step.output_schema },
      ctx.pipeline,
    );
    return { id: task.id, stepId: `${step.name}.${task.id}`, spec };
  });
  const consolidation = emitConsolidation(step.name, {}, ctx.next);
  const branches = tasks.map((task) => {
    const name = helperStateName(step.name, task.id);
    return {
      StartAt: name,
      States: emitTaskStates({
        name,
        step: step.name,
        stepId: task.stepId,
        timeoutSeconds: taskTimeoutSeconds(task.spec),
        repairs: repairBudget(task.spec, step.output_schema_repairs),
        fallbackModel: task.spec.fallback?.model !== undefined,
      }),
    };
  });
  const spec = batchSpec('parallel_claude', tasks, { consolidate: true, distributed: false });
  return {
    startAt: step.name,
    states: {
      [step.name]: {
        Type: 'Parallel',
        Branches: branches,
        ResultPath: stepResultPath(step.name),
        Next: consolidation.startAt,
      },
      ...consolidation.states,
    },
    specs: { [step.name]: spec, ...Object.fromEntries(tasks.map((task) => [task.stepId, task.spec])) },
  };
}
