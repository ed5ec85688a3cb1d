import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTenantsFile, TenantConfigError, tenantsFromContext } from '../../infra/tenant-config.js';

/** Writes `text` as a tenants file in a fresh folder and returns its path. */
function tenantsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'elexirion-tenants-')), 'tenants.yaml');
  writeFileSync(file, text);
  return file;
}

describe('tenant configuration', () => {
  it('reads the shipped tenants file with defaults filled in', () => {
    // WHEN the repository's tenants file is read
    const tenants = readTenantsFile('infra/tenants.yaml', 'pipelines');
    // THEN both tenants are there, globex with the default API throttling
    expect(tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
    expect(tenants[1]).toEqual({
      id: 'globex',
      pipelines: ['examples/hello.yaml'],
      provider: { mode: 'mock' },
      budget: { monthlyUsd: 50 },
      api: { rateLimit: 10, burstLimit: 20 },
    });
  });

  it('names the file, line, column and field of every problem at once', () => {
    // GIVEN a file with an upper-case id and a misspelt field
    const file = tenantsFile('tenants:\n  - id: Acme\n    budjet: {monthlyUsd: 5}\n');
    // WHEN it is read
    const error = (() => {
      try {
        readTenantsFile(file, 'pipelines');
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    // THEN one error lists each problem where it is
    expect(error).toBeInstanceOf(TenantConfigError);
    const lines = String((error as Error).message).split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}:2:9: tenants\\[0\\]\\.id: "Acme" is not lowercase`)),
    );
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${file}:2:5: tenants\\[0\\]: .*budjet`)));
  });

  it('checks pipeline paths and duplicate ids once the shape is right', () => {
    const file = tenantsFile(
      'tenants:\n  - id: beta\n    pipelines: [examples/nope.yaml, ../README.md]\n  - id: beta\n',
    );
    expect(() => readTenantsFile(file, 'pipelines')).toThrow(
      new RegExp(
        `${file}:3:17: tenants\\[0\\]\\.pipelines\\[0\\]: pipelines/examples/nope\\.yaml does not exist\\n` +
          `${file}:3:37: tenants\\[0\\]\\.pipelines\\[1\\]: "\\.\\./README\\.md" must be a path inside pipelines/.*\\n` +
          `${file}:4:9: tenants\\[1\\]\\.id: tenant "beta" is listed twice`,
      ),
    );
  });

  it('takes -c tenants=a,b as that list, each deploying every example pipeline (not its mock scripts)', () => {
    // GIVEN the shipped examples
    const examples = readdirSync('pipelines/examples')
      .filter((name) => name.endsWith('.yaml') && !name.endsWith('.mock.yaml'))
      .sort()
      .map((name) => `examples/${name}`);
    // report.yaml, whose nested pipeline runs as a child state machine, among them
    expect(examples).toEqual(
      expect.arrayContaining(['examples/chain.yaml', 'examples/hello.yaml', 'examples/report.yaml']),
    );
    // WHEN the context names two tenants
    const tenants = tenantsFromContext('acme,globex', 'pipelines');
    // THEN each gets them all, with the default provider mode
    expect(tenants.map((t) => [t.id, t.pipelines, t.provider.mode])).toEqual([
      ['acme', examples, 'auto'],
      ['globex', examples, 'auto'],
    ]);
  });

  it.each([['Acme'], ['a'], ['9lives'], ['acme_corp'], ['x'.repeat(21)]])(
    'rejects the tenant id %s',
    (id) => {
      expect(() => tenantsFromContext(`ok,${id}`, 'pipelines')).toThrow(
        /^context tenants\[1\]: ".*" is not lowercase letters/,
      );
    },
  );
});
