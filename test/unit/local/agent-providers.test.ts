import { afterEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../../functions/ports/provider.js';
import { AnthropicProvider } from '../../../functions/providers/anthropic-provider.js';
import { GeminiProvider } from '../../../functions/providers/gemini-provider.js';
import { RunChangeSet } from '../../../functions/workspaces/run-change-set.js';
import { storeWorkspace } from '../../../functions/workspaces/store-workspace.js';
import { runPipelineLocally } from '../../../local/run-pipeline.js';
import { compileLines } from '../../conformance/harness.js';
import { startFakeAnthropicServer } from '../../support/fake-anthropic-server.js';
import { startFakeGeminiServer } from '../../support/fake-gemini-server.js';
import { type FakeProviderServer, fake } from '../../support/fake-provider-server.js';
import { memoryDeps } from '../functions/steps/agent-harness.js';

const BUGGY = 'export function median(xs) {\n  return xs[xs.length / 2];\n}\n';
const EDIT = {
  file_path: 'src/median.js',
  old_string: 'xs[xs.length / 2]',
  new_string: 'xs[Math.floor(xs.length / 2)]',
};

/** A one-step agent pipeline on `type`'s provider. */
function pipeline(type: 'claude' | 'gemini'): string[] {
  const tools =
    type === 'claude'
      ? ['      claude_options: {allowed_tools: [Read, Edit], max_turns: 4}']
      : ['      allowed_tools: [Read, Edit]', '      max_turns: 4'];
  return [
    'workflow:',
    `  name: fix_on_${type}`,
    '  steps:',
    '    - name: fix',
    `      type: ${type}`,
    ...tools,
    '      prompt: [{type: static, content: "Make the median test pass."}]',
  ];
}

const servers: FakeProviderServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe.each([
  {
    type: 'claude' as const,
    start: startFakeAnthropicServer,
    provider: (url: string): Provider =>
      new AnthropicProvider({ apiKey: 'sk-ant-test-key-000', baseURL: url }),
    /** The tool results the SDK sent back in a request, as the wire has them. */
    results: (body: unknown) =>
      JSON.stringify((body as { messages: { content: unknown }[] }).messages.at(-1)?.content),
  },
  {
    type: 'gemini' as const,
    start: startFakeGeminiServer,
    provider: (url: string): Provider => new GeminiProvider({ apiKey: 'gemini-test-key-000', baseUrl: url }),
    results: (body: unknown) =>
      JSON.stringify((body as { contents: { parts: unknown }[] }).contents.at(-1)?.parts),
  },
])(
  'an agent step through the real $type SDK against its loopback fake',
  ({ type, start, provider, results }) => {
    it('reads, edits the workspace through the change set, and ends on the text turn', async () => {
      // Prepare: turn 1 reads, turn 2 edits, turn 3 answers
      const server = await start();
      servers.push(server);
      server.enqueue(
        fake.toolCalls([{ name: 'Read', input: { file_path: 'src/median.js' } }]),
        fake.toolCalls([{ name: 'Edit', input: EDIT }], { text: 'Fixing the index.' }),
        fake.ok('Fixed the index of the middle element.'),
      );
      const { deps, artifacts } = memoryDeps(provider(server.url));
      const { workspaceId } = await storeWorkspace(
        artifacts,
        'acme',
        [{ path: 'src/median.js', mode: 0o644, bytes: new TextEncoder().encode(BUGGY) }],
        [],
      );
      const { asl, bundle } = await compileLines(pipeline(type));

      // Act
      const record = await runPipelineLocally({
        asl,
        bundle,
        inputs: {},
        tenantId: 'acme',
        deps,
        retryDelay: 'none',
        workspaceId,
      });

      // Assess: three model calls; each after the first carried the previous turn's tool result
      expect(record.status).toBe('SUCCEEDED');
      expect(server.requests).toHaveLength(3);
      const bodies = server.requests.map((request) => request.body);
      expect(results(bodies[1])).toContain('xs[xs.length / 2]'); // the Read's numbered lines
      expect(results(bodies[2])).toMatch(/src\/median\.js/); // the Edit's report
      const changes = await RunChangeSet.open(artifacts, {
        tenantId: 'acme',
        runId: record.runId,
        workspaceId,
      });
      expect(await changes.files().read('src/median.js')).toContain('xs[Math.floor(xs.length / 2)]');
    });
  },
);
