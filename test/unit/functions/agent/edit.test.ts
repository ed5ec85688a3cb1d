import { describe, expect, it } from 'vitest';
import { call, memoryWorkspace } from './harness.js';

const SOURCE = 'let total = 0;\nfor (const x of xs) total += x;\nreturn total;\n';

describe('Edit', () => {
  it('replaces the one occurrence of old_string and reports the changed path', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/sum.js',
      old_string: 'return total;',
      new_string: 'return total / xs.length;',
    });

    // Assess
    expect(result).toMatchObject({
      content: 'Edited src/sum.js: replaced 1 occurrence.',
      isError: false,
      changedPath: 'src/sum.js',
    });
    expect(contents.get('src/sum.js')).toBe(SOURCE.replace('return total;', 'return total / xs.length;'));
  });

  it('refuses an old_string found more than once without replace_all, naming the count', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/sum.js',
      old_string: 'total',
      new_string: 'sum',
    });

    // Assess
    expect(result.isError).toBe(true);
    expect(result.errorName).toBe('Tool.InvalidInput');
    expect(result.content).toMatch(
      /^Tool\.InvalidInput: old_string: found 3 matches in src\/sum\.js, but replace_all is false/,
    );
    expect(contents.get('src/sum.js')).toBe(SOURCE);
    expect(files.write).not.toHaveBeenCalled();
  });

  it('replaces every occurrence with replace_all', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/sum.js',
      old_string: 'total',
      new_string: 'sum',
      replace_all: true,
    });

    // Assess
    expect(result).toMatchObject({
      content: 'Edited src/sum.js: replaced 3 occurrences.',
      changedPath: 'src/sum.js',
    });
    expect(contents.get('src/sum.js')).toBe(SOURCE.replaceAll('total', 'sum'));
  });

  it('writes $& and $1 in new_string as text, not as replacement patterns', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'price.js': 'const price = 0;\n' });

    // Act
    await call(files, 'Edit', { file_path: 'price.js', old_string: '0', new_string: "'$&$1'" });

    // Assess
    expect(contents.get('price.js')).toBe("const price = '$&$1';\n");
  });

  it('refuses an old_string that is not in the file and leaves it unchanged', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/sum.js',
      old_string: 'average',
      new_string: 'x',
    });

    // Assess
    expect(result).toMatchObject({ isError: true, errorName: 'Tool.InvalidInput' });
    expect(result.content).toMatch(/^Tool\.InvalidInput: old_string: not found in src\/sum\.js/);
    expect(result.changedPath).toBeUndefined();
    expect(contents.get('src/sum.js')).toBe(SOURCE);
  });

  it('refuses an old_string equal to new_string', async () => {
    // Prepare
    const { files } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/sum.js',
      old_string: 'total',
      new_string: 'total',
    });

    // Assess
    expect(result.content).toBe(
      'Tool.InvalidInput: new_string: is the same as old_string; nothing would change',
    );
    expect(files.write).not.toHaveBeenCalled();
  });

  it('answers an edit of a missing file with File.NotFound', async () => {
    // Prepare
    const { files } = memoryWorkspace();

    // Act
    const result = await call(files, 'Edit', { file_path: 'src/sum.js', old_string: 'a', new_string: 'b' });

    // Assess
    expect(result).toMatchObject({ errorName: 'File.NotFound', isError: true });
  });

  it('creates a missing file when old_string is empty, as Claude Code does', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace();

    // Act
    const result = await call(files, 'Edit', {
      file_path: 'src/new.js',
      old_string: '',
      new_string: 'export {};\n',
    });

    // Assess
    expect(result).toMatchObject({
      content: 'Created src/new.js.',
      changedPath: 'src/new.js',
      isError: false,
    });
    expect(contents.get('src/new.js')).toBe('export {};\n');
  });

  it('refuses an empty old_string for a file that exists', async () => {
    // Prepare
    const { files, contents } = memoryWorkspace({ 'src/sum.js': SOURCE });

    // Act
    const result = await call(files, 'Edit', { file_path: 'src/sum.js', old_string: '', new_string: 'x' });

    // Assess
    expect(result.content).toMatch(
      /^Tool\.InvalidInput: old_string: is empty, which creates a file, but src\/sum\.js exists/,
    );
    expect(contents.get('src/sum.js')).toBe(SOURCE);
  });
});
