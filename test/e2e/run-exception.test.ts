import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PayloadLimitError } from '../../local/payload-limit.js';
import { runCli, scratchDir } from '../support/cli-harness.js';

/**
 * `elexirion run` when the executor throws after the run was recorded, as it did for an execution
 * input over 256 KiB: the run must end FAILED, not stay RUNNING, and the CLI must report it.
 */
vi.mock(import('../../local/executor.js'), async (original) => ({
  ...(await original()),
  executeStateMachine: async () => {
    throw new PayloadLimitError('The execution input is 300123 bytes, over the Step Functions limit');
  },
}));

describe('elexirion run, when the execution throws', () => {
  it('closes the run FAILED with the error, prints it and exits 1, without a stack trace', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['run', resolve('pipelines/examples/chain.yaml')], { cwd });
    const runId = /^FAILED {2}run (\S+)/m.exec(result.stdout)?.[1] ?? '';
    const shown = await runCli(['show', runId, '--json'], { cwd });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'error: States.DataLimitExceeded: The execution input is 300123 bytes, over the Step Functions limit',
    );
    // stderr has the progress (no step started) and nothing else: no stack trace
    expect(result.stderr).toBe('Running chain on the local stack\n');
    expect(JSON.parse(shown.stdout)).toMatchObject({
      run: { runId, status: 'FAILED', error: { name: 'States.DataLimitExceeded' } },
    });
  });
});
