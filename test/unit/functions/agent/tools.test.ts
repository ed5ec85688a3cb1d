import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { AGENT_TOOLS, toolDefinitions } from '../../../../functions/agent/tools.js';
import { AGENT_TOOL_NAMES } from '../../../../pipelines/contract/agent.js';
import { call, memoryWorkspace } from './harness.js';

const SECRET = 'root:x:0:0:secret';

/** A workspace that also holds `etc/passwd`, so a refused path that slipped through would show SECRET. */
function workspaceWithSecret() {
  return memoryWorkspace({ 'src/a.js': 'const a = 1;\n', 'etc/passwd': SECRET });
}

describe('AGENT_TOOLS and toolDefinitions', () => {
  it('implements the six file tools under Claude Code names', () => {
    expect(AGENT_TOOLS).toEqual(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'LS']);
  });

  it('defines the named tools in the order given, each once, leaving out tools this runtime lacks', () => {
    // Act
    const definitions = toolDefinitions(['Grep', 'Bash', 'Read', 'Grep', 'WebFetch']);

    // Assess
    expect(definitions.map((definition) => definition.name)).toEqual(['Grep', 'Read']);
    expect(definitions[1]?.description).toContain('/workspace');
  });

  it("gives each tool an object schema with Claude Code's required fields, and no dialect marker", () => {
    // Act
    const schemas = Object.fromEntries(toolDefinitions(AGENT_TOOLS).map((d) => [d.name, d.inputSchema]));

    // Assess
    expect(schemas).toMatchObject({
      Read: { type: 'object', required: ['file_path'] },
      Write: { type: 'object', required: ['file_path', 'content'] },
      Edit: { type: 'object', required: ['file_path', 'old_string', 'new_string'] },
      Glob: { type: 'object', required: ['pattern'] },
      Grep: { type: 'object', required: ['pattern'] },
      LS: { type: 'object' },
    });
    expect(Object.keys(schemas.Grep?.properties as object)).toEqual([
      'pattern',
      'path',
      'glob',
      'output_mode',
      '-i',
    ]);
    expect(Object.values(schemas).filter((schema) => '$schema' in schema)).toEqual([]);
  });

  const ajv = new Ajv({ strict: true });
  const validators = new Map(toolDefinitions(AGENT_TOOLS).map((d) => [d.name, ajv.compile(d.inputSchema)]));

  it.each([
    ['Read', { file_path: 'src/a.js' }],
    ['Read', { file_path: 'notes.txt', offset: 3, limit: 2 }],
    ['Write', { file_path: 'src/median.js', content: 'a\nb\n' }],
    ['Edit', { file_path: 'src/sum.js', old_string: 'total', new_string: 'sum', replace_all: true }],
    ['Glob', { pattern: '*.js', path: '/workspace/src' }],
    ['Grep', { pattern: '^median', output_mode: 'content', '-i': true }],
    ['Grep', { pattern: 'xs', path: 'src', glob: 'lib/*.js' }],
    ['LS', {}],
    ['LS', { path: 'src' }],
  ])('the %s schema accepts %j, and so does the tool', async (name, input) => {
    // Prepare
    const { files } = memoryWorkspace({
      'src/a.js': 'const a = 1;\n',
      'src/sum.js': 'total total',
      'src/lib/sort.js': 'xs',
      'notes.txt': '1\n2\n3\n4\n',
    });

    // Act
    const result = await call(files, name, input);

    // Assess
    expect(validators.get(name)?.(input)).toBe(true);
    expect(result.errorName).not.toBe('Tool.InvalidInput');
  });

  it.each([
    ['Read', {}, 'file_path'],
    ['Read', { file_path: 'a', offset: '3' }, 'offset'],
    ['Read', { file_path: 'a', limit: 0 }, 'limit'],
    ['Write', { file_path: 'a' }, 'content'],
    ['Edit', { file_path: 'a', old_string: 'x', new_string: 'y', replace_all: 'yes' }, 'replace_all'],
    ['Glob', { pattern: 7 }, 'pattern'],
    ['Grep', { pattern: 'x', output_mode: 'lines' }, 'output_mode'],
    ['LS', { path: ['src'] }, 'path'],
  ])(
    'the %s schema refuses %j, and the tool answers Tool.InvalidInput naming %s',
    async (name, input, field) => {
      // Prepare
      const { files } = memoryWorkspace({ a: 'x' });

      // Act
      const result = await call(files, name, input);

      // Assess
      expect(validators.get(name)?.(input)).toBe(false);
      expect(result).toMatchObject({ isError: true, errorName: 'Tool.InvalidInput' });
      expect(result.content.startsWith(`Tool.InvalidInput: ${field}: `)).toBe(true);
      expect(files.read).not.toHaveBeenCalled();
      expect(files.write).not.toHaveBeenCalled();
    },
  );
});

