import type { AslObject, LlmStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { PromptPart } from '../../pipelines/schema.js';
import { batchTaskIds, type ClaudeBatchStep, DEFAULT_MAX_FILES } from '../../pipelines/steps/claude-batch.js';
import type { Pipeline } from '../../pipelines/types.js';
import { resolvePreset } from '../presets.js';
import { helperStateName } from '../state-names.js';
import { batchSpec, emitConsolidation, emitTaskStates, passState } from './batch-tasks.js';
import type { EmitContext, EmittedStep } from './context.js';
import { repairBudget } from './llm.js';
import { claudeSpec } from './llm-spec.js';
import { insideLoop, LOOP_PATH, withLoopContext } from './loop-context.js';
import { stepResultPath, stepRunnerTask } from './step-runner-task.js';

/** pipeline_ex's defaults (reference §5.8). */
const DEFAULT_MAX_PARALLEL = 3;
const DEFAULT_TIMEOUT_PER_TASK_MS = 60_000;

/**
 * An inline Map runs at most 40 iterations at once and keeps every iteration in the parent's history
 * (25,000 events at most); past 40 tasks, or 40 at once, the tasks run in a Distributed Map, each a
 * child execution with its own history, reading its items from a manifest in S3.
 */
export const INLINE_MAP_MAX_TASKS = 40;

/** Writing the manifest is one small S3 object (for a glob, after listing the workspace). */
const MANIFEST_TIMEOUT_SECONDS = 60;

/** The task id of the one spec every task of a `files_from` glob shares. */
const FILE_TASK_ID = 'file';

/**
 * Compiles a `claude_batch` step into a Map state over its tasks:
 *
 * - `NAME.Items` (a Pass putting the task ids in `$.steps.NAME`), or for a Distributed Map
 *   `NAME.Manifest` (the step runner writes the ids to S3 and returns where);
 * - `NAME`, the Map: `MaxConcurrency` is `max_parallel`, each iteration gets its task's step id and
 *   the run's state (so tasks read earlier steps' results) and runs the task's states with
 *   `TimeoutSeconds` = `timeout_per_task`, ending in the task's status; a Distributed Map reads the
 *   manifest with an `ItemReader` and writes the statuses to S3 with a `ResultWriter`, and takes the
 *   declared `ToleratedFailure*`;
 * - `NAME.Consolidate` (one artifact with every task's result), and the failure check when declared.
 *
 * Each task is its own LLM spec, `NAME.TASK_ID`: the step's prompt (a preamble when there are
 * tasks), the task's prompt, then its file; the task's options over the step's, over the preset.
 *
 * With `files_from`, the tasks are found when the step runs: the manifest Task lists the matching
 * workspace files as `{stepId, path}` items, all of the one spec `NAME.file` (the step's prompt,
 * then the file as a `workspace_file` part of path `{{loop.path}}`). Each iteration gets `loop`
 * (`index`, `path`) so its attempts and artifacts are filed under its own iteration, as a loop
 * body's are, and its status is named `NAME.file[INDEX]`.
 */
export function emitClaudeBatchStep(step: ClaudeBatchStep, ctx: EmitContext): EmittedStep {
  const config = step.batch_config;
  const maxParallel = config?.max_parallel ?? DEFAULT_MAX_PARALLEL;
  const timeoutPerTaskMs = config?.timeout_per_task ?? DEFAULT_TIMEOUT_PER_TASK_MS;
  const tasks = taskSpecs(step, ctx.pipeline, timeoutPerTaskMs);
  const files = step.files_from;
  // A glob's items exist only once the manifest Task has listed the workspace.
  const distributed =
    files !== undefined || tasks.length > INLINE_MAP_MAX_TASKS || maxParallel > INLINE_MAP_MAX_TASKS;
  const record = stepResultPath(step.name);
  const consolidation = emitConsolidation(
    step.name,
    { count: config?.tolerated_failure_count, percentage: config?.tolerated_failure_percentage },
    ctx.next,
  );
  const taskState = helperStateName(step.name, 'Task');
  const taskStates = emitTaskStates({
    name: taskState,
    step: step.name,
    stepId: { path: '$.stepId' },
    timeoutSeconds: Math.ceil(timeoutPerTaskMs / 1000),
    repairs: repairBudget(tasks[0]?.spec as LlmStepSpec, step.output_schema_repairs),
    fallbackModel: tasks.some((task) => task.spec.fallback?.model !== undefined),
    indexed: files !== undefined,
  });
  const processor: AslObject = {
    ProcessorConfig: distributed ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
    StartAt: taskState,
    // A glob's tasks share one step id: the runner tells their attempts apart by the `loop` they get.
    States: files === undefined ? taskStates : withLoopContext(taskStates),
  };
  const item: AslObject =
    files === undefined
      ? { 'stepId.$': '$$.Map.Item.Value' }
      : {
          'stepId.$': '$$.Map.Item.Value.stepId',
          loop: {
            'index.$': '$$.Map.Item.Index',
            'path.$': '$$.Map.Item.Value.path',
            ...(insideLoop(ctx) ? { 'parent.$': LOOP_PATH } : {}),
          },
        };
  const map: AslObject = {
    Type: 'Map',
    ...(distributed
      ? {
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'JSON' },
            Parameters: { 'Bucket.$': `${record}.bucket`, 'Key.$': `${record}.key` },
          },
        }
      : { ItemsPath: record }),
    ItemSelector: {
      ...item,
      'run.$': '$.run',
      'inputs.$': '$.inputs',
      'global_vars.$': '$.global_vars',
      'steps.$': '$.steps',
    },
    MaxConcurrency: maxParallel,
    ItemProcessor: processor,
    ...(distributed
      ? {
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Parameters: { 'Bucket.$': `${record}.bucket`, 'Prefix.$': `${record}.resultPrefix` },
          },
          ...(config?.tolerated_failure_count === undefined
            ? {}
            : { ToleratedFailureCount: config.tolerated_failure_count }),
          ...(config?.tolerated_failure_percentage === undefined
            ? {}
            : { ToleratedFailurePercentage: config.tolerated_failure_percentage }),
        }
      : {}),
    ResultPath: record,
    Next: consolidation.startAt,
  };
  const entry = helperStateName(step.name, distributed ? 'Manifest' : 'Items');
  const entryState = distributed
    ? stepRunnerTask({
        stepId: step.name,
        resultPath: record,
        timeoutSeconds: MANIFEST_TIMEOUT_SECONDS,
        next: step.name,
        parameters: { mode: 'manifest' },
      })
    : passState(step.name, { Result: tasks.map((task) => task.stepId), ResultPath: record });
  const spec = batchSpec('claude_batch', tasks, {
    consolidate: config?.consolidate_results ?? true,
    distributed,
    ...(files === undefined
      ? {}
      : {
          files: {
            glob: files.glob,
            maxFiles: files.max_files ?? DEFAULT_MAX_FILES,
            stepId: `${step.name}.${FILE_TASK_ID}`,
          },
        }),
  });
  return {
    startAt: entry,
    states: { [entry]: entryState, [step.name]: map, ...consolidation.states },
    specs: { [step.name]: spec, ...Object.fromEntries(tasks.map((task) => [task.stepId, task.spec])) },
  };
}

