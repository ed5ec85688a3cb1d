import { ErrorName } from '../../pipelines/contract/errors.js';
import type { FileOpsStepSpec } from '../../pipelines/contract/spec-bundle.js';
import type { DataStepRef, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { referencedSteps, TemplateScope } from '../llm/template-scope.js';
import { ElexirionError } from '../shared/errors.js';
import type { StepRunnerDeps } from '../step-runner/deps.js';
import { storeDataStepResult } from './data-step-result.js';
import { convertText } from './files/convert.js';
import { globMatcher } from './files/glob.js';
import { type PathStat, Workspace } from './files/workspace.js';

/** The pattern of a list that names none: the files directly in the folder. */
const DEFAULT_PATTERN = '*';

/**
 * Runs a `file_ops` step on the tenant's workspace in S3. Paths may be templates; once rendered
 * each is checked to stay inside the workspace. The result names the operation and what it did.
 */
export async function runFileOpsStep(
  event: StepRunnerEvent,
  spec: FileOpsStepSpec,
  deps: StepRunnerDeps,
): Promise<DataStepRef> {
  const templates = [
    spec.source,
    spec.destination,
    spec.path,
    ...(spec.files ?? []).map((check) => check.path),
  ];
  const scope = await TemplateScope.load(event, referencedSteps(templates.filter(Boolean)), deps.artifacts);
  const workspace = new Workspace(event.run.tenantId, deps.artifacts);
  const path = (field: 'source' | 'destination' | 'path') =>
    workspace.path(scope.render(spec[field] ?? ''), field);
  const result = await run(spec, workspace, path, (text) => scope.render(text));
  return storeDataStepResult(event, 'file_ops', { operation: spec.operation, ...result }, deps);
}

async function run(
  spec: FileOpsStepSpec,
  workspace: Workspace,
  path: (field: 'source' | 'destination' | 'path') => string,
  render: (text: string) => string,
): Promise<Record<string, unknown>> {
  switch (spec.operation) {
    case 'copy':
    case 'move': {
      const [source, destination] = [path('source'), path('destination')];
      await workspace.copy(source, destination);
      if (spec.operation === 'move') await workspace.remove([source]);
      return { source, destination };
    }
    case 'delete': {
      const target = path('path');
      const stat = await workspace.stat(target);
      if (!stat.isFile && !stat.isDir)
        throw new ElexirionError(ErrorName.FileNotFound, `nothing at ${target} to delete`);
      const inside = stat.isDir
        ? (await workspace.filesUnder(target)).map((file) => `${target}/${file}`)
        : [];
      const removed = [...(stat.isFile ? [target] : []), ...inside];
      await workspace.remove(removed);
      return { path: target, deleted: removed.length };
    }
    case 'list': {
      const folder = path('path');
      const matches = globMatcher(spec.pattern ?? DEFAULT_PATTERN);
      const files = (await workspace.filesUnder(folder)).filter(matches);
      return { path: folder, pattern: spec.pattern ?? DEFAULT_PATTERN, files, count: files.length };
    }
    case 'validate':
      return validate(spec, workspace, render);
    case 'convert': {
      const [source, destination] = [path('source'), path('destination')];
      const format = spec.format ?? 'csv_to_json';
      let converted: ReturnType<typeof convertText>;
      try {
        converted = convertText(await workspace.read(source), format);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        throw new ElexirionError(ErrorName.FileInvalidContent, `${source} (${format}): ${error.message}`);
      }
      const written = await workspace.write(destination, converted.text, converted.contentType);
      return { source, destination, format, bytes: written.bytes };
    }
  }
}

/** Checks every file, then fails with every failed check listed, or reports what it found. */
async function validate(
  spec: FileOpsStepSpec,
  workspace: Workspace,
  render: (text: string) => string,
): Promise<Record<string, unknown>> {
  const failures: string[] = [];
  const files: Record<string, unknown>[] = [];
  for (const [index, check] of (spec.files ?? []).entries()) {
    const path = workspace.path(render(check.path), `files[${index}].path`);
    const stat = await workspace.stat(path);
    files.push({
      path,
      exists: stat.isFile || stat.isDir,
      is_file: stat.isFile,
      is_dir: stat.isDir,
      size: stat.size ?? null,
    });
    failures.push(...checkFailures(check, stat).map((failure) => `${path} ${failure}`));
  }
  if (failures.length > 0) {
    throw new ElexirionError(ErrorName.FileValidationFailed, `validation failed: ${failures.join('; ')}`);
  }
  return { files, valid: true };
}

function checkFailures(check: Readonly<Record<string, unknown>>, stat: PathStat): string[] {
  const failures: string[] = [];
  const exists = stat.isFile || stat.isDir;
  if (check.must_exist !== false && !exists) failures.push('does not exist');
  if (check.must_be_file === true && !stat.isFile) failures.push('is not a file');
  if (check.must_be_dir === true && !stat.isDir) failures.push('is not a folder');
  for (const [field, holds] of [
    ['min_size', (size: number, limit: number) => size >= limit],
    ['max_size', (size: number, limit: number) => size <= limit],
  ] as const) {
    const limit = check[field];
    if (typeof limit !== 'number') continue;
    if (stat.size === undefined) failures.push(`is not a file, so it has no size (${field} ${limit})`);
    else if (!holds(stat.size, limit)) failures.push(`is ${stat.size} bytes (${field} ${limit})`);
  }
  return failures;
}
