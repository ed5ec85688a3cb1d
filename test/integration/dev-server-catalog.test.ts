import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockProvider } from '../../functions/providers/mock-provider.js';
import { startDevServer } from '../../local/dev-server.js';

const KEY = 'catalog-key-0123456789abcdef';

describe('startDevServer', () => {
  it('builds the pipeline files once at start, so the first GET /v1/pipelines builds nothing', async () => {
    // Prepare: a folder with a pipeline and a file that does not build
    const dir = await mkdtemp(join(tmpdir(), 'elexirion-dev-catalog-'));
    await cp(resolve('pipelines/examples/chain.yaml'), join(dir, 'chain.yaml'));
    await writeFile(join(dir, 'broken.yaml'), 'workflow:\n  name: broken\n');
    const lines: string[] = [];
    const mock = new MockProvider();

    // Act
    const server = await startDevServer({
      stack: { inMemory: true },
      port: 0,
      apiKey: KEY,
      pipelinesDir: dir,
      providerFor: () => mock,
      retryDelay: 'none',
      log: (line) => lines.push(line),
    });
    try {
      const atStart = [...lines];
      const response = await fetch(`${server.url}/v1/pipelines`, {
        headers: { Authorization: `Bearer ${KEY}` },
      });
      const body = (await response.json()) as { pipelines: { name: string }[] };

      // Assess: the broken file was reported before any request; the request only listed
      expect(atStart).toContainEqual(expect.stringMatching(/^skipping .*broken\.yaml: it does not build/));
      expect(response.status).toBe(200);
      expect(body.pipelines.map((p) => p.name)).toEqual(['chain']);
      expect(lines.slice(atStart.length)).toEqual([expect.stringMatching(/^GET \/v1\/pipelines 200 \d+ms$/)]);
    } finally {
      await server.stop();
    }
  });
});
