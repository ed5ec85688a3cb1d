import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';
import { DEV_KEY, spawnDev } from '../support/dev-process.js';

const HELLO = resolve('pipelines/examples/hello.yaml');
const CHAIN = resolve('pipelines/examples/chain.yaml');
/** A regular expression from `source`, each `ESC` in it standing for the escape character. */
const withEsc = (source: string, flags?: string) => new RegExp(source.replaceAll('ESC', '\\x1b'), flags);
/** Any ANSI escape: colours (SGR) and cursor moves. */
const ANSI = withEsc(String.raw`ESC\[`);
/** An ANSI colour or weight (SGR) sequence. */
const SGR = withEsc(String.raw`ESC\[[0-9;]*m`);
const GLYPHS = /[▸↻✓✗]/;

/** A pipeline with an unknown step type at line 5, column 11. */
const BAD = ['workflow:', '  name: bad', '  steps:', '    - name: ask', '      type: claud', ''].join('\n');

describe('elexirion --version', () => {
  it("prints package.json's version on stdout", async () => {
    const { version } = JSON.parse(await readFile(resolve('package.json'), 'utf8'));

    const result = await runCli(['--version'], { cwd: await scratchDir() });

    expect(result).toEqual({ code: 0, stdout: `elexirion ${version}\n`, stderr: '' });
  });
});

describe('elexirion UNKNOWN', () => {
  it('suggests the command a typo was meant to be, on stderr, and exits 2', async () => {
    const result = await runCli(['valdate', 'x.yaml'], { cwd: await scratchDir() });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^elexirion: unknown command "valdate"; did you mean "validate"\?\n/);
    expect(result.stderr).toContain('Commands:');
  });

  it('suggests nothing for a name near no command', async () => {
    const result = await runCli(['deploy'], { cwd: await scratchDir() });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^elexirion: unknown command "deploy"\n/);
    expect(result.stderr).not.toContain('did you mean');
  });
});

describe('an invalid pipeline exits 2 on every command that reads one', () => {
  it.each([
    ['validate', ['validate', 'bad.yaml']],
    ['compile', ['compile', 'bad.yaml', '--out', 'out']],
    ['run', ['run', 'bad.yaml']],
  ])('%s', async (_command, argv) => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'bad.yaml'), BAD);

    // Act
    const result = await runCli(argv, { cwd });

    // Assess: the problem on stderr, nothing on stdout, nothing written
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bad\.yaml:5:\d+: error\[UNKNOWN_STEP_TYPE\]/m);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(existsSync(join(cwd, '.elexirion'))).toBe(false);
  });
});

describe('elexirion validate --json', () => {
  it('prints one object a line per file, issues as data, and nothing on stderr', async () => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'bad.yaml'), BAD);

    // Act
    const result = await runCli(['validate', '--json', HELLO, 'bad.yaml'], { cwd });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [good, bad] = lines.map((line) => JSON.parse(line));
    expect(good).toEqual({ file: HELLO, ok: true, pipeline: 'hello', steps: 2, issues: [] });
    expect(bad).toMatchObject({ file: 'bad.yaml', ok: false, pipeline: null, steps: null });
    expect(bad.issues).toContainEqual({
      code: 'UNKNOWN_STEP_TYPE',
      severity: 'error',
      message: expect.stringContaining("'claud'"),
      hint: expect.stringContaining("did you mean 'claude'?"),
      line: 5,
      col: 13,
      field: 'workflow.steps[0].type',
    });
  });

  it('exits 0 when every file is valid', async () => {
    const result = await runCli(['validate', '--json', HELLO, CHAIN], { cwd: await scratchDir() });

    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).ok),
    ).toEqual([true, true]);
  });
});

describe('elexirion compile --json', () => {
  it('prints the files written as data instead of the "wrote" lines', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['compile', HELLO, '--out', 'out', '--json'], { cwd });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const out = join(cwd, 'out');
    expect(report).toEqual({
      file: HELLO,
      ok: true,
      pipeline: 'hello',
      written: [join(out, 'hello.asl.json'), join(out, 'hello.bundle.json')],
      issues: [],
    });
    expect((await readdir(out)).sort()).toEqual(['hello.asl.json', 'hello.bundle.json']);
  });

  it('reports an invalid file as data, writes nothing and exits 2', async () => {
    // Prepare
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'bad.yaml'), BAD);

    // Act
    const result = await runCli(['compile', 'bad.yaml', '--out', 'out', '--json'], { cwd });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ file: 'bad.yaml', ok: false, pipeline: null, written: [] });
    expect(report.issues.map((issue: { code: string }) => issue.code)).toContain('UNKNOWN_STEP_TYPE');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('without --json, lists the files written on stdout', async () => {
    const cwd = await scratchDir();

    const result = await runCli(['compile', HELLO, '--out', 'out'], { cwd });

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      `wrote ${join(cwd, 'out', 'hello.asl.json')}\nwrote ${join(cwd, 'out', 'hello.bundle.json')}\n`,
    );
  });
});

