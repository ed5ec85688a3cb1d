import { describe, expect, it } from 'vitest';
import { parseSummary } from '../../../../functions/test-runner/summary.js';

/**
 * Closing lines as each runner printed them (captured from node 22's node:test, vitest 5, jest 29,
 * pytest 9 and go 1.x runs of a suite with two passing tests, one failing and one skipped, unless
 * the case says otherwise), colours off as the test runner's environment asks (NO_COLOR, CI).
 */
const SAMPLES: readonly [string, string, ReturnType<typeof parseSummary>][] = [
  [
    'node:test, TAP reporter',
    [
      '# Subtest: later',
      'ok 3 - later # SKIP',
      '  ---',
      '  duration_ms: 0.161903',
      "  type: 'test'",
      '  ...',
      '1..3',
      '# tests 3',
      '# suites 0',
      '# pass 1',
      '# fail 1',
      '# cancelled 0',
      '# skipped 1',
      '# todo 0',
      '# duration_ms 257.384362',
    ].join('\n'),
    { passed: 1, failed: 1, skipped: 1 },
  ],
  [
    'node:test, spec reporter',
    [
      '✖ fails (0.8ms)',
      '﹣ later (0.1ms) # SKIP',
      'ℹ tests 3',
      'ℹ suites 0',
      'ℹ pass 1',
      'ℹ fail 1',
      'ℹ cancelled 0',
      'ℹ skipped 1',
      'ℹ todo 0',
      'ℹ duration_ms 151.055268',
    ].join('\n'),
    { passed: 1, failed: 1, skipped: 1 },
  ],
  [
    'vitest, one failing',
    [
      '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
      '',
      '',
      ' Test Files  1 failed (1)',
      '      Tests  1 failed | 2 passed | 1 skipped (4)',
      '   Start at  19:31:06',
      '   Duration  219ms (import 40%, tests 34%, worker 13%, transform 12%, environment 1%)',
      '',
    ].join('\n'),
    { passed: 2, failed: 1, skipped: 1 },
  ],
  [
    'vitest, all passing',
    [
      ' Test Files  1 passed (1)',
      '      Tests  1 passed (1)',
      '   Start at  19:31:06',
      '   Duration  262ms (transform 52%, import 27%, worker 10%, tests 10%)',
    ].join('\n'),
    { passed: 1, failed: 0, skipped: 0 },
  ],
  [
    'jest',
    [
      'Test Suites: 1 failed, 1 total',
      'Tests:       1 failed, 1 skipped, 2 passed, 4 total',
      'Snapshots:   0 total',
      'Time:        0.854 s',
      'Ran all test suites.',
    ].join('\n'),
    { passed: 2, failed: 1, skipped: 1 },
  ],
  [
    'pytest',
    [
      'test_a.py:4: AssertionError',
      '=========================== short test summary info ============================',
      'FAILED test_a.py::test_fails - assert (1 + 1) == 3',
      '==================== 1 failed, 2 passed, 1 skipped in 0.04s ====================',
    ].join('\n'),
    { passed: 2, failed: 1, skipped: 1 },
  ],
  [
    'pytest, with deselected tests (not counted)',
    '======================= 2 passed, 2 deselected in 0.02s ========================',
    { passed: 2, failed: 0, skipped: 0 },
  ],
  [
    'go test, counting packages (without -v only failing tests are named)',
    [
      '--- FAIL: TestFails (0.00s)',
      '    a_test.go:4: got 2',
      'FAIL',
      'FAIL\texample.com/m\t0.006s',
      'ok  \texample.com/m/other\t0.006s',
      'FAIL',
    ].join('\n'),
    { passed: 1, failed: 1, skipped: 0 },
  ],
  [
    'go test -v, counting top-level tests',
    [
      '=== RUN   TestAdds',
      '--- PASS: TestAdds (0.00s)',
      '=== RUN   TestFails',
      '    a_test.go:4: got 2',
      '--- FAIL: TestFails (0.00s)',
      '=== RUN   TestLater',
      '    a_test.go:5: later',
      '--- SKIP: TestLater (0.00s)',
      'FAIL',
      'FAIL\texample.com/m\t0.004s',
      '=== RUN   TestOk',
      '--- PASS: TestOk (0.00s)',
      'PASS',
      'ok  \texample.com/m/other\t0.005s',
      'FAIL',
    ].join('\n'),
    { passed: 2, failed: 1, skipped: 1 },
  ],
  ['output no runner printed', 'building…\nmake: *** [check] Error 2\n', null],
];

describe('parseSummary', () => {
  it.each(SAMPLES)('reads the counts of %s', (_runner, output, expected) => {
    // Act
    const summary = parseSummary(output);

    // Assess
    expect(summary).toEqual(expected);
  });

  it('takes the summary printed last when a command runs two suites', () => {
    // Prepare: a pytest run, then a vitest run
    const output = [
      '==================== 3 passed in 0.04s ====================',
      ' Test Files  1 failed (1)',
      '      Tests  1 failed | 1 passed (2)',
    ].join('\n');

    // Act
    const summary = parseSummary(output);

    // Assess
    expect(summary).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it('reads output written with CRLF line ends', () => {
    // Act
    const summary = parseSummary('Tests:       2 passed, 2 total\r\nTime:        0.5 s\r\n');

    // Assess
    expect(summary).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });
});
