import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPipelineFile, type PipelineBuild } from '../../statemachines/build.js';

/** A pipeline file that built. */
export type PipelineFileBuild = Extract<PipelineBuild, { ok: true }>;

/** A file's build, remembered until its size or modification time changes. */
interface CachedBuild {
  readonly version: string;
  readonly build: Promise<PipelineBuild>;
}

/**
 * The pipeline files of a directory (searched recursively for `*.yaml` and `*.yml`), built and kept
 * until a file changes, so an edited pipeline is rebuilt on its next use and an unchanged one is not.
 * Mock scripts are not pipelines: folders named `mocks` and files named `*.mock.yaml` (or `.yml`)
 * are left out, so `pipelines/examples/mocks/` can sit beside the examples it scripts.
 *
 * @example
 * const files = new PipelineFiles('pipelines');
 * const builds = await files.builds();
 */
export class PipelineFiles {
  private readonly cache = new Map<string, CachedBuild>();

  /**
   * @param dir searched recursively; missing is the same as empty.
   * @param onInvalidFile told about each file that does not build, once per version of the file.
   */
  constructor(
    readonly dir: string,
    private readonly onInvalidFile?: (file: string, build: Extract<PipelineBuild, { ok: false }>) => void,
  ) {}

  /** Every file that builds, the first in path order for each workflow name. */
  async builds(): Promise<PipelineFileBuild[]> {
    const files = await pipelineFiles(this.dir);
    const builds = await Promise.all(files.map((file) => this.buildOf(file)));
    const seen = new Set<string>();
    return builds.flatMap((build) => {
      if (!build?.ok || seen.has(build.bundle.pipeline)) return [];
      seen.add(build.bundle.pipeline);
      return [build];
    });
  }

  private async buildOf(file: string): Promise<PipelineBuild | undefined> {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined; // removed since the directory was read
    const version = `${info.size}:${info.mtimeMs}`;
    let cached = this.cache.get(file);
    if (cached?.version !== version) {
      const build = buildPipelineFile(file);
      cached = { version, build };
      this.cache.set(file, cached);
      const report = this.onInvalidFile;
      if (report) void build.then((result) => (result.ok ? undefined : report(file, result)));
    }
    return cached.build;
  }
}

/** Pipeline files under a directory, sorted, without mock scripts; none when it does not exist. */
async function pipelineFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => isPipelineFile(entry))
    .sort()
    .map((entry) => join(dir, entry));
}

/** A folder of mock scripts (`pipelines/examples/mocks/`), which the catalog does not descend into. */
export const MOCKS_DIR = 'mocks';

/**
 * Whether a path relative to the searched folder names a pipeline: a `.yaml` or `.yml` file that is
 * neither a mock script (`*.mock.yaml`) nor inside a `mocks` folder.
 *
 * @example
 * isPipelineFile('examples/chain.yaml'); // true
 * isPipelineFile('examples/mocks/robust-review.mock.yaml'); // false
 */
export function isPipelineFile(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  return /\.ya?ml$/.test(name) && !/\.mock\.ya?ml$/.test(name) && !parts.slice(0, -1).includes(MOCKS_DIR);
}
