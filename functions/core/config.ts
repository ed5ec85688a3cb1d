import { z } from 'zod';

/** The step runner's configuration, as the CDK stack sets it in the Lambda environment. */
export const StepRunnerConfigSchema = z.object({
  ARTIFACT_BUCKET: z.string().min(1),
  RUNS_TABLE: z.string().min(1),
  ATTEMPTS_TABLE: z.string().min(1),
  PROVIDER_MODE: z.enum(['auto', 'mock', 'anthropic', 'gemini']).default('auto'),
  /** Path-style S3 addressing, needed by S3 emulators on loopback addresses. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
});

/** Validated step-runner configuration. */
export type StepRunnerConfig = z.infer<typeof StepRunnerConfigSchema>;

/**
 * Reads the configuration from an environment, failing at cold start (not on the first run) with the
 * names of the missing or bad variables.
 */
export function readStepRunnerConfig(env: Readonly<Record<string, string | undefined>>): StepRunnerConfig {
  const parsed = StepRunnerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`step runner configuration is invalid: ${problems}`);
  }
  return parsed.data;
}
