import { describe, expect, it } from 'vitest';
import { load, located } from '../../conformance/harness.js';

const step = (path: string) => [
  'workflow:',
  '  name: wf',
  '  inputs: {module: {type: string}}',
  '  steps:',
  '    - name: review',
  '      type: claude',
  `      prompt: [{type: workspace_file, path: "${path}"}]`,
];

describe('workspace_file prompt parts at load time', () => {
  it('loads a literal path and a templated one', async () => {
    // Prepare
    const literal = step('src/median.ts');
    const templated = step('src/{{inputs.module}}.ts');

    // Act
    const results = await Promise.all([load(literal), load(templated)]);

    // Assess
    expect(results.map((result) => result.issues)).toEqual([[], []]);
    expect(results[1]?.pipeline?.workflow.steps[0]).toMatchObject({
      prompt: [{ type: 'workspace_file', path: 'src/{{inputs.module}}.ts' }],
    });
  });

  it('refuses a literal path that leaves the workspace, located at the path value', async () => {
    // Prepare
    const up = step('../x');
    const absolute = step('/etc/passwd');

    // Act
    const results = await Promise.all([load(up), load(absolute)]);

    // Assess
    expect(results.map(located)).toEqual([['INVALID_VALUE@7:45'], ['INVALID_VALUE@7:45']]);
    expect(results[0]?.issues[0]?.message).toContain('".."');
    expect(results[1]?.issues[0]?.message).toContain('absolute');
  });

  it('checks the references of a templated path like any template', async () => {
    // Prepare
    const lines = step('src/{{inputs.missing}}.ts');

    // Act
    const result = await load(lines);

    // Assess
    expect(result.issues.map((issue) => issue.code)).toEqual(['UNKNOWN_REFERENCE']);
  });

  it('needs a path', async () => {
    // Prepare
    const lines = [...step('x').slice(0, -1), '      prompt: [{type: workspace_file}]'];

    // Act
    const result = await load(lines);

    // Assess
    expect(result.pipeline).toBeUndefined();
    expect(result.issues.map((issue) => issue.code)).toEqual(['MISSING_FIELD']);
  });
});
