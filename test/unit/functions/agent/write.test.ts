import { describe, expect, it } from 'vitest';
import { call, memoryWorkspace } from './harness.js';

describe('Write', () => {
  it('creates a file and reports the changed path', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace();

    // Act
    const result = await call(files, 'Write', { file_path: 'src/median.js', content: 'a\nb\n' });

    // Assess
    expect(result).toEqual({
      callId: 'call-1',
      name: 'Write',
      content: 'Created src/median.js (2 lines).',
      isError: false,
      changedPath: 'src/median.js',
    });
    expect(contents.get('src/median.js')).toBe('a\nb\n');
  });

  it('replaces the whole content of a file that exists', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/median.js': 'old\n' });

    // Act
    const result = await call(files, 'Write', { file_path: 'src/median.js', content: 'new\n' });

    // Assess
    expect(result).toMatchObject({
      content: 'Replaced src/median.js (1 line).',
      changedPath: 'src/median.js',
    });
    expect(contents.get('src/median.js')).toBe('new\n');
  });

  it('reports no change, and no changed path, when the file already holds the content', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/median.js': 'same\n' });

    // Act
    const result = await call(files, 'Write', { file_path: 'src/median.js', content: 'same\n' });

    // Assess
    expect(result).toMatchObject({
      content: 'src/median.js already holds this content; nothing changed.',
      isError: false,
    });
    expect(result.changedPath).toBeUndefined();
    expect(files.write).not.toHaveBeenCalled();
  });

  it.each([
    ['where a folder is', 'src', 'File.InvalidPath: file_path: src is a folder; write a file inside it'],
    [
      'under a file',
      'src/a.js/b.js',
      'File.InvalidPath: file_path: src/a.js is a file, so src/a.js/b.js cannot be created',
    ],
  ])('refuses to create a file %s', async (_case, file_path, content) => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/a.js': 'a' });

    // Act
    const result = await call(files, 'Write', { file_path, content: 'x' });

    // Assess
    expect(result).toMatchObject({ content, isError: true, errorName: 'File.InvalidPath' });
    expect(files.write).not.toHaveBeenCalled();
  });

  it('refuses the workspace root as a file path', async () => {
    // Prepare
    const { files } = memoryWorkspace();

    // Act
    const result = await call(files, 'Write', { file_path: '/workspace/', content: 'x' });

    // Assess
    expect(result.content).toBe('Tool.InvalidInput: file_path: names the workspace root, not a file');
    expect(files.write).not.toHaveBeenCalled();
  });
});