describe('runToolCall', () => {
  it('returns the call id and tool name with the result', async () => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, 'Read', { file_path: '/workspace/src/a.js' });

    // Assess
    expect(result).toEqual({
      callId: 'call-1',
      name: 'Read',
      content: '     1\tconst a = 1;',
      isError: false,
    });
    expect(files.read).toHaveBeenCalledWith('src/a.js');
  });

  it.each([
    ['Read', { file_path: '../../../../etc/passwd' }],
    ['Read', { file_path: '/etc/passwd' }],
    ['Read', { file_path: '/workspace/../etc/passwd' }],
    ['Read', { file_path: '/workspacefoo/etc/passwd' }],
    ['Read', { file_path: 'src\\..\\..\\etc\\passwd' }],
    ['Read', { file_path: 'C:/etc/passwd' }],
    ['Read', { file_path: 'etc/passwd\u0000.js' }],
    ['Write', { file_path: '../etc/passwd', content: 'x' }],
    ['Edit', { file_path: '/etc/passwd', old_string: 'root', new_string: 'x' }],
    ['Glob', { pattern: '*', path: '/etc' }],
    ['Grep', { pattern: 'root', path: '../../etc' }],
    ['LS', { path: '..' }],
  ])('refuses %s of %j as Tool.OutsideWorkspace without touching the workspace', async (name, input) => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, name, input);

    // Assess
    expect(result).toMatchObject({ isError: true, errorName: 'Tool.OutsideWorkspace' });
    expect(result.content).toMatch(/^Tool\.OutsideWorkspace: ".*" leaves the workspace \((file_path|path): /);
    expect(result.content).not.toContain(SECRET);
    expect(result.content).not.toContain('\u0000');
    expect(result.changedPath).toBeUndefined();
    expect(files.read).not.toHaveBeenCalled();
    expect(files.list).not.toHaveBeenCalled();
    expect(files.write).not.toHaveBeenCalled();
  });

  it('tells the model where absolute paths must lie', async () => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, 'Read', { file_path: '/etc/passwd' });

    // Assess
    expect(result.content).toBe(
      'Tool.OutsideWorkspace: "/etc/passwd" leaves the workspace (file_path: an absolute path must be ' +
        'under /workspace/). Paths are relative to the workspace root (src/a.js) or under /workspace/ ' +
        '(/workspace/src/a.js).',
    );
  });

  it('answers a tool that does not exist with Tool.Unknown listing the tools', async () => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, 'Bash', { command: 'cat /etc/passwd' });

    // Assess
    expect(result).toEqual({
      callId: 'call-1',
      name: 'Bash',
      content:
        'Tool.Unknown: "Bash" is not a tool of this step; its tools are Read, Write, Edit, Glob, Grep, LS',
      isError: true,
      errorName: 'Tool.Unknown',
    });
  });

  it("answers a tool outside the step's allowed tools with Tool.Unknown, and does not run it", async () => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, 'Write', { file_path: 'src/a.js', content: 'x' }, ['Read', 'Grep']);

    // Assess
    expect(result.content).toBe('Tool.Unknown: "Write" is not a tool of this step; its tools are Read, Grep');
    expect(files.write).not.toHaveBeenCalled();
  });

  it('answers an input that is not an object with Tool.InvalidInput', async () => {
    // Prepare
    const { files } = workspaceWithSecret();

    // Act
    const result = await call(files, 'LS', 'src' as unknown as Record<string, unknown>);

    // Assess
    expect(result.content).toBe('Tool.InvalidInput: input: expected object, received string');
  });

  it('throws a failure of the workspace store itself, which the model cannot fix', async () => {
    // Prepare
    const { files } = workspaceWithSecret();
    files.read.mockRejectedValueOnce(new Error('S3 unavailable'));

    // Act
    const result = call(files, 'Read', { file_path: 'src/a.js' });

    // Assess
    await expect(result).rejects.toThrow('S3 unavailable');
  });
});

describe('the tools the runtime implements', () => {
  it('are exactly those the loader lets an agent step list', () => {
    expect([...AGENT_TOOLS]).toEqual([...AGENT_TOOL_NAMES]);
  });
});
