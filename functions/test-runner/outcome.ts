import { z } from 'zod';
import type { TestRunResult } from './run-tests.js';

/**
 * What a test-runner task leaves for the step runner (`artifactKeys.testRun(…).outcome`): the
 * test run's result, or the named error that kept the command from running (no workspace, a spec
 * that is not a test step's). Its output is the `.log` object beside it. The container and the
 * local stack write it alike, and the step runner parses it with this schema.
 */

const SummarySchema = z.object({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});

/** The result of one test run (`run-tests.ts`), as stored. */
export const TestRunResultSchema = z.object({
  passed: z.boolean(),
  exit_code: z.number().int().nullable(),
  timed_out: z.boolean(),
  duration_ms: z.number().nonnegative(),
  summary: SummarySchema.nullable(),
  tail: z.string(),
}) satisfies z.ZodType<TestRunResult>;

export const TestOutcomeSchema = z.union([
  z.object({ result: TestRunResultSchema }),
  z.object({ error: z.object({ name: z.string(), message: z.string() }) }),
]);

/** A test-runner task's outcome. */
export type TestOutcome = z.infer<typeof TestOutcomeSchema>;

/** An ECS task's id: the last part of its ARN (`arn:aws:ecs:…:task/CLUSTER/ID`), which names its outcome. */
const TASK_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The id of the task whose ARN the state keeps for a test step, or undefined when `taskArn` is not
 * one (an id is the key of the task's outcome, so it is checked before it names an S3 key).
 *
 * @example
 * taskIdOf('arn:aws:ecs:us-east-1:123456789012:task/elexirion-acme/0f1e2d3c4b5a69788796a5b4c3d2e1f0');
 * // '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
 */
export function taskIdOf(taskArn: unknown): string | undefined {
  if (typeof taskArn !== 'string' || !taskArn.startsWith('arn:')) return undefined;
  const id = taskArn.slice(taskArn.lastIndexOf('/') + 1);
  return TASK_ID.test(id) ? id : undefined;
}
