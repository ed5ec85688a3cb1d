import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKeys } from '../../../../functions/shared/artifact-keys.js';
import { tableKeys, tenantPartition } from '../../../../functions/stores/table-definitions.js';
import type { Iteration } from '../../../../pipelines/contract/step-event.js';

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
  attemptExample: (tenantId: string, runId: string, stepId: string, attempt: number, iteration?: Iteration) =>
    artifactKeys.attemptFile(tenantId, runId, stepId, attempt, iteration, 'example.json'),
  promptPack: artifactKeys.promptPack,
};

describe('keys shared with the optimizer', () => {
  it.each(Object.keys(BUILDERS))('%s spells its keys as the Python side does', (name) => {
    for (const { args, key } of FIXTURE[name] as { args: never[]; key: unknown }[]) {
      expect(BUILDERS[name]?.(...args)).toStrictEqual(key);
    }
  });
});
