import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { tableKeys, tenantPartition } from '../../../../functions/stores/table-definitions.js';

/** The key examples the optimizer's pytest checks too (`optimizer/tests/test_keys.py`). */
const FIXTURE = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/optimizer/keys.json'), 'utf8'),
);

const BUILDERS: Record<string, (...args: never[]) => unknown> = {
  tenantPartition,
  attemptPartition: tableKeys.attemptPartition,
  score: tableKeys.score,
  promptPackVersion: tableKeys.promptPackVersion,
  promptPackPointer: tableKeys.promptPackPointer,
  attemptExample: artifactKeys.attemptExample,
  promptPack: artifactKeys.promptPack,
};

describe('keys shared with the optimizer', () => {
  it.each(Object.keys(BUILDERS))('%s spells its keys as the Python side does', (name) => {
    for (const { args, key } of FIXTURE[name] as { args: never[]; key: unknown }[]) {
      expect(BUILDERS[name]?.(...args)).toStrictEqual(key);
    }
  });
});
