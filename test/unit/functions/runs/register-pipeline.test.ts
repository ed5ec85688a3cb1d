import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type RegistrationDeps, registerPipeline } from '../../../../functions/runs/register-pipeline.js';
import {
  registeredStateMachineName,
  shippedStateMachineName,
} from '../../../../functions/runs/state-machine-names.js';
import { MemoryArtifactStore } from '../../../../functions/stores/memory-artifact-store.js';
import { MemoryRunStore } from '../../../../functions/stores/memory-run-store.js';
import { RecordingEngine } from '../../../support/recording-engine.js';

/** A shipped example under another name: `chain` and `hello` compile to different state machines. */
async function exampleYaml(example: 'chain' | 'hello', name: string): Promise<string> {
  const yaml = await readFile(`pipelines/examples/${example}.yaml`, 'utf8');
  return yaml.replace(`name: ${example}`, `name: ${name}`);
}

/** The definition acme-api-x's stack deployed its chain with. */
const THEIRS = { Comment: "acme-api-x's chain", StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };

function registrationDeps(stateMachineName = registeredStateMachineName) {
  const engine = new RecordingEngine();
  const runs = new MemoryRunStore();
  const artifacts = new MemoryArtifactStore('artifacts');
  const deps: RegistrationDeps = {
    runs,
    artifacts,
    engine,
    now: () => new Date('2026-01-01T00:00:00Z'),
    stateMachineName,
  };
  return { deps, engine, runs, artifacts };
}

describe('registerPipeline', () => {
  it("never lets acme's pipelines reach a machine of tenant acme-api-x", async () => {
    // Prepare: acme-api-x's stack deployed its chain, and acme-api-x registered a chain of its own
    const { deps, engine } = registrationDeps();
    const source = await exampleYaml('chain', 'chain');
    await engine.deployStateMachine(shippedStateMachineName('acme-api-x', 'chain'), THEIRS);
    await registerPipeline({ tenantId: 'acme-api-x', name: 'chain', source }, deps);
    const theirs = new Map(engine.machines);
    const before = engine.deployed.length;

    // Act: acme registers the names that, joined with `-`, spell those machines; then updates them
    for (const name of ['x-chain', 'x-api-chain']) {
      const yaml = await exampleYaml('hello', name);
      await registerPipeline({ tenantId: 'acme', name, source: yaml }, deps);
      await registerPipeline({ tenantId: 'acme', name, source: yaml.replace('Say hello', 'Greet') }, deps);
    }

    // Assess: acme deployed 4 times to machines of its own; acme-api-x's are as they were
    const touched = engine.deployed.slice(before).map((call) => call.name);
    expect(touched).toHaveLength(4);
    expect(touched.every((name) => name.startsWith('elexirion-acme_api_'))).toBe(true);
    for (const [arn, definition] of theirs) expect(engine.machines.get(arn)).toEqual(definition);
  });

  it('refuses to update a machine of the same name that no registry record of the tenant names', async () => {
    // Prepare: a naming that collides (as a `-`-joined one did), and acme-api-x's machine under it
    const { deps, engine, runs, artifacts } = registrationDeps(() => 'elexirion-shared');
    await registerPipeline(
      { tenantId: 'acme-api-x', name: 'chain', source: await exampleYaml('chain', 'chain') },
      deps,
    );
    const theirs = (await runs.getPipeline('acme-api-x', 'chain'))?.stateMachine as string;
    const theirDefinition = engine.machines.get(theirs);

    // Act
    const registering = registerPipeline(
      { tenantId: 'acme', name: 'chain', source: await exampleYaml('hello', 'chain') },
      deps,
    );

    // Assess: refused, their machine unchanged, and nothing stored or recorded for acme
    await expect(registering).rejects.toMatchObject({
      name: 'RequestError',
      code: 'STATE_MACHINE_CONFLICT',
      message: expect.stringContaining('elexirion-shared'),
    });
    expect(engine.machines.get(theirs)).toEqual(theirDefinition);
    expect(await runs.getPipeline('acme', 'chain')).toBeUndefined();
    expect(await artifacts.list('tenants/acme/')).toEqual([]);
  });

  it('updates the machine its own registry record names', async () => {
    // Prepare
    const { deps, engine, runs } = registrationDeps();
    await registerPipeline(
      { tenantId: 'acme', name: 'chain', source: await exampleYaml('chain', 'chain') },
      deps,
    );
    const ours = (await runs.getPipeline('acme', 'chain'))?.stateMachine;

    // Act: the same name, now with hello's steps
    const updated = await registerPipeline(
      { tenantId: 'acme', name: 'chain', source: await exampleYaml('hello', 'chain') },
      deps,
    );

    // Assess
    expect(updated.created).toBe(false);
    expect(engine.deployed.map((call) => call.replaces)).toEqual([undefined, ours]);
    expect((await runs.getPipeline('acme', 'chain'))?.stateMachine).toBe(ours);
  });
});

describe('registerPipeline of a nested pipeline', () => {
  const nested = (config: string) =>
    [
      'workflow:',
      '  name: outer',
      '  steps:',
      '    - name: inner',
      '      type: pipeline',
      `      ${config}`,
      '      pipeline:',
      '        name: child',
      '        steps:',
      '          - {name: echo, type: test_echo, value: hi}',
      '',
    ].join('\n');

  it('refuses a child execution, which only a stack deploys, and writes nothing', async () => {
    const { deps, engine, runs, artifacts } = registrationDeps();

    const registering = registerPipeline({ tenantId: 'acme', name: 'outer', source: nested('') }, deps);

    await expect(registering).rejects.toMatchObject({
      code: 'INVALID_PIPELINE',
      details: [{ field: 'step inner', message: expect.stringContaining('config: {inline: true}') }],
    });
    expect(engine.deployed).toEqual([]);
    expect(await runs.getPipeline('acme', 'outer')).toBeUndefined();
    expect(await artifacts.list('')).toEqual([]);
  });

  it('registers the same pipeline inlined', async () => {
    const { deps } = registrationDeps();

    const registration = await registerPipeline(
      { tenantId: 'acme', name: 'outer', source: nested('config: {inline: true}') },
      deps,
    );

    expect(registration.created).toBe(true);
  });
});

describe('registerPipeline of a pipeline with a test step', () => {
  it('refuses it, since its test runner comes with a stack deployment, and writes nothing', async () => {
    // Prepare
    const { deps, engine, runs, artifacts } = registrationDeps();
    const source = [
      'workflow:',
      '  name: checked',
      '  steps:',
      '    - {name: verify, type: test, command: npm test}',
      '',
    ];

    // Act
    const registering = registerPipeline(
      { tenantId: 'acme', name: 'checked', source: source.join('\n') },
      deps,
    );

    // Assess
    await expect(registering).rejects.toMatchObject({
      code: 'INVALID_PIPELINE',
      details: [{ field: 'step verify', message: expect.stringContaining('elexirion run --repo DIR') }],
    });
    expect(engine.deployed).toEqual([]);
    expect(await runs.getPipeline('acme', 'checked')).toBeUndefined();
    expect(await artifacts.list('')).toEqual([]);
  });
});
