import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { startFakeGeminiServer } from '../support/fake-gemini-server.js';
import { type FakeProviderServer, fake } from '../support/fake-provider-server.js';

const HELLO = resolve('pipelines/examples/hello.yaml');
// Key-shaped, and built at run time so that no key-like literal is committed.
const ANTHROPIC_KEY = `sk-ant-${'e2e0'.repeat(6)}`;
const GEMINI_KEY = `AIza-${'e2e0'.repeat(8)}`;

describe('elexirion run with provider keys', () => {
  const servers: FakeProviderServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('sends each step to its own provider through the real SDKs, prices it, and keeps keys out of artifacts', async () => {
    // Prepare: loopback servers speaking the Anthropic and Gemini wire protocols
    const anthropic = await startFakeAnthropicServer();
    const gemini = await startFakeGeminiServer();
    servers.push(anthropic, gemini);
    anthropic.enqueue(fake.ok('Hello from Claude.', { inputTokens: 1000, outputTokens: 100 }));
    gemini.enqueue(fake.ok('Hello from Gemini.', { inputTokens: 1000, outputTokens: 100 }));
    const cwd = await scratchDir();
    const env = {
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_API_KEY: GEMINI_KEY,
      GEMINI_BASE_URL: gemini.url,
    };

    // Act
    const result = await runCli(['run', HELLO, '--json'], { cwd, env });

    // Assess: the answers came back over HTTP, one request each, with the models the pipeline names
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.outputs).toEqual({
      claude_hello: 'Hello from Claude.',
      gemini_hello: 'Hello from Gemini.',
    });
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 256 });
    expect(gemini.requests).toHaveLength(1);
    expect(gemini.requests[0]?.path).toContain('gemini-2.5-flash:generateContent');
    // haiku 4.5: 1000 × $1/M + 100 × $5/M; gemini 2.5 flash: 1000 × $0.30/M + 100 × $2.50/M
    expect(report.usage.costUsd).toBeCloseTo(0.0015 + 0.00055, 10);

    // Assess: no key in anything the run wrote
    const stored = await readAll(join(cwd, '.elexirion'));
    expect(stored).not.toContain(ANTHROPIC_KEY);
    expect(stored).not.toContain(GEMINI_KEY);
  });

  it('retries a 529 from Anthropic as Provider.Overloaded and succeeds on the next attempt', async () => {
    const anthropic = await startFakeAnthropicServer();
    servers.push(anthropic);
    anthropic.enqueue(fake.status(529), fake.ok('Hello after a retry.'));
    const cwd = await scratchDir();

    const result = await runCli(['run', HELLO, '--json', '--no-retry-wait'], {
      cwd,
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: anthropic.url },
    });

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.steps).toContainEqual({
      name: 'claude_hello',
      status: 'SUCCEEDED',
      attempts: 2,
      degraded: false,
    });
    // Without GEMINI_API_KEY the Gemini step falls back to the mock.
    expect(report.outputs.gemini_hello).toMatch(/^\[mock gemini-2.5-flash\]/);
  });

  it('exits 2 when --provider names a provider whose key is missing', async () => {
    const cwd = await scratchDir();

    const result = await runCli(['run', HELLO, '--provider', 'anthropic'], { cwd });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ANTHROPIC_API_KEY');
  });
});

/** Every file under a directory, concatenated, to search for leaked secrets. */
async function readAll(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const contents = await Promise.all(files.map((file) => readFile(file).then((b) => b.toString('latin1'))));
  return contents.join('\n');
}
