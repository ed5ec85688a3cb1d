import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/emulators.js';
import { scratchDir } from '../support/cli-harness.js';

const exec = promisify(execFile);
const BIN = resolve('cli/bin.js');

describe('a data directory another process holds', () => {
  it('makes a second command exit 2 with what to do, and no stack trace', async () => {
    // Prepare: this process holds the data directory, as a running `elexirion dev` would
    const dataDir = join(await scratchDir(), 'data');
    const holder = await startLocalStack({ dataDir });
    try {
      // Act: the executable, in its own process, so what a user sees on stderr is what is checked
      const failed = await exec(process.execPath, [BIN, 'runs', '--data-dir', dataDir], {
        env: { PATH: process.env.PATH ?? '' },
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );

      // Assess
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toBe(
        `elexirion runs: Another elexirion process is using ${dataDir} (its DynamoDB data is locked). ` +
          'Stop that process, or pass a different data directory with --data-dir DIR.\n',
      );
      expect(failed?.stderr).not.toMatch(/^ {4}at /m);
    } finally {
      await holder.stop();
    }
  });
});
