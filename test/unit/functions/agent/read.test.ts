import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMIT } from '../../../../functions/agent/tools/read.js';
import { MAX_LINE_LENGTH } from '../../../../functions/agent/tools/text.js';
import { call, memoryWorkspace } from './harness.js';

/** `count` lines `line 1` … `line count`, each ending in a newline. */
function numberedLines(count: number): string {
  return Array.from({ length: count }, (_, i) => `line ${i + 1}\n`).join('');
}

describe('Read', () => {
  it('numbers every line as cat -n does: the number right-aligned in six columns, then a tab', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/a.js': 'const a = 1;\r\nconst b = 2;\n' });

    // Act
    const result = await call(files, 'Read', { file_path: 'src/a.js' });

    // Assess
    expect(result).toEqual({
      callId: 'call-1',
      name: 'Read',
      content: '     1\tconst a = 1;\n     2\tconst b = 2;',
      isError: false,
    });
  });

  it('reads limit lines from the 1-based offset, numbered as in the file, and says where to read on', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'notes.txt': numberedLines(10) });

    // Act
    const result = await call(files, 'Read', { file_path: 'notes.txt', offset: 3, limit: 2 });

    // Assess
    expect(result.content.split('\n')).toEqual([
      '     3\tline 3',
      '     4\tline 4',
      '[lines 3–4 of 10 shown; read on with offset 5]',
    ]);
  });

  it('reads offset 0 as the first line, as Claude Code does', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'notes.txt': numberedLines(3) });

    // Act
    const result = await call(files, 'Read', { file_path: 'notes.txt', offset: 0, limit: 1 });

    // Assess
    expect(result.content.split('\n')[0]).toBe('     1\tline 1');
  });

  it(`stops at ${DEFAULT_READ_LIMIT} lines without a limit`, async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'big.txt': numberedLines(DEFAULT_READ_LIMIT + 500) });

    // Act
    const lines = (await call(files, 'Read', { file_path: 'big.txt' })).content.split('\n');

    // Assess
    expect(lines).toHaveLength(DEFAULT_READ_LIMIT + 1);
    expect(lines[DEFAULT_READ_LIMIT - 1]).toBe(`  ${DEFAULT_READ_LIMIT}\tline ${DEFAULT_READ_LIMIT}`);
    expect(lines.at(-1)).toBe(`[lines 1–2000 of 2500 shown; read on with offset 2001]`);
  });

  it('cuts a long line and says how long it was', async () => {
    // Prepare
    const long = 'x'.repeat(MAX_LINE_LENGTH + 10);
    const { files } = memoryWorkspace({ 'min.js': `${long}\n` });

    // Act
    const result = await call(files, 'Read', { file_path: 'min.js' });

    // Assess
    expect(result.content).toBe(
      `     1\t${'x'.repeat(MAX_LINE_LENGTH)}… [line cut at ${MAX_LINE_LENGTH} of ${long.length} characters]`,
    );
  });

  it('says an empty file is empty', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'empty.txt': '' });

    // Act
    const result = await call(files, 'Read', { file_path: 'empty.txt' });

    // Assess
    expect(result).toMatchObject({ content: '[empty.txt is empty]', isError: false });
  });

  it('answers a missing file with File.NotFound', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/a.js': 'a' });

    // Act
    const result = await call(files, 'Read', { file_path: 'src/b.js' });

    // Assess
    expect(result).toMatchObject({
      content: 'File.NotFound: src/b.js does not exist in the workspace',
      isError: true,
      errorName: 'File.NotFound',
    });
  });

  it('points at LS when the path is a folder', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/a.js': 'a' });

    // Act
    const result = await call(files, 'Read', { file_path: 'src' });

    // Assess
    expect(result.content).toBe('File.NotFound: src is a folder, not a file; list it with LS');
  });

  it('refuses an offset past the end, naming the field and the length', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'notes.txt': numberedLines(3) });

    // Act
    const result = await call(files, 'Read', { file_path: 'notes.txt', offset: 4 });

    // Assess
    expect(result).toMatchObject({
      content: 'Tool.InvalidInput: offset: 4 is past the end of notes.txt, which has 3 lines',
      isError: true,
    });
  });
});
