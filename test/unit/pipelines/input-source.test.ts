import { describe, expect, it } from 'vitest';
import { type InputSourceNames, resolveInputSource } from '../../../pipelines/input-source.js';

const NAMES: InputSourceNames = {
  step: (name) =>
    ({
      fetch: { type: 'claude' },
      echo: { type: 'test_echo' },
      orders: { type: 'data_transform', outputField: 'high_value' },
    })[name],
  inputs: new Set(['rows']),
  globalVars: new Set(['limits']),
};

describe('resolveInputSource', () => {
  it.each([
    ['{{steps.fetch.items}}', '{{steps.fetch.items}}'],
    [' {{inputs.rows}} ', '{{inputs.rows}}'],
  ])('keeps a whole template: %s', (text, template) => {
    expect(resolveInputSource(text, NAMES)).toEqual({ kind: 'template', template });
  });

  it.each([
    ['previous_response:fetch:data.items', '{{steps.fetch.data.items}}'],
    ['previous_response:fetch.items', '{{steps.fetch.items}}'],
    ['previous_response:echo', '{{steps.echo.result}}'],
    ['previous_response:orders', '{{steps.orders.high_value}}'],
    ['context:limits.max', '{{global_vars.limits.max}}'],
    ['context:rows', '{{inputs.rows}}'],
    ['limits', '{{global_vars.limits}}'],
    ['rows', '{{inputs.rows}}'],
    ['orders', '{{steps.orders.high_value}}'],
    ['fetch.items', '{{steps.fetch.items}}'],
  ])('reads the legacy %s as %s, with a warning', (text, template) => {
    const resolved = resolveInputSource(text, NAMES);
    expect(resolved).toMatchObject({ kind: 'legacy', template });
    expect(resolved.kind === 'legacy' && resolved.message).toContain(`write ${template}`);
  });

  it.each([
    ['items: {{steps.fetch.items}}', 'INVALID_VALUE', 'one template'],
    ['previous_response:fetch', 'INVALID_VALUE', 'previous_response:fetch:FIELD'],
    ['previous_response:gone', 'UNKNOWN_REFERENCE', 'name an earlier step'],
    ['context:nothing', 'UNKNOWN_REFERENCE', 'workflow.global_vars'],
    ['previous_response:fetch:a..b', 'INVALID_VALUE', 'dot path'],
    ['what is this', 'INVALID_VALUE', 'one template'],
  ])('rejects %s with %s', (text, code, hint) => {
    const resolved = resolveInputSource(text, NAMES);
    expect(resolved).toMatchObject({ kind: 'error', code });
    expect(resolved.kind === 'error' && resolved.hint).toContain(hint);
  });
});
