import type { WorkspaceFiles } from '../../functions/ports/workspace-files.js';

/** A node:test project with one passing and one failing test file, run by `npm test`. */
export const NODE_TEST_PROJECT: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, scripts: { test: 'node --test' } }),
  'test/adds.test.mjs': [
    "import test from 'node:test';",
    "import assert from 'node:assert/strict';",
    "test('adds', () => assert.equal(1 + 1, 2));",
  ].join('\n'),
  'test/median.test.mjs': [
    "import test from 'node:test';",
    "import assert from 'node:assert/strict';",
    "test('takes the median', () => assert.equal([1, 2, 3].sort()[1], 3));",
  ].join('\n'),
};

/** A run's files held in memory (a copy of `tree`), as the change set over a workspace gives them. */
export function memoryFiles(tree: Readonly<Record<string, string>>): WorkspaceFiles {
  const files: Record<string, string> = { ...tree };
  return {
    read: async (path) => files[path],
    write: async (path, content) => {
      files[path] = content;
    },
    list: async () => Object.keys(files).sort(),
  };
}
