import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../../../functions/test-runner/output-tail.js';

describe('OutputTail', () => {
  it('keeps everything while the output fits', () => {
    // Prepare
    const tail = new OutputTail(16);

    // Act
    tail.push(Buffer.from('out: '));
    tail.push(Buffer.from('err\n'));

    // Assess
    expect(tail.text()).toBe('out: err\n');
    expect(tail.dropped).toBe(0);
  });

  it('keeps the last bytes in the order they arrived, and counts what it dropped', () => {
    // Prepare
    const tail = new OutputTail(8);

    // Act
    for (const chunk of ['aaaa', 'bbbb', 'cccc', 'dd']) tail.push(Buffer.from(chunk));

    // Assess
    expect(tail.text()).toBe('bbccccdd');
    expect(tail.dropped).toBe(6);
    expect(tail.text(3)).toBe('cdd');
  });

  it('starts at a whole character when the cut falls inside one', () => {
    // Prepare: "é" is two bytes, "€" three
    const tail = new OutputTail(4);

    // Act
    tail.push(Buffer.from('xé€'));

    // Assess: the last 4 bytes are the second byte of é and the whole €
    expect(tail.text()).toBe('€');
    expect(tail.text(2)).toBe('');
  });
});
