import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionOf } from '../../../pipelines/format-issues.js';
import { loadPipeline } from '../../../pipelines/loader.js';
import { isInsideFolder, MAX_LOADED_FILE_BYTES } from '../../../pipelines/pipeline-folder.js';
import type { LoadResult } from '../../../pipelines/types.js';

/** A one-step pipeline whose prompt is one `file` part naming `path` (JSON-quoted, so any string fits). */
function pipelineReading(path: string): string {
  return [
    'workflow:',
    '  name: reader',
    '  steps:',
    '    - name: a',
    '      type: claude',
    '      prompt:',
    `        - {type: file, path: ${JSON.stringify(path)}}`,
    '',
  ].join('\n');
}

/** Each issue as `CODE@LINE:COL`. */
function located(result: LoadResult): string[] {
  return result.issues.map((issue) => {
    const { line, col } = positionOf(result.source, issue.range[0]);
    return `${issue.code}@${line}:${col}`;
  });
}

describe('file parts stay inside the pipeline folder', () => {
  let root: string;
  let folder: string;

  beforeAll(async () => {
    // root/secret.txt is beside the pipeline folder root/pipelines, as a deployer's keys would be.
    root = await mkdtemp(join(tmpdir(), 'elexirion-folder-'));
    folder = join(root, 'pipelines');
    await mkdir(join(folder, 'prompts'), { recursive: true });
    await writeFile(join(root, 'secret.txt'), 'ANTHROPIC_API_KEY=not-for-prompts');
    await writeFile(join(folder, 'prompts', 'system.md'), 'You review code.');
    await symlink(join(root, 'secret.txt'), join(folder, 'prompts', 'out.md'));
    await symlink(join(folder, 'prompts', 'system.md'), join(folder, 'in.md'));
    await symlink(root, join(folder, 'up'));
    await writeFile(join(folder, 'big.md'), 'x'.repeat(MAX_LOADED_FILE_BYTES + 1));
    execFileSync('mkfifo', [join(folder, 'pipe.md')]);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes a pipeline reading `path` into the folder and loads it from disk. */
  async function loadReading(path: string): Promise<LoadResult> {
    const file = join(folder, 'p.yaml');
    await writeFile(file, pipelineReading(path));
    return loadPipeline(file);
  }

  it.each([
    ['a parent path', '../secret.txt'],
    ['a deeper parent path', '../../x'],
    ['a path that leaves and comes back', 'prompts/../../pipelines/../secret.txt'],
    ['an absolute path', '/proc/self/environ'],
    ['an absolute path to a secret', '/etc/shadow'],
    ['a device', '/dev/zero'],
  ])('refuses %s at the part, before reading it', async (_case, path) => {
    const result = await loadReading(path);

    expect(located(result)).toEqual(['FILE_OUTSIDE_FOLDER@7:30']);
    expect(result.pipeline).toBeUndefined();
    expect(result.issues[0]?.hint).toContain('inside its own folder');
  });

  it.each([
    ['a file link', 'prompts/out.md'],
    ['a folder link', 'up/secret.txt'],
  ])('refuses %s that resolves outside the folder', async (_case, path) => {
    const result = await loadReading(path);

    expect(located(result)).toEqual(['FILE_OUTSIDE_FOLDER@7:30']);
    expect(result.issues[0]?.message).toContain(join(root, 'secret.txt'));
    expect(JSON.stringify(result)).not.toContain('not-for-prompts');
  });

  it('reads a link that stays inside the folder', async () => {
    const result = await loadReading('in.md');

    expect(result.issues).toEqual([]);
    expect(result.pipeline?.files).toEqual({ 'in.md': 'You review code.' });
  });

  it.each([
    ['a FIFO, without blocking on it', 'pipe.md', 'is not a regular file'],
    ['a folder', 'prompts', 'is not a regular file'],
    ['a file over the size cap', 'big.md', `over the ${MAX_LOADED_FILE_BYTES}-byte limit`],
  ])('refuses %s', async (_case, path, reason) => {
    const result = await loadReading(path);

    expect(located(result)).toEqual(['FILE_REFUSED@7:30']);
    expect(result.issues[0]?.message).toContain(reason);
  });

  it('refuses a pipeline file that is not a regular file, at 1:1', async () => {
    const result = await loadPipeline(join(folder, 'pipe.md'));

    expect(located(result)).toEqual(['FILE_REFUSED@1:1']);
  });
});

describe('isInsideFolder', () => {
  it.each([
    ['a.md', true],
    ['sub/a.md', true],
    ['./sub/../a.md', true],
    ['..a.md', true],
    ['.', false],
    ['..', false],
    ['../a.md', false],
    ['sub/../../a.md', false],
    ['/etc/passwd', false],
  ])('%s is inside: %s', (path, inside) => {
    expect(isInsideFolder('/work/pipelines', path)).toBe(inside);
  });
});