/** Each task's id, step id and spec. */
function taskSpecs(step: ClaudeBatchStep, pipeline: Pipeline, timeoutPerTaskMs: number) {
  const preset = resolvePreset(step, pipeline.workflow);
  const tasks = step.tasks ?? [{}];
  const ids = step.files_from === undefined ? batchTaskIds(tasks) : [FILE_TASK_ID];
  return tasks.map((task, index) => {
    const id = ids[index] as string;
    const parts: PromptPart[] = [
      ...(step.tasks === undefined ? [] : (step.prompt ?? [])),
      ...taskPrompt(task.prompt ?? (step.tasks === undefined ? step.prompt : undefined)),
      ...(task.file === undefined ? [] : [{ type: 'file' as const, path: task.file }]),
      ...(step.files_from === undefined ? [] : [{ type: 'workspace_file' as const, path: '{{loop.path}}' }]),
    ];
    const spec = claudeSpec(
      {
        prompt: parts,
        claude_options: { ...step.claude_options, ...task.claude_options },
        output_schema: step.output_schema,
      },
      pipeline,
      preset,
    );
    // The provider gives up a little before the Task does, so the runner can still record the attempt.
    const headroomMs = Math.min(5000, Math.floor(timeoutPerTaskMs / 5));
    const timeoutMs = Math.min(spec.timeoutMs, timeoutPerTaskMs - headroomMs);
    return { id, stepId: `${step.name}.${id}`, spec: { ...spec, timeoutMs } };
  });
}

function taskPrompt(prompt: readonly PromptPart[] | string | undefined): PromptPart[] {
  if (prompt === undefined) return [];
  return typeof prompt === 'string' ? [{ type: 'static', content: prompt }] : [...prompt];
}
