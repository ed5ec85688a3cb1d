import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../../../../functions/llm/extraction.js';
import type { ExtractionSpec } from '../../../../pipelines/contract/spec-bundle.js';

const SPEC: ExtractionSpec = {
  format: 'text',
  postProcessing: [],
  maxSummaryLength: 500,
  includeMetadata: false,
};

const REPLY = [
  '## Findings',
  '',
  'The cache is never invalidated. Read [the docs](https://example.com/cache) first.',
  '',
  '1. Add a TTL.',
  '2. Consider versioned keys.',
  '',
  '```sql',
  'DELETE FROM cache;',
  '```',
  'More at https://example.com/more.',
].join('\n');

describe('extractAnswer', () => {
  it('keeps a text answer as it is, trimmed, with no fields', () => {
    expect(extractAnswer('  Hello.  ', SPEC)).toEqual({ text: 'Hello.' });
  });

  it.each([
    ['extract_code_blocks', { code_blocks: [{ language: 'sql', code: 'DELETE FROM cache;' }] }],
    ['extract_recommendations', { recommendations: ['Consider versioned keys.'] }],
    [
      'extract_links',
      {
        links: [
          { text: 'the docs', url: 'https://example.com/cache' },
          { text: 'https://example.com/more', url: 'https://example.com/more' },
        ],
      },
    ],
    ['extract_key_points', { key_points: ['Add a TTL.', 'Consider versioned keys.'] }],
    ['generate_summary', { summary: 'Findings The cache is never invalidated.' }],
  ] as const)('%s adds its field', (operation, data) => {
    const spec = { ...SPEC, postProcessing: [operation], maxSummaryLength: 45 };

    expect(extractAnswer(REPLY, spec).data).toEqual(data);
  });

  it('cuts a summary whose first sentence is too long at a word, with an ellipsis', () => {
    const result = extractAnswer('One two three four five six.', {
      ...SPEC,
      format: 'summary',
      maxSummaryLength: 12,
    });

    expect(result.text).toBe('One two…');
  });

  it('falls back to headings, then sentences, for key points', () => {
    const spec = { ...SPEC, postProcessing: ['extract_key_points' as const] };

    expect(extractAnswer('# A\ntext\n# B', spec).data).toEqual({ key_points: ['A', 'B'] });
    expect(extractAnswer('First. Second! Third?', spec).data).toEqual({
      key_points: ['First.', 'Second!', 'Third?'],
    });
  });

  it('normalizes Markdown and leaves code blocks as written', () => {
    const result = extractAnswer('# T\n* a   \n\n\n\n```\n*  keep  \n```', { ...SPEC, format: 'markdown' });

    expect(result.text).toBe('# T\n\n- a\n\n```\n*  keep  \n```');
  });

  it('adds extraction metadata when asked', () => {
    const result = extractAnswer(' Hi. ', { ...SPEC, includeMetadata: true });

    expect(result.data).toEqual({
      extraction_metadata: { format: 'text', operations: [], raw_length: 5, processed_length: 3 },
    });
  });

  it('reads tilde fences, and a longer fence holding a shorter one, as one code block each', () => {
    const reply = [
      'Run this:',
      '~~~bash',
      'echo "should not be advice"',
      '~~~',
      '````markdown',
      '```json',
      '{"a": 1}',
      '```',
      '* You should keep this line.  ',
      '````',
      '- You should read the docs.',
    ].join('\n');
    const spec = {
      ...SPEC,
      postProcessing: ['extract_code_blocks' as const, 'extract_recommendations' as const],
    };

    expect(extractAnswer(reply, spec).data).toEqual({
      code_blocks: [
        { language: 'bash', code: 'echo "should not be advice"' },
        { language: 'markdown', code: '```json\n{"a": 1}\n```\n* You should keep this line.  ' },
      ],
      recommendations: ['You should read the docs.'],
    });
    expect(extractAnswer(reply, { ...SPEC, format: 'markdown' }).text).toBe(reply);
  });
});
