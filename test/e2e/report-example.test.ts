import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../support/cli-harness.js';

const REPORT = resolve('pipelines/examples/report.yaml');

describe('elexirion run pipelines/examples/report.yaml', () => {
  it('runs the data_transform steps and the nested pipeline, and reports their results', async () => {
    // Prepare
    const cwd = await scratchDir();

    // Act
    const result = await runCli(['run', REPORT, '--provider', 'mock', '--json'], { cwd });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.outputs.large_orders.orders.map((order: { id: number }) => order.id)).toEqual([1, 4, 5]);
    expect(report.outputs.revenue).toEqual({
      revenue: 510,
      metadata: { operation_count: 1, input_type: 'list', output_type: 'number' },
    });
    expect(Object.keys(report.outputs.by_region.by_region)).toEqual(['north', 'south', 'east']);
    expect(report.outputs.summary).toEqual({ summary: expect.stringContaining('Summarize these sales') });
    expect(report.steps).toEqual([
      { name: 'summary.draft', status: 'SUCCEEDED', attempts: 1, degraded: false },
    ]);
  });
});
