import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '../../functions/stores/s3-artifact-store.js';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { loadPipeline } from '../../pipelines/loader.js';
import { located, runFile, writeFixtures } from './data-harness.js';

/**
 * `file_ops` (reference §5.12) on S3: every path is relative to the tenant's workspace
 * (`tenants/{tenant}/workspace/`) and cannot leave it; copy, move, delete, validate, list and
 * convert run on the step runner and store what they did as the step's result.
 */

const CSV = 'name,city\nAda,"Zürich, CH"\nBob,Oslo\n';

let stack: LocalStack;
let store: S3ArtifactStore;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
  store = new S3ArtifactStore(stack.clients.s3, stack.bucket);
});
afterAll(async () => {
  await stack.stop();
});

/** A tenant of its own, with `files` in its workspace. */
async function tenantWith(files: Readonly<Record<string, string>>): Promise<string> {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  for (const [path, text] of Object.entries(files)) {
    await store.putText(`tenants/${tenantId}/workspace/${path}`, text, 'text/plain');
  }
  return tenantId;
}

function step(name: string, fields: readonly string[]): string[] {
  return [`    - name: ${name}`, '      type: file_ops', ...fields.map((field) => `      ${field}`)];
}

describe('file_ops', () => {
  it('validates, converts, copies, moves, lists and deletes inside the workspace', async () => {
    // Prepare
    const tenantId = await tenantWith({ 'in/people.csv': CSV });
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: files',
        '  inputs:',
        '    name: {type: string, default: people}',
        '  steps:',
        ...step('check', [
          'operation: validate',
          'files:',
          '  - {path: "in/{{inputs.name}}.csv", must_be_file: true, min_size: 10, max_size: 1000}',
          '  - {path: in, must_be_dir: true}',
          '  - {path: out/nothing.txt, must_exist: false}',
        ]),
        ...step('to_json', [
          'operation: convert',
          'source: "in/{{inputs.name}}.csv"',
          'destination: out/people.json',
          'format: csv_to_json',
        ]),
        ...step('to_yaml', [
          'operation: convert',
          'source: out/people.json',
          'destination: out/people.yaml',
          'format: json_to_yaml',
        ]),
        ...step('back', [
          'operation: convert',
          'source: out/people.yaml',
          'destination: out/again.json',
          'format: yaml_to_json',
        ]),
        ...step('to_csv', [
          'operation: convert',
          'source: out/again.json',
          'destination: out/people.csv',
          'format: json_to_csv',
        ]),
        ...step('keep', [
          'operation: copy',
          'source: ./out//people.yaml',
          'destination: archive/people.yaml',
        ]),
        ...step('file', [
          'operation: move',
          'source: archive/people.yaml',
          'destination: archive/2026/people.yaml',
        ]),
        ...step('listing', ['operation: list', 'path: .', 'pattern: "**/*.{json,yaml}"']),
        ...step('top', ['operation: list', 'path: out']),
        ...step('clean', ['operation: delete', 'path: archive']),
      ],
    });

    // Act
    const { run, result, calls } = await runFile(stack, join(dir, 'p.yaml'), { tenantId });

    // Assess: every step ran on the step runner, once
    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toEqual([
      'check',
      'to_json',
      'to_yaml',
      'back',
      'to_csv',
      'keep',
      'file',
      'listing',
      'top',
      'clean',
    ]);
    // Assess: results
    expect(await result('check')).toEqual({
      operation: 'validate',
      valid: true,
      files: [
        { path: 'in/people.csv', exists: true, is_file: true, is_dir: false, size: Buffer.byteLength(CSV) },
        { path: 'in', exists: true, is_file: false, is_dir: true, size: null },
        { path: 'out/nothing.txt', exists: false, is_file: false, is_dir: false, size: null },
      ],
    });
    expect(await result('to_json')).toMatchObject({
      operation: 'convert',
      source: 'in/people.csv',
      destination: 'out/people.json',
      format: 'csv_to_json',
    });
    expect(await result('keep')).toEqual({
      operation: 'copy',
      source: 'out/people.yaml',
      destination: 'archive/people.yaml',
    });
    expect(await result('listing')).toEqual({
      operation: 'list',
      path: '',
      pattern: '**/*.{json,yaml}',
      files: ['archive/2026/people.yaml', 'out/again.json', 'out/people.json', 'out/people.yaml'],
      count: 4,
    });
    expect(await result('top')).toMatchObject({
      pattern: '*',
      files: ['again.json', 'people.csv', 'people.json', 'people.yaml'],
    });
    expect(await result('clean')).toEqual({ operation: 'delete', path: 'archive', deleted: 1 });
    // Assess: what is in S3 now, under the tenant's workspace only
    const workspace = `tenants/${tenantId}/workspace/`;
    expect(JSON.parse(await store.getText(`${workspace}out/people.json`))).toEqual([
      { name: 'Ada', city: 'Zürich, CH' },
      { name: 'Bob', city: 'Oslo' },
    ]);
    expect(await store.getText(`${workspace}out/people.yaml`)).toBe(
      '- name: Ada\n  city: Zürich, CH\n- name: Bob\n  city: Oslo\n',
    );
    expect(await store.getText(`${workspace}out/people.csv`)).toBe(CSV);
    expect((await store.list(workspace)).map((key) => key.slice(workspace.length))).toEqual([
      'in/people.csv',
      'out/again.json',
      'out/people.csv',
      'out/people.json',
      'out/people.yaml',
    ]);
  });

  it.each([
    [
      'a failed validation, every failure listed',
      [
        'operation: validate',
        'files:',
        '  - {path: in/a.txt, min_size: 100}',
        '  - {path: in/none.txt}',
        '  - {path: in, must_be_file: true}',
      ],
      'File.ValidationFailed',
      'in/a.txt is 5 bytes (min_size 100); in/none.txt does not exist; in is not a file',
    ],
    [
      'a copy of a missing file',
      ['operation: copy', 'source: in/none.txt', 'destination: x.txt'],
      'File.NotFound',
      'no file at in/none.txt',
    ],
    ['a delete of nothing', ['operation: delete', 'path: gone'], 'File.NotFound', 'nothing at gone'],
    [
      'a path a template sent outside',
      ['operation: copy', 'source: "{{inputs.where}}/a.txt"', 'destination: b.txt'],
      'File.InvalidPath',
      'contains ".."',
    ],
    [
      'content that does not parse',
      ['operation: convert', 'source: in/a.txt', 'destination: a.json', 'format: json_to_yaml'],
      'File.InvalidContent',
      'the JSON does not parse',
    ],
  ])('fails on %s with a named error', async (_case, fields, name, message) => {
    // Prepare
    const tenantId = await tenantWith({ 'in/a.txt': 'hello' });
    const dir = await writeFixtures({
      'p.yaml': [
        'workflow:',
        '  name: failing',
        '  inputs: {where: {type: string, default: ../in}}',
        '  steps:',
        ...step('op', fields),
      ],
    });

    // Act
    const { run, calls } = await runFile(stack, join(dir, 'p.yaml'), { tenantId });

    // Assess: failed once (permanent errors are not retried)
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe(name);
    expect(run.error?.message).toContain(message);
    expect(calls).toEqual(['op']);
  });

  it.each([
    [
      'a path with ..',
      ['operation: copy', 'source: ../secrets.txt', 'destination: a.txt'],
      'INVALID_VALUE@7:15',
    ],
    ['an absolute path', ['operation: delete', 'path: /etc/passwd'], 'INVALID_VALUE@7:13'],
    ['stream_copy', ['operation: stream_copy', 'source: a', 'destination: b'], 'INVALID_VALUE@6:18'],
    [
      'an XML conversion',
      ['operation: convert', 'source: a', 'destination: b', 'format: json_to_xml'],
      'INVALID_VALUE@9:15',
    ],
    [
      'a field the operation does not read',
      ['operation: delete', 'path: a', 'source: b'],
      'INVALID_VALUE@8:15',
    ],
    ['an unknown field', ['operation: delete', 'path: a', 'recursive: true'], 'UNKNOWN_FIELD@8:7'],
  ])('rejects %s at load time', async (_case, fields, at) => {
    // Prepare
    const dir = await writeFixtures({
      'p.yaml': ['workflow:', '  name: bad_files', '  steps:', ...step('op', fields)],
    });

    // Act
    const result = await loadPipeline(join(dir, 'p.yaml'));

    // Assess
    expect(located(result)).toEqual([at]);
  });
});
