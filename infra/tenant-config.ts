import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { positionOf } from '../pipelines/format-issues.js';
import { fieldName } from '../pipelines/issues.js';
import { YamlLocator } from '../pipelines/yaml-ranges.js';

/**
 * Lowercase because the id ends up in names that are case-sensitive in some services and not in
 * others (stack, state machine, secret, S3 prefix); at most 20 characters so that
 * `elexirion-<tenant>_stack_<pipeline>` leaves room for the pipeline name in an 80-character state
 * machine name. Never `_`, `/` or `#`: each ends the id in a name other grants match by prefix
 * (state machines `elexirion-<tenant>_…`, secrets `elexirion/<tenant>/…`, S3 `tenants/<tenant>/…`,
 * keys `TENANT#<tenant>#…`), so tenant `acme`'s prefixes match nothing of tenant `acme-api-x`.
 */
const TENANT_ID = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** What a tenant id must look like, in the words an error message uses. */
const TENANT_ID_RULE = 'lowercase letters, digits and hyphens, starting with a letter (2 to 20 characters)';

/** Where the shipped example pipelines are, under the pipelines folder. */
const EXAMPLES = 'examples';

const TenantIdSchema = z
  .string()
  .regex(TENANT_ID, { error: (issue) => `${JSON.stringify(issue.input)} is not ${TENANT_ID_RULE}` });

const TenantSchema = z.strictObject({
  id: TenantIdSchema,
  pipelines: z.array(z.string().min(1)).min(1).optional(),
  provider: z
    .strictObject({ mode: z.enum(['auto', 'mock', 'anthropic', 'gemini']).default('auto') })
    .default({ mode: 'auto' }),
  budget: z.strictObject({ monthlyUsd: z.number().positive().default(100) }).default({ monthlyUsd: 100 }),
  api: z
    .strictObject({
      rateLimit: z.number().positive().default(10),
      burstLimit: z.int().positive().default(20),
    })
    .default({ rateLimit: 10, burstLimit: 20 }),
  test_runner_image: z
    .string()
    .regex(/^\S+$/, {
      error: 'an image reference has no spaces, e.g. public.ecr.aws/docker/library/python:3.12-slim',
    })
    .optional(),
});

const TenantsFileSchema = z.strictObject({ tenants: z.array(TenantSchema).min(1) });

/**
 * One tenant's deployment settings, defaults applied: the pipelines to deploy (paths under
 * `pipelines/`; by default every shipped example), the provider mode, the monthly provider budget
 * that raises the cost alarm, the throttling of its run API, and the base image its test steps run
 * on (when one of its pipelines has any; default Node 22).
 */
export type TenantConfig = Omit<z.infer<typeof TenantSchema>, 'pipelines'> & { readonly pipelines: string[] };

/** A tenants file or `-c tenants=…` value that cannot be used; the message names the place and field. */
export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
}

/**
 * Reads and checks a tenants file. Every problem is reported at once, each as
 * `FILE:LINE:COL: FIELD: message`, in a single {@link TenantConfigError}.
 *
 * @param pipelinesDir the folder pipeline paths are relative to; each must name an existing file in it.
 * @example
 * const tenants = readTenantsFile('infra/tenants.yaml', 'pipelines');
 */
export function readTenantsFile(file: string, pipelinesDir: string): TenantConfig[] {
  const source = readFileSync(file, 'utf8');
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new TenantConfigError(
      doc.errors.map((error) => `${at(file, source, error.pos[0])}: ${error.message}`).join('\n'),
    );
  }
  const locate = new YamlLocator(doc, source);
  const parsed = TenantsFileSchema.safeParse(doc.toJS());
  const tenants = parsed.success
    ? parsed.data.tenants.map((tenant) => withDefaults(tenant, pipelinesDir))
    : [];
  const problems = parsed.success
    ? semanticProblems(tenants, pipelinesDir)
    : parsed.error.issues.map((issue) => ({
        path: issue.path as (string | number)[],
        message: issue.message,
      }));
  if (problems.length > 0) {
    throw new TenantConfigError(
      problems
        .map(
          ({ path, message }) => `${at(file, source, locate.value(path)[0])}: ${fieldName(path)}: ${message}`,
        )
        .join('\n'),
    );
  }
  return tenants;
}

/**
 * Tenants from the `tenants` context value (`-c tenants=acme,globex`), each with the default settings.
 *
 * @example
 * tenantsFromContext('acme,globex', 'pipelines'); // two tenants, each deploying every example
 */
export function tenantsFromContext(value: string, pipelinesDir: string): TenantConfig[] {
  const ids = value.split(',').map((id) => id.trim());
  const tenants = ids.map((id, index) => {
    const parsed = TenantSchema.safeParse({ id });
    if (!parsed.success) {
      throw new TenantConfigError(`context tenants[${index}]: ${parsed.error.issues[0]?.message}`);
    }
    return withDefaults(parsed.data, pipelinesDir);
  });
  const problems = semanticProblems(tenants, pipelinesDir);
  if (problems.length > 0) {
    throw new TenantConfigError(
      problems.map(({ path, message }) => `context ${fieldName(path)}: ${message}`).join('\n'),
    );
  }
  return tenants;
}

/** Fills in the pipelines of a tenant that lists none: every shipped example. */
function withDefaults(tenant: z.infer<typeof TenantSchema>, pipelinesDir: string): TenantConfig {
  return { ...tenant, pipelines: tenant.pipelines ?? examplePipelines(pipelinesDir) };
}

/** `examples/*.yaml` under `pipelinesDir`, sorted; `*.mock.yaml` files are mock scripts, not pipelines. */
function examplePipelines(pipelinesDir: string): string[] {
  return readdirSync(join(pipelinesDir, EXAMPLES))
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.mock.yaml'))
    .sort()
    .map((name) => `${EXAMPLES}/${name}`);
}

interface Problem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Checks zod cannot make alone: unique ids, and pipeline paths that exist inside `pipelinesDir`. */
function semanticProblems(tenants: readonly TenantConfig[], pipelinesDir: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  tenants.forEach((tenant, index) => {
    if (seen.has(tenant.id)) {
      problems.push({ path: ['tenants', index, 'id'], message: `tenant "${tenant.id}" is listed twice` });
    }
    seen.add(tenant.id);
    tenant.pipelines.forEach((path, p) => {
      const message = pipelinePathProblem(path, pipelinesDir);
      if (message) problems.push({ path: ['tenants', index, 'pipelines', p], message });
    });
  });
  return problems;
}

function pipelinePathProblem(path: string, pipelinesDir: string): string | undefined {
  const full = resolve(pipelinesDir, path);
  const inside = relative(resolve(pipelinesDir), full);
  if (isAbsolute(path) || inside.startsWith('..')) {
    return `"${path}" must be a path inside ${pipelinesDir}/, such as examples/chain.yaml`;
  }
  if (!existsSync(full)) return `${join(pipelinesDir, path)} does not exist`;
  return undefined;
}

function at(file: string, source: string, offset: number): string {
  const { line, col } = positionOf(source, offset);
  return `${file}:${line}:${col}`;
}
