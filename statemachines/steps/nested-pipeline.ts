import { type AslObject, START_EXECUTION_SYNC, type StepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { PipelineStep } from '../../pipelines/steps/pipeline.js';
import { withExposedFields } from '../exposed-fields.js';
import { referencePath } from '../json-path.js';
import {
  childEntryParameters,
  childInitialParameters,
  childInputValues,
  childKnownGlobalVars,
  childOutputs,
  inputsFitPassState,
} from '../nested-child.js';
import type { NestedPlan } from '../plan.js';
import { retryRequest } from '../policy-pass.js';
import { qualifyStates } from '../qualify-states.js';
import { helperStateName } from '../state-names.js';
import { type EmitContext, type EmittedStep, mergeEmitted } from './context.js';
import { dataStepTask } from './data-task.js';
import { insideLoop, LOOP_PATH } from './loop-context.js';
import { stepResultPath } from './step-runner-task.js';

/** The first state of a child state machine, and its last (child step names start with a letter). */
const CHILD_START = '_Initialize';
const CHILD_END = '_Result';

/**
 * Compiles a `pipeline` step, whose child pipeline, scope and placeholder the plan gives. By default
 * the child is its own state machine, started with `states:startExecution.sync:2` (its ARN a
 * `${ChildStateMachine_…}` placeholder; the definition goes to `defineMachine`); with
 * `config.inline: true` its states run inside this one, in a scope of their own. Either way:
 *
 * 1. `NAME._inputs` (only when an input reads a step output): the step runner evaluates the inputs;
 * 2. the child runs with its inputs, variables and an empty step map, under the run's id with its
 *    own scope, and hands back its step results (references);
 * 3. `NAME._outputs`: the step runner builds `{OUTPUT: value}` from the declared outputs and stores
 *    it as the step's result.
 */
export function emitNestedPipelineStep(step: PipelineStep, ctx: EmitContext): EmittedStep {
  const planned = ctx.plan.nested.get(step.name);
  if (planned === undefined) throw new Error(`internal: pipeline step ${step.name} was not planned`);
  const child = planned.plan.pipeline;
  const outputsState = helperStateName(step.name, '_outputs');
  const outputs: Omit<EmittedStep, 'startAt'> = {
    states: { [outputsState]: dataStepTask({ stepId: step.name, next: ctx.next }) },
    specs: { [step.name]: { kind: 'pipeline', outputs: childOutputs(step, child) } },
  };
  const values = childInputValues(step, child);
  const evaluateInputs = !inputsFitPassState(values);
  const inputsState = helperStateName(step.name, '_inputs');
  const run = planned.inline
    ? inlineChild(step, planned, ctx, outputsState)
    : childExecution(step, planned, ctx, outputsState);
  const entry = childEntryParameters(
    step,
    child,
    ctx,
    evaluateInputs ? `${stepResultPath(step.name)}.inputs` : undefined,
  );
  const parts = [outputs, run.emitted(entry)];
  if (!evaluateInputs) return mergeEmitted(run.startAt, parts);
  const inputs: Omit<EmittedStep, 'startAt'> = {
    states: {
      [inputsState]: dataStepTask({
        stepId: inputsState,
        resultPath: stepResultPath(step.name),
        next: run.startAt,
      }),
    },
    specs: { [inputsState]: { kind: 'pipeline_inputs', inputs: values ?? {} } },
  };
  return mergeEmitted(inputsState, [inputs, ...parts]);
}

/** How the child runs: its entry state, and its states given the Parameters that enter it. */
interface ChildRun {
  readonly startAt: string;
  emitted(entry: AslObject): Omit<EmittedStep, 'startAt'>;
}

/** The child as a state machine of its own, started and awaited by one Task. */
function childExecution(step: PipelineStep, planned: NestedPlan, ctx: EmitContext, next: string): ChildRun {
  const { scope, placeholder } = planned;
  if (placeholder === undefined) throw new Error(`internal: child ${scope} was planned inline`);
  const body = emitChildBody(step, planned, ctx, CHILD_END);
  const definition: AslObject = {
    Comment: `Elexirion nested pipeline ${planned.plan.pipeline.workflow.name} (scope ${scope}); compiled, do not edit`,
    StartAt: CHILD_START,
    States: {
      [CHILD_START]: { Type: 'Pass', Parameters: childInitialParameters(), Next: body.startAt },
      ...body.states,
      // The parent needs only the child's step references, not its whole state.
      [CHILD_END]: { Type: 'Pass', Parameters: { 'steps.$': '$.steps' }, End: true },
    },
  };
  ctx.defineMachine(placeholder, definition);
  const timeout = step.config?.timeout_seconds;
  return {
    startAt: step.name,
    emitted: (entry) => ({
      states: {
        [step.name]: {
          Type: 'Task',
          Resource: START_EXECUTION_SYNC,
          Parameters: {
            StateMachineArn: placeholder,
            // Links the child to this execution in the console and in DescribeExecution.
            Input: { ...entry, 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
          },
          ResultSelector: { 'child_steps.$': '$.Output.steps' },
          ResultPath: stepResultPath(step.name),
          ...(timeout === undefined ? {} : { TimeoutSeconds: timeout }),
          Retry: retryRequest({ kind: 'start_execution' }),
          Next: next,
        },
      },
      specs: body.specs,
    }),
  };
}

/**
 * The child's states inside this state machine: the parent's state is kept under `parent` while the
 * child's scope replaces it, and restored (with the child's step results) when the child ends.
 */
function inlineChild(step: PipelineStep, planned: NestedPlan, ctx: EmitContext, next: string): ChildRun {
  const scopeState = helperStateName(step.name, '_scope');
  const returnState = helperStateName(step.name, '_return');
  const body = emitChildBody(step, planned, ctx, returnState);
  const { states, rename } = qualifyStates(body.states, step.name);
  return {
    startAt: step.name,
    emitted: (entry) => {
      const enter: AslObject = {
        Type: 'Pass',
        Parameters: { 'parent.$': '$', ...entry },
        Next: scopeState,
      };
      // In a loop body every step-runner Task passes `$.loop` (see loop-context.ts), the child's too.
      const loop: AslObject = insideLoop(ctx) ? { 'loop.$': `$.parent.${LOOP_PATH.slice(2)}` } : {};
      const enterScope: AslObject = {
        Type: 'Pass',
        Parameters: { ...childInitialParameters(), 'parent.$': '$.parent', ...loop },
        Next: rename(body.startAt),
      };
      const leave: AslObject = {
        Type: 'Pass',
        Parameters: { 'child_steps.$': '$.steps' },
        ResultPath: referencePath('$.parent.steps', [step.name]),
        OutputPath: '$.parent',
        Next: next,
      };
      return {
        states: { [step.name]: enter, [scopeState]: enterScope, ...states, [returnState]: leave },
        specs: body.specs,
      };
    },
  };
}

/** The child's steps, their specs filed under `NAME.` so the step runner finds them by scope. */
function emitChildBody(step: PipelineStep, planned: NestedPlan, ctx: EmitContext, next: string): EmittedStep {
  const child = planned.plan.pipeline;
  const body = ctx.emitSequence(child.workflow.steps, {
    path: [...ctx.path, step.pipeline_file === undefined ? 'pipeline' : 'pipeline_file', 'steps'],
    knownGlobalVars: childKnownGlobalVars(step, child, ctx),
    next,
    plan: planned.plan,
  });
  // The child's Choice states read its own steps' answer fields: exposed by its own specs.
  const exposed = withExposedFields(body.specs, planned.plan.exposedFields);
  const specs: Record<string, StepSpec> = {};
  for (const [id, spec] of Object.entries(exposed)) specs[`${step.name}.${id}`] = spec;
  return { ...body, specs };
}
