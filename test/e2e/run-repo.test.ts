import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { treeDigest } from '../support/tree-digest.js';

const REPO = resolve('test/fixtures/repos/median');
const HELLO = resolve('pipelines/examples/hello.yaml');
const FIX = resolve('pipelines/examples/fix-failing-test.yaml');
const FIX_SCRIPT = resolve('pipelines/examples/mocks/fix-failing-test.mock.yaml');

/** A mock script whose `fix` edits the wrong way (reverses the text sort), after a try to read outside the repository. */
const WRONG_FIX = `
locate:
  - $tool_calls: [{ name: Read, input: { file_path: ../../../../etc/passwd } }]
  - src/median.js sorts the values.
fix:
  - $tool_calls:
      - { name: Edit, input: { file_path: src/median.js, old_string: "[...values].sort()", new_string: "[...values].sort().reverse()" } }
  - Reversed the order.
`;

/** Every file under `dir`, as text, joined: what the local stack stored. */
async function storedText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'latin1')),
  );
  return texts.join('\n');
}

describe('elexirion run --repo', () => {
  it('runs over a snapshot of the folder, reports an empty patch when nothing changed, and never writes the folder', async () => {
    // Prepare
    const cwd = await scratchDir();
    const before = await treeDigest(REPO);

    // Act
    const result = await runCli(['run', HELLO, '--repo', REPO, '--json'], { cwd });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Snapshot of .*median: 4 files, 0 skipped \(workspace [0-9a-f]{32}\)$/m);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', patch: '', changedFiles: [] });
    expect(await treeDigest(REPO)).toBe(before);
  });

  it.each([
    [['--patch-out', 'out.diff'], '--patch-out needs --repo DIR'],
    [['--apply'], '--apply needs --repo DIR'],
    [['--repo', 'no-such-folder'], '--repo no-such-folder: no such folder'],
  ])('refuses %j before anything runs', async (flags, message) => {
    // Act
    const result = await runCli(['run', HELLO, ...flags], { cwd: await scratchDir() });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('fixes the defect behind a failing test with two agent steps, proves it with the tests, and returns the fix as a patch', async () => {
    // Prepare
    const cwd = await scratchDir();
    const before = await treeDigest(REPO);

    // Act
    const result = await runCli(
      ['run', FIX, '--repo', REPO, '--mock-script', FIX_SCRIPT, '--patch-out', 'fix.diff', '--json'],
      { cwd },
    );

    // Assess: the tests pass on the fixed copy, the fix is the patch, and the repository is untouched
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ status: 'SUCCEEDED', changedFiles: ['src/median.js'] });
    expect(report.outputs.verify).toMatchObject({ passed: true, summary: { passed: 2, failed: 0 } });
    expect(report.outputs.fix).toMatchObject({ changed_files: ['src/median.js'] });
    const patch = await readFile(join(cwd, 'fix.diff'), 'utf8');
    expect(patch).toBe(report.patch);
    expect(patch).toContain(
      '-  const sorted = [...values].sort();\n+  const sorted = [...values].sort((a, b) => a - b);\n',
    );
    expect(await treeDigest(REPO)).toBe(before);
  });

  it('reports a wrong fix honestly: the tests fail with their count, and a read outside the repository is refused and kept out of every record', async () => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'wrong.yaml'), WRONG_FIX);
    const dataDir = join(cwd, 'data');

    // Act
    const result = await runCli(
      ['run', FIX, '--repo', REPO, '--mock-script', 'wrong.yaml', '--json', '--data-dir', dataDir],
      { cwd },
    );
    const { runId } = JSON.parse(result.stdout);
    const shown = await runCli(['show', runId, '--json', '--data-dir', dataDir], { cwd });

    // Assess: the run completes and says the tests fail; the refused read is visible where it happened
    expect(JSON.parse(result.stdout).outputs.verify).toMatchObject({
      passed: false,
      summary: { passed: 1, failed: 1 },
    });
    const locate = JSON.parse(shown.stdout).steps.find((s: { name: string }) => s.name === 'locate');
    expect(locate.attemptRecords[0].toolCalls).toEqual([
      {
        name: 'Read',
        input: { file_path: '../../../../etc/passwd' },
        isError: true,
        errorName: 'Tool.OutsideWorkspace',
      },
    ]);
    expect(await storedText(dataDir)).not.toContain('root:x:0:0');
  });
});
