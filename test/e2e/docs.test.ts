import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineFromString } from '../../pipelines/loader.js';
import { runCli, scratchDir } from '../support/cli-harness.js';

/** The first fenced block of `lang` after the heading `heading` in a Markdown file. */
async function blockAfter(file: string, heading: string, lang: string): Promise<string> {
  const text = await readFile(resolve(file), 'utf8');
  const section = text.slice(text.indexOf(`\n${heading}\n`));
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!match?.[1]) throw new Error(`no ${lang} block after ${heading} in ${file}`);
  return match[1];
}

describe('the docs say what the code does', () => {
  it('docs/api.md states the API-key rule `elexirion dev` enforces', async () => {
    // Prepare
    const api = await readFile(resolve('docs/api.md'), 'utf8');

    // Act: a key one character short of the rule
    const result = await runCli(['dev', '--port', '0', '--api-key', 'k'.repeat(15)], {
      cwd: await scratchDir(),
    });

    // Assess
    expect(api).toMatch(/16 to 512 printable ASCII characters, with no spaces/);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('an API key is 16 to 512 printable characters without spaces');
  });

  it("docs/pipeline-language.md's file_ops example loads, and names the field that picks a conversion", async () => {
    // Prepare
    const steps = await blockAfter('docs/pipeline-language.md', '### `file_ops`', 'yaml');
    const source = [
      'workflow:',
      '  name: files',
      '  inputs: {name: {type: string}}',
      '  steps:',
      ...steps.split('\n').map((line) => `    ${line}`),
    ].join('\n');
    const doc = await readFile(resolve('docs/pipeline-language.md'), 'utf8');

    // Act
    const result = await loadPipelineFromString(source, resolve('docs/files.yaml'));

    // Assess
    expect(result.issues).toEqual([]);
    expect(result.pipeline?.workflow.steps.find((step) => step.name === 'to_json')).toMatchObject({
      format: 'csv_to_json',
    });
    expect(doc).toMatch(/`convert` takes `source`, `destination` and `format`/);
  });
});
