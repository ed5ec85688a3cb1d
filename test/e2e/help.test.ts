import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const COMMANDS = ['validate', 'compile', 'run', 'runs', 'show', 'dev', 'optimize'];

/** Where each option's description starts in a help text, by option: `  --flag ARG   description`. */
function descriptionColumns(help: string): Map<string, number> {
  const columns = new Map<string, number>();
  for (const line of help.split('\n')) {
    const match = /^ {2}(--[a-z-]+(?: [A-Z=_]+)?)( {2,})\S/.exec(line);
    if (match?.[1] && match[2]) columns.set(match[1], 2 + match[1].length + match[2].length);
  }
  return columns;
}

describe('elexirion COMMAND --help', () => {
  it.each(COMMANDS)(
    '%s: every option, --data-dir included, starts its description in one column',
    async (command) => {
      // Act
      const result = await runCli([command, '--help'], { cwd: await scratchDir() });

      // Assess
      expect(result.code).toBe(0);
      const columns = descriptionColumns(result.stdout);
      if (['run', 'runs', 'show', 'dev', 'optimize'].includes(command))
        expect(columns.has('--data-dir DIR')).toBe(true);
      expect(new Set(columns.values()).size, [...columns].join('\n')).toBeLessThanOrEqual(1);
    },
  );
});
