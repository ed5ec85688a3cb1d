import { z } from 'zod';

/** The step runner's configuration, as the CDK stack sets it in the Lambda environment. */
export const StepRunnerConfigSchema = z.object({
  /** The tenant this step runner serves; every metric it emits carries it as the `tenant` dimension. */
  TENANT_ID: z.string().min(1),
  ARTIFACT_BUCKET: z.string().min(1),
  RUNS_TABLE: z.string().min(1),
  ATTEMPTS_TABLE: z.string().min(1),
  PROVIDER_MODE: z.enum(['auto', 'mock', 'anthropic', 'gemini']).default('auto'),
  /** Secrets Manager id (ARN or name) of the Anthropic key; when any key secret is set, keys come only from secrets. */
  ANTHROPIC_KEY_SECRET: z.string().min(1).optional(),
  /** Secrets Manager id (ARN or name) of the Gemini key. */
  GEMINI_KEY_SECRET: z.string().min(1).optional(),
  /** Path-style S3 addressing, needed by S3 emulators on loopback addresses. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
});

/** Validated step-runner configuration. */
export type StepRunnerConfig = z.infer<typeof StepRunnerConfigSchema>;

/** The run API authorizer's configuration, as the CDK stack sets it. */
export const AuthorizerConfigSchema = z.object({
  /** The only tenant whose keys this API accepts. */
  TENANT_ID: z.string().min(1),
  API_KEYS_TABLE: z.string().min(1),
});

/** Validated authorizer configuration. */
export type AuthorizerConfig = z.infer<typeof AuthorizerConfigSchema>;

/**
 * Reads the step runner's configuration from an environment, failing at cold start (not on the first
 * run) with the names of the missing or bad variables.
 */
export function readStepRunnerConfig(env: Readonly<Record<string, string | undefined>>): StepRunnerConfig {
  return readEnvConfig(StepRunnerConfigSchema, env, 'step runner');
}

/** Reads the authorizer's configuration, failing at cold start like {@link readStepRunnerConfig}. */
export function readAuthorizerConfig(env: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  return readEnvConfig(AuthorizerConfigSchema, env, 'authorizer');
}

/**
 * Reads a handler's configuration from an environment with a zod schema, failing at cold start (not
 * on the first request) with the name of every missing or bad variable.
 */
export function readEnvConfig<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`${what} configuration is invalid: ${problems}`);
  }
  return parsed.data;
}
