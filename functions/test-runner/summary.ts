/**
 * The counts a test runner prints in its closing lines, read back from a test command's output.
 * Each runner's summary is recognized by its own spelling; when several appear (a command running
 * two suites, a runner printing a summary per package), the one printed last wins, as it closes the
 * output. Output no parser recognizes has no summary: the exit code still says whether it passed.
 */

/** How many tests passed, failed and were skipped, as the runner counted them. */
export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A summary found in the output, with where its last line starts. */
interface Found {
  readonly at: number;
  readonly summary: TestSummary;
}

type Parser = (output: string) => Found | undefined;

/**
 * The summary of the runner whose closing lines come last in `output`, or null.
 *
 * @example
 * parseSummary('…\n Test Files  1 failed (1)\n      Tests  1 failed | 2 passed (3)\n');
 * // { passed: 2, failed: 1, skipped: 0 }
 */
export function parseSummary(output: string): TestSummary | null {
  const text = output.replaceAll('\r\n', '\n');
  let best: Found | undefined;
  for (const parse of PARSERS) {
    const found = parse(text);
    if (found !== undefined && (best === undefined || found.at > best.at)) best = found;
  }
  return best?.summary ?? null;
}

/**
 * node:test, with the TAP reporter (the default without a terminal: `# pass 1`) or the spec
 * reporter (`ℹ pass 1`). Cancelled tests did not pass, so they count as failed; todo tests as skipped.
 */
const nodeTest: Parser = (text) => {
  const count = (name: string) => lastMatch(text, new RegExp(`^(?:#|ℹ) ${name} (\\d+)$`, 'gm'));
  const [pass, fail] = [count('pass'), count('fail')];
  if (pass === undefined || fail === undefined) return undefined;
  const number = (found: RegExpExecArray | undefined) => Number(found?.[1] ?? 0);
  return {
    at: Math.max(pass.index, fail.index),
    summary: {
      passed: number(pass),
      failed: number(fail) + number(count('cancelled')),
      skipped: number(count('skipped')) + number(count('todo')),
    },
  };
};

/** Vitest: `      Tests  1 failed | 2 passed | 1 skipped (4)`. */
const vitest: Parser = (text) => {
  const line = lastMatch(text, /^[ \t]*Tests {2}(\d+ [a-z ]+?(?: \| \d+ [a-z ]+?)*) \(\d+\)$/gm);
  return line && { at: line.index, summary: tally(line[1] as string, / \| /) };
};

/** Jest: `Tests:       1 failed, 1 skipped, 2 passed, 4 total`. */
const jest: Parser = (text) => {
  const line = lastMatch(text, /^Tests:[ \t]+((?:\d+ [a-z]+, )*)\d+ total$/gm);
  return line && { at: line.index, summary: tally(line[1] as string, /, /) };
};

/**
 * pytest: `==== 1 failed, 2 passed, 1 skipped in 0.04s ====`. Errors (a fixture or collection that
 * broke) count as failed, expected failures (xfailed) as skipped, unexpected passes as passed.
 */
const pytest: Parser = (text) => {
  const line = lastMatch(text, /^=+ ((?:\d+ [a-z]+(?:, )?)+|no tests ran) in [\d.]+s(?: \([\d:]+\))? =+$/gm);
  return line && { at: line.index, summary: tally(line[1] as string, /, /) };
};

/**
 * go test. With `-v` it names every top-level test (`--- PASS: TestAdd`, at the start of a line;
 * subtests are indented); without, only the failing ones, so the counts are of packages instead:
 * `ok` passed, `FAIL` failed, `[no test files]` skipped.
 */
const goTest: Parser = (text) => {
  const packages = [...text.matchAll(/^(ok|FAIL|\?)[ \t]+\S+[ \t]+(?:[\d.]+s|\(cached\)|\[[a-z ]+\])/gm)];
  const last = packages.at(-1);
  if (last === undefined) return undefined;
  const verbose = /^=== RUN {3}/m.test(text);
  const count = (pattern: RegExp) => [...text.matchAll(pattern)].length;
  const summary = verbose
    ? {
        passed: count(/^--- PASS: /gm),
        failed: count(/^--- FAIL: /gm),
        skipped: count(/^--- SKIP: /gm),
      }
    : {
        passed: packages.filter((line) => line[1] === 'ok').length,
        failed: packages.filter((line) => line[1] === 'FAIL').length,
        skipped: packages.filter((line) => line[1] === '?').length,
      };
  return { at: last.index, summary };
};

const PARSERS: readonly Parser[] = [nodeTest, vitest, jest, pytest, goTest];

/** The words runners count with, and which count each adds to. */
const COUNTED: Readonly<Record<string, keyof TestSummary>> = {
  passed: 'passed',
  xpassed: 'passed',
  failed: 'failed',
  error: 'failed',
  errors: 'failed',
  skipped: 'skipped',
  xfailed: 'skipped',
  todo: 'skipped',
};

/** Adds up `N word` parts (`1 failed`, `2 passed`); words not counted (`deselected`, `warnings`) are left out. */
function tally(parts: string, separator: RegExp): TestSummary {
  const summary = { passed: 0, failed: 0, skipped: 0 };
  for (const part of parts.split(separator)) {
    const [, count, word] = /^(\d+) ([a-z]+)$/.exec(part.trim()) ?? [];
    const key = word === undefined ? undefined : COUNTED[word];
    if (key !== undefined) summary[key] += Number(count);
  }
  return summary;
}

function lastMatch(text: string, pattern: RegExp): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(pattern)) last = match;
  return last;
}
