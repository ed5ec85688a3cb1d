import { describe, expect, it } from 'vitest';
import {
  childStateMachineName,
  registeredStateMachineName,
  shippedStateMachineName,
} from '../../../../functions/runs/state-machine-names.js';

describe('state machine names', () => {
  it('names shipped and registered machines apart', () => {
    expect(shippedStateMachineName('acme', 'chain')).toBe('elexirion-acme_stack_chain');
    expect(registeredStateMachineName('acme', 'chain')).toBe('elexirion-acme_api_chain');
  });

  it("starts no name of tenant acme-api-x, nor a shipped one, with acme's registered prefix", () => {
    // Arrange: names that a `-` between the parts made start with elexirion-acme-api-
    const prefix = registeredStateMachineName('acme', '');
    const others = [
      shippedStateMachineName('acme-api-x', 'chain'),
      registeredStateMachineName('acme-api-x', 'chain'),
      shippedStateMachineName('acme', 'api_chain'),
      shippedStateMachineName('acme', `api_${'p'.repeat(80)}`),
    ];

    // Assess
    expect(prefix).toBe('elexirion-acme_api_');
    expect(others.filter((name) => name.startsWith(prefix))).toEqual([]);
  });

  it('cuts a name of 80 characters or more to 80, keeping it apart from every uncut name', () => {
    // Act
    const a = registeredStateMachineName('acme', `${'p'.repeat(79)}a`);
    const b = registeredStateMachineName('acme', `${'p'.repeat(79)}b`);
    const exactly80 = registeredStateMachineName('acme', 'p'.repeat(80 - 'elexirion-acme_api_'.length));
    const longest = registeredStateMachineName('acme', 'p'.repeat(79 - 'elexirion-acme_api_'.length));

    // Assess
    for (const cut of [a, b, exactly80]) {
      expect(cut).toHaveLength(80);
      expect(cut).toMatch(/^elexirion-acme_api_p+-[0-9a-f]{12}$/);
    }
    expect(a).not.toBe(b);
    expect(longest).toHaveLength(79);
    expect(longest).toMatch(/^elexirion-acme_api_p+$/);
  });

  it('names the child of a nested pipeline under the tenant, apart from every pipeline', () => {
    // Act
    const child = childStateMachineName('acme', 'report', 'summary');
    const grandchild = childStateMachineName('acme', 'report', 'summary.inner');

    // Assess: the `child` origin, then the parent and the nesting steps joined by `-`
    expect(child).toBe('elexirion-acme_child_report-summary');
    expect(grandchild).toBe('elexirion-acme_child_report-summary-inner');
    // No shipped or registered pipeline, whatever its name, starts with a child's prefix
    const prefix = 'elexirion-acme_child_';
    for (const pipeline of ['report-summary', 'child_report-summary', 'x']) {
      expect(shippedStateMachineName('acme', pipeline).startsWith(prefix)).toBe(false);
      expect(registeredStateMachineName('acme', pipeline).startsWith(prefix)).toBe(false);
    }
  });

  it('gives distinct (pipeline, scope) pairs distinct names, even when their parts hold `-`', () => {
    // Arrange: pairs that joining with a bare `-` would spell alike
    const pairs: [string, string][] = [
      ['a-b', 'c'],
      ['a', 'b-c'],
      ['a', 'b.c'],
      ['a-', 'b'],
      ['a', 'b--c'],
      ['a--b', 'c'],
      ['a', 'b-.c'],
      ['a', 'b.c-'],
    ];

    // Act
    const names = pairs.map(([pipeline, scope]) => childStateMachineName('acme', pipeline, scope));

    // Assess
    expect(new Set(names).size).toBe(pairs.length);
    expect(childStateMachineName('acme', 'a-b', 'c')).toBe('elexirion-acme_child_a--b-c');
  });

  it('cuts a long child name to 80 characters with a hash, like any other', () => {
    // Act
    const a = childStateMachineName('acme', 'p'.repeat(80), 'summary');
    const b = childStateMachineName('acme', 'p'.repeat(80), 'summarx');

    // Assess
    for (const cut of [a, b]) {
      expect(cut).toHaveLength(80);
      expect(cut).toMatch(/^elexirion-acme_child_p+-[0-9a-f]{12}$/);
    }
    expect(a).not.toBe(b);
  });

  it('refuses a scope that is not a dotted path of step names', () => {
    expect(() => childStateMachineName('acme', 'report', '')).toThrow(/scope/);
    expect(() => childStateMachineName('acme', 'report', 'a..b')).toThrow(/scope/);
    expect(() => childStateMachineName('acme', 'report', '-a')).toThrow(/scope/);
    expect(() => childStateMachineName('acme', 're.port', 'a')).toThrow(/pipeline/);
  });
});
