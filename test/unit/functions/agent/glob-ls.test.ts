import { describe, expect, it } from 'vitest';
import { MAX_GLOB_RESULTS } from '../../../../functions/agent/tools/glob.js';
import { MAX_LS_ENTRIES } from '../../../../functions/agent/tools/ls.js';
import { call, memoryWorkspace } from './harness.js';

const PROJECT = {
  'README.md': '# median',
  'package.json': '{}',
  'src/median.js': 'export {}',
  'src/lib/sort.js': 'export {}',
  'src/lib/sort.test.ts': '',
  'test/median.test.js': '',
};

describe('Glob', () => {
  it('matches **/*.js at every depth, the top included, and returns sorted workspace paths', async () => {
    // Prepare
    const { files } = memoryWorkspace({ ...PROJECT, 'top.js': '' });

    // Act
    const result = await call(files, 'Glob', { pattern: '**/*.js' });

    // Assess
    expect(result).toMatchObject({ isError: false });
    expect(result.content.split('\n')).toEqual([
      'src/lib/sort.js',
      'src/median.js',
      'test/median.test.js',
      'top.js',
    ]);
  });

  it('matches the pattern relative to path, and still returns workspace paths', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Glob', { pattern: '*.js', path: '/workspace/src' });

    // Assess
    expect(result.content).toBe('src/median.js');
  });

  it('reads a pattern written under /workspace/ relative to the root', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Glob', { pattern: '/workspace/src/lib/*.{js,ts}' });

    // Assess
    expect(result.content.split('\n')).toEqual(['src/lib/sort.js', 'src/lib/sort.test.ts']);
  });

  it('says so when nothing matches', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Glob', { pattern: '**/*.py' });

    // Assess
    expect(result).toMatchObject({ content: 'No files match "**/*.py" in /workspace.', isError: false });
  });

  it(`returns at most ${MAX_GLOB_RESULTS} paths, with a note saying how many matched`, async () => {
    // Prepare
    const many = Object.fromEntries(
      Array.from({ length: 250 }, (_, i) => [`gen/f${String(i).padStart(3, '0')}.js`, '']),
    );
    const { files } = memoryWorkspace(many);

    // Act
    const lines = (await call(files, 'Glob', { pattern: 'gen/*.js' })).content.split('\n');

    // Assess
    expect(lines).toHaveLength(MAX_GLOB_RESULTS + 1);
    expect(lines[MAX_GLOB_RESULTS - 1]).toBe('gen/f199.js');
    expect(lines.at(-1)).toBe(`[${MAX_GLOB_RESULTS} of 250 paths shown; narrow the pattern or path]`);
  });

  it.each([
    ['a missing folder', 'lib', 'File.NotFound: lib does not exist in the workspace'],
    ['a file', 'README.md', 'File.InvalidPath: path: README.md is a file, not a folder; read it with Read'],
  ])('refuses %s as path', async (_case, path, content) => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Glob', { pattern: '*', path });

    // Assess
    expect(result).toMatchObject({ content, isError: true });
  });

  it('refuses a pattern too large to match as Tool.InvalidInput naming the field', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Glob', { pattern: '{a,b}'.repeat(9) });

    // Assess
    expect(result).toMatchObject({ errorName: 'Tool.InvalidInput', isError: true });
    expect(result.content).toMatch(/^Tool\.InvalidInput: pattern: too large/);
  });
});

describe('LS', () => {
  it('lists the root: files and folders directly under it, folders with a trailing /', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'LS', {});

    // Assess
    expect(result).toMatchObject({ content: 'README.md\npackage.json\nsrc/\ntest/', isError: false });
  });

  it('lists a subfolder by its relative or /workspace path', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const relative = await call(files, 'LS', { path: 'src' });
    const absolute = await call(files, 'LS', { path: '/workspace/src/' });

    // Assess
    expect(relative.content).toBe('lib/\nmedian.js');
    expect(absolute.content).toBe(relative.content);
  });

  it('says an empty workspace is empty', async () => {
    // Prepare
    const { files } = memoryWorkspace();

    // Act
    const result = await call(files, 'LS', { path: '/workspace' });

    // Assess
    expect(result).toMatchObject({ content: '/workspace is empty.', isError: false });
  });

  it('refuses a file and a missing folder', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const file = await call(files, 'LS', { path: 'src/median.js' });
    const missing = await call(files, 'LS', { path: 'docs' });

    // Assess
    expect(file).toMatchObject({ errorName: 'File.InvalidPath', isError: true });
    expect(missing).toMatchObject({
      content: 'File.NotFound: docs does not exist in the workspace',
      isError: true,
    });
  });

  it(`lists at most ${MAX_LS_ENTRIES} entries, with a note saying how many there are`, async () => {
    // Prepare
    const many = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`d${String(i).padStart(3, '0')}/x`, '']),
    );
    const { files } = memoryWorkspace(many);

    // Act
    const lines = (await call(files, 'LS', {})).content.split('\n');

    // Assess
    expect(lines).toHaveLength(MAX_LS_ENTRIES + 1);
    expect(lines.at(-1)).toBe(`[${MAX_LS_ENTRIES} of 600 entries shown; list a subfolder or use Glob]`);
  });
});
