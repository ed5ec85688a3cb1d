import { z } from 'zod';
import { readEnvConfig } from '../shared/config.js';

/** Where runs are stored; every control-plane handler reads and writes them. */
const StoresSchema = z.object({
  /** The tenant the stack serves (set on every handler by the CDK stack). */
  TENANT_ID: z.string().min(1),
  ARTIFACT_BUCKET: z.string().min(1),
  RUNS_TABLE: z.string().min(1),
  ATTEMPTS_TABLE: z.string().min(1),
  /** Path-style S3 addressing, needed by S3 emulators on loopback addresses. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
});

/** The bus `PipelineRunCompleted`, `PipelineRunFailed` and `PipelineRequestRejected` go to. */
const EventsSchema = z.object({ EVENT_BUS_NAME: z.string().min(1) });

/** The run API Lambda's configuration (`functions/handlers/api.ts`). */
export const ApiConfigSchema = StoresSchema.extend(EventsSchema.shape).extend({
  API_KEYS_TABLE: z.string().min(1),
  /** The step runner's ARN: substituted into state machines registered at run time, and the source of their region and account. */
  STEP_RUNNER_ARN: z.string().regex(/^arn:[^:]+:lambda:[^:]+:\d{12}:function:.+$/, {
    message: 'the ARN of the step-runner function, arn:aws:lambda:REGION:ACCOUNT:function:NAME',
  }),
  /** The role state machines registered at run time run as; it may invoke the step runner. */
  STATE_MACHINE_ROLE_ARN: z.string().min(1),
  /** Log group for the executions of state machines registered at run time. */
  STATE_MACHINE_LOG_GROUP_ARN: z.string().min(1).optional(),
});

/** The trigger Lambda's configuration (`functions/handlers/trigger.ts`). */
export const TriggerConfigSchema = StoresSchema.extend(EventsSchema.shape);

/** The execution-events Lambda's configuration (`functions/handlers/execution-events.ts`). */
export const ExecutionEventsConfigSchema = StoresSchema.extend(EventsSchema.shape);

/** Validated run API configuration. */
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
/** Validated trigger configuration. */
export type TriggerConfig = z.infer<typeof TriggerConfigSchema>;
/** Validated execution-events configuration. */
export type ExecutionEventsConfig = z.infer<typeof ExecutionEventsConfigSchema>;

/**
 * Reads a control-plane handler's configuration from its environment at cold start, failing with the
 * names of the missing or bad variables. `DEPLOYED_PIPELINES` is read apart, by `readDeployedPipelines`.
 *
 * @example
 * const config = readControlConfig(ApiConfigSchema, process.env, 'run API');
 */
export const readControlConfig = readEnvConfig;
