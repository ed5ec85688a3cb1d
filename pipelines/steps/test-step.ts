import { z } from 'zod';
import { stepName } from './step-fields.js';

/** How long a test command may run when the step names no `timeout_seconds`. */
export const DEFAULT_TEST_TIMEOUT_SECONDS = 600;

/**
 * The longest a test command may run. A Fargate task bills by the second and holds the run's
 * execution open; a suite that needs more than an hour is better split into several test steps.
 */
export const MAX_TEST_TIMEOUT_SECONDS = 3600;

/**
 * Environment names a test step may not set: the provider keys and AWS credentials the step runner
 * holds. The test process never inherits them either (`functions/test-runner/test-env.ts`); refusing
 * them here keeps a pipeline file from putting a key where a test's output could print it.
 */
export function isSecretEnvName(name: string): boolean {
  return name.startsWith('AWS_') || SECRET_ENV_NAMES.has(name);
}

const SECRET_ENV_NAMES: ReadonlySet<string> = new Set([
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
]);

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'an environment variable name starts with a letter or "_" and holds only letters, digits and "_"',
});

/** A template is refused, not rendered: the command and its environment run exactly as written. */
const TEMPLATE = /\{\{/;

/**
 * `test`: runs a command (`/bin/sh -c`) in a copy of the run's workspace with the run's change set
 * applied, and returns what happened as data (`passed`, `exit_code`, `summary`, …). A failing test
 * run is a result, not a step failure, unless `required: true`.
 */
export const testStep = z
  .strictObject({
    name: stepName,
    type: z.literal('test'),
    description: z.string().optional(),
    command: z
      .string()
      .regex(/\S/, {
        message: 'command cannot be empty; write the command that runs the tests, e.g. npm test',
      })
      .refine((command) => !TEMPLATE.test(command), {
        message:
          'command is run as written, so it cannot hold {{templates}}; put what varies in a script in the repository and run that',
      })
      .describe('The command that runs the tests, run by /bin/sh -c in the workspace, e.g. npm test.'),
    timeout_seconds: z
      .number()
      .int({ message: 'timeout_seconds must be a whole number of seconds' })
      .min(1, { message: 'timeout_seconds must be at least 1' })
      .max(MAX_TEST_TIMEOUT_SECONDS, {
        message: `timeout_seconds is at most ${MAX_TEST_TIMEOUT_SECONDS} (an hour); split a longer suite into several test steps`,
      })
      .optional()
      .describe(
        `How long the command may run before its process group is killed (default ${DEFAULT_TEST_TIMEOUT_SECONDS}, at most ${MAX_TEST_TIMEOUT_SECONDS}).`,
      ),
    env: z
      .record(
        envName,
        z.string().refine((value) => !TEMPLATE.test(value), {
          message:
            'an env value is passed as written, so it cannot hold {{templates}}; write the literal value',
        }),
      )
      .optional()
      .describe(
        'More environment variables for the command, literal strings (CI=true, HOME and PATH are set already).',
      ),
    required: z
      .boolean()
      .optional()
      .describe('true: a failing command fails the step with Test.Failed (after recording the result).'),
  })
  .superRefine((step, ctx) => {
    for (const name of Object.keys(step.env ?? {})) {
      if (!isSecretEnvName(name)) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['env', name],
        message: `env cannot set ${name}: a test step never gets provider keys or AWS credentials; remove it`,
      });
    }
  })
  .describe("Runs a test command on the run's workspace and returns the outcome as data.");

/** A `test` step as loaded. */
export type TestStep = z.infer<typeof testStep>;
