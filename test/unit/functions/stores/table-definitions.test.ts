import { describe, expect, it } from 'vitest';
import { TABLE_DEFINITIONS, tableKeys, tableNames } from '../../../../functions/stores/table-definitions.js';

describe('table definitions', () => {
  it('names each table after its suffix', () => {
    expect(tableNames('elexirion-acme')).toEqual({
      runs: 'elexirion-acme-runs',
      attempts: 'elexirion-acme-attempts',
      apiKeys: 'elexirion-acme-api-keys',
    });
    expect(TABLE_DEFINITIONS.runs.partitionKey).toEqual({ name: 'pk', type: 'S' });
  });

  it('leads every key with the tenant', () => {
    expect(tableKeys.run('acme', 'r1')).toEqual({ pk: 'TENANT#acme', sk: 'RUN#r1' });
    expect(tableKeys.attempt('acme', 'r1', 'draft', 7)).toEqual({
      pk: 'TENANT#acme#RUN#r1',
      sk: 'STEP#draft#ATTEMPT#0007',
    });
    expect(tableKeys.attemptCounter('acme', 'r1', 'draft')).toEqual({
      pk: 'TENANT#acme#RUN#r1',
      sk: 'STEP#draft#COUNTER',
    });
  });

  it('pads attempt numbers so sort keys order them numerically', () => {
    const keys = [10, 2, 1].map((attempt) => tableKeys.attempt('acme', 'r1', 'draft', attempt).sk);

    expect(keys.sort()).toEqual([
      'STEP#draft#ATTEMPT#0001',
      'STEP#draft#ATTEMPT#0002',
      'STEP#draft#ATTEMPT#0010',
    ]);
  });
});
