import { describe, expect, it } from 'vitest';
import {
  registeredStateMachineName,
  shippedStateMachineName,
} from '../../../../functions/core/state-machine-names.js';

describe('state machine names', () => {
  it('names shipped and registered machines apart', () => {
    expect(shippedStateMachineName('acme', 'chain')).toBe('elexirion-acme-chain');
    expect(registeredStateMachineName('acme', 'chain')).toBe('elexirion-acme-api-chain');
  });

  it('cuts a registered name to 80 characters, keeping long names distinct', () => {
    // Act
    const a = registeredStateMachineName('acme', `${'p'.repeat(79)}a`);
    const b = registeredStateMachineName('acme', `${'p'.repeat(79)}b`);

    // Assess
    expect(a).toHaveLength(80);
    expect(b).toHaveLength(80);
    expect(a).not.toBe(b);
  });
});
