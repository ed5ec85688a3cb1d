import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from './emulators.js';

/** The optimizer package (`optimizer/`): its setup script, its Python environment and its sources. */
export const OPTIMIZER_DIR = fileURLToPath(new URL('../optimizer/', import.meta.url));

/** The optimizer's `--provider`: `offline` is its deterministic LM, the CLI's `mock`. */
export type OptimizerProvider = 'auto' | 'offline' | 'anthropic' | 'gemini';

/** What one run of the compile job did for one step (`StepOutcome` in `optimizer/…/job.py`). */
export interface OptimizerOutcome {
  readonly pipeline: string;
  readonly step: string;
  /** promoted, canary, rejected, unchanged, skipped, confirmed, refuted or waiting. */
  readonly status: string;
  readonly reason: string;
  readonly version?: string;
  /** Held-out scores of the active version and of the candidate, from 0 to 1. */
  readonly before?: number;
  readonly after?: number;
  readonly trials?: number;
  readonly train: number;
  readonly held_out: number;
}

/** Options of {@link runOptimizerJob}. */
export interface OptimizerJobOptions {
  readonly tenantId: string;
  readonly pipeline: string;
  /** Only this step; it must declare `optimize:`. */
  readonly step?: string;
  readonly provider: OptimizerProvider;
  /** Provider keys and base URLs are passed on from here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Told each line the job writes to stderr (DSPy's progress). */
  readonly onLog?: (line: string) => void;
}

/** How the job ended: its exit code, one outcome per step, and what it wrote to stderr. */
export interface OptimizerJobResult {
  readonly exitCode: number;
  readonly outcomes: readonly OptimizerOutcome[];
  readonly log: string;
}

/**
 * Creates `optimizer/.venv` from the hash-pinned lockfile unless it is up to date (`setup-venv.sh`);
 * rejects with the script's output when that fails.
 */
export async function ensureOptimizerEnv(onLog?: (line: string) => void): Promise<void> {
  const { exitCode, stderr } = await run('bash', [`${OPTIMIZER_DIR}setup-venv.sh`], process.env, onLog);
  if (exitCode !== 0) throw new Error(`could not set up the optimizer's Python environment:\n${stderr}`);
}

/**
 * Runs the compile job (`python -m elexirion_optimizer`) against the local stack: it reads the runs,
 * attempts, scores and examples the local runs stored, and writes prompt packs and registry records
 * beside them, exactly as the scheduled Fargate task does against the tenant's bucket and tables.
 *
 * @example
 * const { outcomes } = await runOptimizerJob(stack, { tenantId: 'local', pipeline: 'support_triage',
 *   provider: 'offline', env: process.env });
 */
export async function runOptimizerJob(
  stack: LocalStack,
  options: OptimizerJobOptions,
): Promise<OptimizerJobResult> {
  const args = [
    '-m',
    'elexirion_optimizer',
    '--pipeline',
    options.pipeline,
    ...(options.step === undefined ? [] : ['--step', options.step]),
    '--provider',
    options.provider,
    '--tenant',
    options.tenantId,
    '--bucket',
    stack.bucket,
    '--runs-table',
    stack.tables.runs,
    '--attempts-table',
    stack.tables.attempts,
    '--s3-endpoint',
    stack.s3Endpoint,
    '--dynamodb-endpoint',
    stack.dynamoEndpoint,
    '--s3-path-style',
  ];
  const env = {
    ...options.env,
    PYTHONPATH: `${OPTIMIZER_DIR}src`,
    // The emulators accept any key; these keep boto3 from looking for real ones.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const { exitCode, stdout, stderr } = await run(
    `${OPTIMIZER_DIR}.venv/bin/python`,
    args,
    env,
    options.onLog,
  );
  const outcomes = stdout
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as OptimizerOutcome);
  return { exitCode, outcomes, log: stderr };
}

function run(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  onLog?: (line: string) => void,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split('\n')) if (line) onLog?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}
