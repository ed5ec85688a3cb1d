import { describe, expect, it } from 'vitest';
import { readDeployedPipelines } from '../../../../functions/runs/deployed-pipelines.js';

describe('readDeployedPipelines', () => {
  it('reads the JSON the stack sets in DEPLOYED_PIPELINES', () => {
    // Prepare
    const chain = {
      stateMachine: 'arn:aws:states:us-east-1:111122223333:stateMachine:elexirion-acme-chain',
      bundleKey: 'tenants/acme/specs/chain/h.json',
    };
    // Act, Assess
    expect(readDeployedPipelines({ DEPLOYED_PIPELINES: JSON.stringify({ chain }) })).toEqual({ chain });
  });

  it('finds none when the variable is absent', () => {
    expect(readDeployedPipelines({})).toEqual({});
  });

  it('fails at cold start on a malformed value', () => {
    expect(() => readDeployedPipelines({ DEPLOYED_PIPELINES: '{"chain":{"stateMachine":""}}' })).toThrow();
  });
});
