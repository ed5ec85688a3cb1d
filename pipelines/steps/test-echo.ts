import { z } from 'zod';
import { stepName } from './step-fields.js';

/** The value a `test_echo` step returns when it names none (pipeline_ex's default). */
export const DEFAULT_ECHO_VALUE = 'default_echo';

/** The value that makes a `test_echo` step fail, as `fail: true` does (pipeline_ex's convention). */
export const FAIL_ECHO_VALUE = '__FAIL__';

/**
 * `test_echo`: returns its `value`, templates resolved, as `{{steps.NAME.result}}`; the deterministic
 * step of test fixtures. pipeline_ex runs it only in its test environment; here it always runs.
 */
export const testEchoStep = z
  .strictObject({
    name: stepName,
    type: z.literal('test_echo'),
    description: z.string().optional(),
    value: z
      .unknown()
      .optional()
      .describe(
        `Any value (default "${DEFAULT_ECHO_VALUE}"); strings may be templates, and a value that is one whole template keeps its type.`,
      ),
    fail: z
      .boolean()
      .optional()
      .describe('true makes the step fail with Step.EchoFailed (as value "__FAIL__" does).'),
    error_message: z
      .string()
      .optional()
      .describe('The cause the step fails with when it fails (default "test_echo failed"); literal text.'),
  })
  .describe('Returns a value: the deterministic step of test fixtures.');

/** A `test_echo` step as loaded. */
export type TestEchoStep = z.infer<typeof testEchoStep>;
