import { describe, expect, it } from 'vitest';
import {
  MAX_GREP_RESULTS,
  MAX_SCANNED_PER_FILE,
  MAX_SCANNED_TOTAL,
} from '../../../../functions/agent/tools/grep.js';
import { call, memoryWorkspace } from './harness.js';

const PROJECT = {
  'README.md': 'Median of a list\nTODO: document\n',
  'src/median.js': 'export function median(xs) {\n  // TODO: even lengths\n  return xs[xs.length >> 1];\n}\n',
  'src/lib/sort.js': 'export const sort = (xs) => [...xs].sort();\n',
  'test/median.test.ts': "import { median } from '../src/median.js';\n",
};

describe('Grep', () => {
  it('lists the files with a matching line by default, sorted', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'median' });

    // Assess
    expect(result).toMatchObject({ content: 'src/median.js\ntest/median.test.ts', isError: false });
  });

  it('returns path:line:text for every matching line in content mode', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'TODO', output_mode: 'content' });

    // Assess
    expect(result.content.split('\n')).toEqual([
      'README.md:2:TODO: document',
      'src/median.js:2:  // TODO: even lengths',
    ]);
  });

  it('matches regardless of case with -i', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const exact = await call(files, 'Grep', { pattern: '^median', output_mode: 'content' });
    const folded = await call(files, 'Grep', { pattern: '^median', output_mode: 'content', '-i': true });

    // Assess
    expect(exact.content).toBe('No matches for "^median" in /workspace.');
    expect(folded.content).toBe('README.md:1:Median of a list');
  });

  it('keeps the files a glob without / matches by name, at any depth, as ripgrep does', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'xs', glob: '*.js' });

    // Assess
    expect(result.content).toBe('src/lib/sort.js\nsrc/median.js');
  });

  it('matches a glob with / against the path relative to path', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'xs', path: 'src', glob: 'lib/*.js' });

    // Assess
    expect(result.content).toBe('src/lib/sort.js');
  });

  it('counts the matching lines per file in count mode', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'xs', output_mode: 'count' });

    // Assess
    expect(result.content).toBe('src/lib/sort.js:1\nsrc/median.js:2');
  });

  it('searches one file when path names a file', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', {
      pattern: 'TODO',
      path: '/workspace/README.md',
      output_mode: 'content',
    });

    // Assess
    expect(result.content).toBe('README.md:2:TODO: document');
    expect(files.read.mock.calls).toEqual([['README.md']]);
  });

  it('skips files holding NUL, as binary', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'logo.png': 'PNG\u0000TODO', 'a.txt': 'TODO' });

    // Act
    const result = await call(files, 'Grep', { pattern: 'TODO' });

    // Assess
    expect(result.content).toBe('a.txt');
  });

  it('refuses an invalid regular expression as Tool.InvalidInput naming pattern, before reading', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: '(unclosed' });

    // Assess
    expect(result).toMatchObject({ errorName: 'Tool.InvalidInput', isError: true });
    expect(result.content).toMatch(/^Tool\.InvalidInput: pattern: Invalid regular expression/);
    expect(files.read).not.toHaveBeenCalled();
  });

  it('answers a missing path with File.NotFound', async () => {
    // Prepare
    const { files } = memoryWorkspace(PROJECT);

    // Act
    const result = await call(files, 'Grep', { pattern: 'x', path: 'docs' });

    // Assess
    expect(result).toMatchObject({
      content: 'File.NotFound: docs does not exist in the workspace',
      isError: true,
    });
  });

  it(`stops at ${MAX_GREP_RESULTS} matching lines and says more matched`, async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'log.txt': 'hit\n'.repeat(MAX_GREP_RESULTS + 50) });

    // Act
    const lines = (await call(files, 'Grep', { pattern: 'hit', output_mode: 'content' })).content.split('\n');

    // Assess
    expect(lines).toHaveLength(MAX_GREP_RESULTS + 1);
    expect(lines[MAX_GREP_RESULTS - 1]).toBe(`log.txt:${MAX_GREP_RESULTS}:hit`);
    expect(lines.at(-1)).toBe(
      `[stopped at ${MAX_GREP_RESULTS} matching lines; narrow the pattern, path or glob]`,
    );
  });

  it('searches only the first part of a large file, and says which file was cut', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'big.log': `${'.'.repeat(MAX_SCANNED_PER_FILE)}\nneedle\n` });

    // Act
    const result = await call(files, 'Grep', { pattern: 'needle' });

    // Assess
    expect(result.content.split('\n')).toEqual([
      'No matches for "needle" in /workspace.',
      `[only the first ${MAX_SCANNED_PER_FILE} characters of 1 file were searched: big.log]`,
    ]);
  });

  it('stops before the files past the total scan budget, and says how many it left', async () => {
    // Prepare
    const filesInBudget = MAX_SCANNED_TOTAL / MAX_SCANNED_PER_FILE;
    const chunk = `${'.'.repeat(MAX_SCANNED_PER_FILE - 7)}needle\n`;
    const many = Object.fromEntries(
      Array.from({ length: filesInBudget + 2 }, (_, i) => [`logs/${String(i).padStart(3, '0')}.log`, chunk]),
    );
    const { files } = memoryWorkspace(many);

    // Act
    const lines = (await call(files, 'Grep', { pattern: 'needle', output_mode: 'count' })).content.split(
      '\n',
    );

    // Assess
    expect(lines).toHaveLength(filesInBudget + 1);
    expect(lines[filesInBudget - 1]).toBe(`logs/${String(filesInBudget - 1).padStart(3, '0')}.log:1`);
    expect(lines.at(-1)).toBe(
      `[search stopped after ${MAX_SCANNED_TOTAL} characters; 2 files not searched; narrow path or glob]`,
    );
  });
});
