import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/emulators.js';
import { load, located } from './harness.js';
import { artifactOf, runLlmLines } from './llm-harness.js';

/**
 * `claude_extract` (reference §5.7): a text answer is post-processed by the step runner, the same
 * way every time, and the artifact keeps the raw and the processed text; a JSON format asks for
 * JSON, validated (and repaired) like an `output_schema` answer.
 */

const ARTICLE = [
  '# Retries',
  '',
  'Retries hide blips. They also hide outages when unbounded. See https://example.com/retries for the rest.',
  '',
  '* Cap every retry loop.',
  '* You should add jitter.',
  '',
  '```ts',
  'retry({ max: 3 });',
  '```',
].join('\n');

function extract(config: string[], extra: string[] = []): string[] {
  return [
    'workflow:',
    '  name: extract_flow',
    '  steps:',
    '    - name: notes',
    '      type: claude_extract',
    '      extraction_config:',
    ...config.map((line) => `        ${line}`),
    ...extra,
    '      prompt: [{type: static, content: Write notes on retries.}]',
  ];
}

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true });
});
afterAll(async () => {
  await stack.stop();
});

describe('claude_extract', () => {
  it('post-processes a text answer into fields, keeping the raw text', async () => {
    // Act
    const result = await runLlmLines(
      stack,
      extract([
        'format: summary',
        'max_summary_length: 60',
        'post_processing: [extract_code_blocks, extract_recommendations, extract_links, extract_key_points]',
        'include_metadata: true',
      ]),
      { script: { notes: [ARTICLE] } },
    );

    // Assess
    expect(result.run.status).toBe('SUCCEEDED');
    expect(result.bundle.steps.notes).toMatchObject({ model: 'claude-opus-4-8', preset: 'analysis' });
    const artifact = await artifactOf(result, 'notes');
    expect(artifact.response.rawText).toBe(ARTICLE);
    expect(artifact.response.text).toBe('Retries Retries hide blips.');
    expect(artifact.response.data).toEqual({
      code_blocks: [{ language: 'ts', code: 'retry({ max: 3 });' }],
      recommendations: ['You should add jitter.'],
      links: [{ text: 'https://example.com/retries', url: 'https://example.com/retries' }],
      key_points: ['Cap every retry loop.', 'You should add jitter.'],
      extraction_metadata: {
        format: 'summary',
        operations: ['extract_code_blocks', 'extract_recommendations', 'extract_links', 'extract_key_points'],
        raw_length: ARTICLE.length,
        processed_length: 27,
      },
    });
  });

  it('formats Markdown', async () => {
    const result = await runLlmLines(stack, extract(['format: markdown']), {
      script: { notes: ['# A\nText   \n\n\n\n+ item\n## B'] },
    });

    expect(result.json.outputs.notes).toBe('# A\n\nText\n\n- item\n\n## B');
  });

  it('asks for JSON with a json format, and repairs an answer that is not JSON', async () => {
    // Act
    const result = await runLlmLines(stack, extract(['format: json']), {
      script: { notes: ['Here are the notes: retries hide blips.', { notes: ['retries hide blips'] }] },
    });

    // Assess
    expect(result.attempts.map((a) => a.error?.name ?? a.status)).toEqual(['Output.Invalid', 'SUCCEEDED']);
    expect(result.json.outputs.notes).toEqual({ notes: ['retries hide blips'] });
    expect(result.bundle.steps.notes).toMatchObject({ outputSchema: {} });
  });

  it.each([
    [
      'post-processing a JSON format',
      ['format: json', 'post_processing: [extract_links]'],
      [],
      'INVALID_VALUE@8:26',
    ],
    ['an unknown operation', ['post_processing: [trim]'], [], 'INVALID_VALUE@7:27'],
    [
      'an output_schema with a text format',
      ['format: markdown'],
      ['      output_schema: {type: object}'],
      'INVALID_VALUE@8:22',
    ],
  ])('rejects %s', async (_, config, extra, expected) => {
    const result = await load(extract(config, extra));

    expect(located(result)).toEqual([expected]);
  });
});
