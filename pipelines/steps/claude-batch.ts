import { z } from 'zod';
import { claudeOptions, outputSchemaFields, preset, prompt, promptParts, role } from './llm-fields.js';
import { outputToFile, stepName } from './step-fields.js';

/** A task's id inside a `claude_batch` or `parallel_claude` step; it names the task's results. */
export const taskId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, {
  message: 'a task id holds letters, digits, "_" and "-" (at most 40), e.g. task_1',
});

const batchTask = z
  .strictObject({
    task_id: taskId.optional().describe('Names the task in the results (default task_N, from 1).'),
    prompt: z
      .union([promptParts, z.string()])
      .optional()
      .describe("The task's prompt: a list of parts, or one string (a static part)."),
    file: z
      .string()
      .min(1)
      .optional()
      .describe("A file (relative to the pipeline file) whose content is the task's prompt."),
    claude_options: claudeOptions.optional().describe("Merged over the step's options."),
  })
  .superRefine((task, ctx) => {
    if (task.prompt === undefined && task.file === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a task needs a prompt or a file; add prompt: [{type: static, content: "..."}]',
      });
    }
  });

const batchConfig = z
  .strictObject({
    max_parallel: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('The most tasks running at once (default 3): MaxConcurrency of the Map.'),
    timeout_per_task: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Milliseconds one task may take (default 60000); a task past it has status 'timeout'."),
    consolidate_results: z
      .boolean()
      .optional()
      .describe('true (default): the step text joins every answer; false: it is a status line.'),
    tolerated_failure_count: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Fail the step when more tasks than this fail (default: never; failures are listed).'),
    tolerated_failure_percentage: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('Fail the step when a larger share of tasks than this fails.'),
  })
  .describe('How the tasks run.');

/** pipeline_ex has no glob tasks; 200 keeps a careless `**` from fanning out to a whole repository. */
export const DEFAULT_MAX_FILES = 200;

/** The most files one glob may fan out to: each is a child execution and a model call. */
const MAX_FILES_LIMIT = 1000;

const filesFrom = z
  .strictObject({
    glob: z.string().min(1).describe("Matched against the paths of the run's workspace (src/**/*.ts)."),
    max_files: z
      .number()
      .int()
      .min(1)
      .max(MAX_FILES_LIMIT)
      .optional()
      .describe(`More matching files than this fail the step (default ${DEFAULT_MAX_FILES}).`),
  })
  .describe("One task per file of the run's workspace matching the glob; its prompt ends with the file.");

/**
 * `claude_batch`: independent Claude tasks run as a Map state with bounded concurrency, each task
 * with its own timeout and status, then consolidated into one result. The step's `prompt` alone is
 * one task; with `tasks`, it is a preamble to each task's prompt.
 */
export const claudeBatchStep = z
  .strictObject({
    name: stepName,
    type: z.literal('claude_batch'),
    description: z.string().optional(),
    role,
    prompt: prompt.optional(),
    tasks: z.array(batchTask).min(1).optional(),
    files_from: filesFrom.optional(),
    batch_config: batchConfig.optional(),
    preset,
    claude_options: claudeOptions.optional().describe('Merged over the preset.'),
    output_to_file: outputToFile,
    ...outputSchemaFields,
  })
  .superRefine((step, ctx) => {
    reportDuplicateTaskIds(batchTaskIds(step.tasks ?? []), 'tasks', 'task_id', ctx);
    if (step.files_from !== undefined && step.tasks !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['files_from'],
        message:
          "files_from makes one task per matching file, so it cannot be used with tasks; drop tasks (the prompt is each task's preamble) or drop files_from",
      });
    }
    if (step.prompt === undefined && step.tasks === undefined && step.files_from === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tasks'],
        message: 'a claude_batch step needs tasks (or a prompt); add tasks: [{task_id: t1, prompt: "..."}]',
      });
    }
  })
  .describe('Claude tasks run in parallel with bounded concurrency, then consolidated.');

/** The id of each task: its `task_id`, else `task_N` counting from 1 (pipeline_ex's default). */
export function batchTaskIds(tasks: readonly { readonly task_id?: string | undefined }[]): string[] {
  return tasks.map((task, index) => task.task_id ?? `task_${index + 1}`);
}

/** Reports every task whose id an earlier task already has. */
export function reportDuplicateTaskIds(
  ids: readonly string[],
  list: string,
  key: string,
  ctx: z.core.$RefinementCtx,
): void {
  ids.forEach((id, index) => {
    if (ids.indexOf(id) === index) return;
    ctx.addIssue({
      code: 'custom',
      path: [list, index, key],
      message: `task id '${id}' is already used by ${list}[${ids.indexOf(id)}]; give each task its own id`,
    });
  });
}

/** A `claude_batch` step as loaded. */
export type ClaudeBatchStep = z.infer<typeof claudeBatchStep>;
