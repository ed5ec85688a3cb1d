import { describe, expect, it } from 'vitest';
import { normalizeWorkspacePath, workspacePathProblem } from '../../../pipelines/workspace-paths.js';

describe('workspace paths', () => {
  it.each(['data/in.csv', './a/b', 'a/./b/', '.', '', 'dots..in.name'])('accepts %j', (path) => {
    expect(workspacePathProblem(path)).toBeUndefined();
  });

  it.each([
    ['../x', '".."'],
    ['a/../../x', '".."'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['a\\b', 'backslash'],
    ['a\nb', 'control character'],
    ['x'.repeat(901), 'longer than 900 bytes'],
  ])('refuses %j', (path, reason) => {
    expect(workspacePathProblem(path)).toContain(reason);
  });

  it.each([
    ['./reports//q1/', 'reports/q1'],
    ['.', ''],
    ['a/./b', 'a/b'],
  ])('normalizes %j to %j', (path, normalized) => {
    expect(normalizeWorkspacePath(path)).toBe(normalized);
  });
});
