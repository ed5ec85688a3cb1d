import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DeployedPipelineCatalog } from '../../../../functions/catalog/deployed-catalog.js';
import { FilePipelineCatalog } from '../../../../functions/catalog/file-catalog.js';
import { layeredCatalog } from '../../../../functions/catalog/layered-catalog.js';
import { PipelineFiles } from '../../../../functions/catalog/pipeline-files.js';
import type { PipelineCatalog } from '../../../../functions/ports/pipeline-catalog.js';
import type { SpecBundle } from '../../../../pipelines/contract/spec-bundle.js';

const machineOf = async (tenantId: string, pipeline: string) =>
  `arn:…:stateMachine:elexirion-${tenantId}-${pipeline}`;

describe('FilePipelineCatalog', () => {
  it('serves the pipelines under a folder, rebuilding a file when it changes and skipping one that does not build', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'elexirion-catalog-'));
    await cp(resolve('pipelines/examples/chain.yaml'), join(dir, 'nested', 'chain.yaml'), {
      recursive: true,
    });
    await writeFile(join(dir, 'broken.yaml'), 'workflow:\n  name: broken\n');
    const invalid = vi.fn();
    const catalog = new FilePipelineCatalog(new PipelineFiles(dir, invalid), machineOf);
    const before = await catalog.get('acme', 'chain');

    // Act
    const source = await readFile(join(dir, 'nested', 'chain.yaml'), 'utf8');
    await writeFile(
      join(dir, 'nested', 'chain.yaml'),
      `${source}\n# edited\n`.replace('five-point', 'six-point'),
    );
    const after = await catalog.get('acme', 'chain');

    // Assess
    expect((await catalog.list('acme')).map((p) => p.name)).toEqual(['chain']);
    expect(before).toMatchObject({
      source: 'shipped',
      stateMachine: 'arn:…:stateMachine:elexirion-acme-chain',
    });
    expect(after?.bundle.hash).not.toBe(before?.bundle.hash);
    expect(await catalog.get('acme', 'broken')).toBeUndefined();
    expect(invalid).toHaveBeenCalledExactlyOnceWith(
      join(dir, 'broken.yaml'),
      expect.objectContaining({ ok: false }),
    );
  });

  it('leaves out mock scripts: folders named mocks and files named *.mock.yaml are not pipelines', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'elexirion-catalog-'));
    await cp(resolve('pipelines/examples/chain.yaml'), join(dir, 'chain.yaml'));
    await cp(resolve('pipelines/examples/hello.yaml'), join(dir, 'mocks', 'hello.yaml'), { recursive: true });
    await writeFile(join(dir, 'mocks', 'chain.mock.yaml'), 'outline:\n  - an outline\n');
    await writeFile(join(dir, 'review.mock.yaml'), 'review:\n  - $error: overloaded\n');
    const invalid = vi.fn();

    // Act
    const listed = await new FilePipelineCatalog(new PipelineFiles(dir, invalid), machineOf).list('acme');

    // Assess
    expect(listed.map((p) => p.name)).toEqual(['chain']);
    expect(invalid).not.toHaveBeenCalled();
  });

  it('serves every shipped pipeline under pipelines/ (what `elexirion dev` serves) and skips no file', async () => {
    // Prepare
    const invalid = vi.fn();
    const catalog = new FilePipelineCatalog(new PipelineFiles(resolve('pipelines'), invalid), machineOf);

    // Act
    const names = (await catalog.list('acme')).map((p) => p.name);

    // Assess
    expect(names).toEqual(expect.arrayContaining(['chain', 'robust_review', 'support_triage']));
    expect(invalid).not.toHaveBeenCalled();
  });

  it('serves nothing from a folder that does not exist', async () => {
    const catalog = new FilePipelineCatalog(new PipelineFiles('/no/such/folder'), machineOf);

    expect(await catalog.list('acme')).toEqual([]);
  });
});

describe('DeployedPipelineCatalog', () => {
  const bundle: SpecBundle = { pipeline: 'chain', hash: 'h', inputs: {}, steps: {}, stateBytes: 1024 };
  const catalog = new DeployedPipelineCatalog(
    'acme',
    { chain: { stateMachine: 'arn:sm:chain', bundleKey: 'tenants/acme/specs/chain/h.json' } },
    async () => bundle,
  );

  it("serves the stack's pipelines to the stack's tenant only", async () => {
    expect(await catalog.get('acme', 'chain')).toMatchObject({
      stateMachine: 'arn:sm:chain',
      bundle,
      source: 'shipped',
    });
    expect(await catalog.get('other', 'chain')).toBeUndefined();
    expect(await catalog.list('other')).toEqual([]);
    expect((await catalog.list('acme')).map((p) => p.name)).toEqual(['chain']);
  });
});

describe('layeredCatalog', () => {
  /** A catalog holding the given names, each tagged with the catalog's label. */
  function holding(label: string, names: string[]): PipelineCatalog {
    const entry = (name: string) => ({
      name,
      inputs: {},
      steps: [],
      source: 'shipped' as const,
      description: label,
    });
    return {
      get: async (_, name) =>
        names.includes(name)
          ? {
              ...entry(name),
              bundle: { pipeline: name, hash: label, inputs: {}, steps: {}, stateBytes: 1024 },
              stateMachine: label,
            }
          : undefined,
      list: async () => names.map(entry),
    };
  }

  it('resolves a name in the first catalog that has it, and lists each name once, sorted', async () => {
    // Prepare
    const catalog = layeredCatalog([holding('registered', ['b', 'x']), holding('shipped', ['x', 'a'])]);

    // Act
    const listed = await catalog.list('acme');

    // Assess
    expect(listed.map((p) => [p.name, p.description])).toEqual([
      ['a', 'shipped'],
      ['b', 'registered'],
      ['x', 'registered'],
    ]);
    expect((await catalog.get('acme', 'x'))?.stateMachine).toBe('registered');
    expect(await catalog.get('acme', 'zzz')).toBeUndefined();
  });
});