describe('elexirion run: progress on stderr, the report on stdout', () => {
  it('piped: plain progress lines on stderr, the report alone on stdout, no glyphs or escapes', async () => {
    // Act
    const result = await runCli(['run', HELLO], { cwd: await scratchDir() });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SUCCEEDED {2}run \S+ {2}in /);
    expect(result.stdout).not.toMatch(/running|claude_hello: /);
    expect(result.stderr).toMatch(/^Running hello on the local stack\nclaude_hello: running\n/);
    expect(result.stderr).toMatch(/^claude_hello: ok {2}\S+ {2}\d+→\d+ tok .*attempt 1 {2}\(mock\)$/m);
    expect(result.stderr).toMatch(/^gemini_hello: ok /m);
    expect(result.stdout + result.stderr).not.toMatch(GLYPHS);
    expect(result.stdout + result.stderr).not.toMatch(ANSI);
  });

  it('on a terminal: glyphs, each live line rewritten in place, in colour', async () => {
    // Prepare: the first call is rate limited, so the step also retries
    const cwd = await scratchDir();
    const script = join(cwd, 'script.yaml');
    await writeFile(script, 'outline:\n  - $error: rate_limit\n  - "An outline"\n');

    // Act
    const result = await runCli(['run', CHAIN, '--mock-script', script, '--no-retry-wait'], {
      cwd,
      tty: true,
    });

    // Assess
    expect(result.code).toBe(0);
    const plain = result.stderr.replace(withEsc(SGR.source, 'g'), '');
    expect(plain).toMatch(
      withEsc(
        String.raw`^Running chain on the local stack\n▸ outline {2}running\nESC\[1A\rESC\[2K✗ outline {2}Provider\.RateLimited: .*\n↻ outline {2}retrying \(attempt 2\)\nESC\[1A\rESC\[2K✓ outline {2}\S+ .*attempt 2 {2}\(mock\)\n▸ review`,
      ),
    );
    expect(result.stderr).toContain('\x1b[32m✓\x1b[39m');
    expect(result.stdout).toMatch(withEsc(String.raw`^\nESC\[32mSUCCEEDEDESC\[39m {2}run `));
  });

  it('on a terminal with NO_COLOR set: glyphs and live lines, no colour', async () => {
    const result = await runCli(['run', HELLO], {
      cwd: await scratchDir(),
      tty: true,
      env: { NO_COLOR: '1' },
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('✓ claude_hello  ');
    expect(result.stderr).toContain('\x1b[1A');
    expect(result.stdout + result.stderr).not.toMatch(SGR);
    expect(result.stdout).toMatch(/^\nSUCCEEDED {2}run /);
  });

  it('with --json: only the report, nothing on stderr', async () => {
    const result = await runCli(['run', HELLO, '--json'], { cwd: await scratchDir(), tty: true });

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).status).toBe('SUCCEEDED');
  });
});

describe('elexirion validate: results on stdout, problems on stderr', () => {
  it('prints OK lines on stdout and issues on stderr', async () => {
    const cwd = await scratchDir();
    await writeFile(join(cwd, 'bad.yaml'), BAD);

    const result = await runCli(['validate', HELLO, 'bad.yaml'], { cwd });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`OK ${HELLO} (hello, 2 steps)\n`);
    expect(result.stderr).toMatch(/^bad\.yaml:5:13: error\[UNKNOWN_STEP_TYPE\]/);
  });
});

describe('elexirion dev: the URL and key on stdout, its log on stderr', () => {
  it('prints the banner on stdout and its status lines on stderr', async () => {
    // Prepare
    const dev = await spawnDev(await scratchDir());

    // Act
    dev.child.kill('SIGTERM');
    const code = await dev.exited;

    // Assess
    expect(code).toBe(0);
    expect(dev.stdout()).toMatch(/^Elexirion dev server listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(dev.stdout()).toContain('Press Ctrl+C to stop.');
    expect(dev.stdout()).not.toMatch(/stopping|stopped/);
    expect(dev.stderr()).toMatch(/SIGTERM: stopping\n(.*\n)*stopped\n$/);
    expect(dev.output()).not.toContain(DEV_KEY);
  }, 60_000);
});
