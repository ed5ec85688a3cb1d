/** How a command decorates what it prints: glyphs and rewritten lines on a terminal, colour unless NO_COLOR. */
export interface Style {
  /** The stream is a terminal: glyphs (✓ ✗ ▸ ↻) and live lines, rewritten in place. */
  readonly tty: boolean;
  /** `text` in an ANSI colour, or as it is when colour is off. */
  paint(colour: Colour, text: string): string;
}

export type Colour = 'green' | 'red' | 'yellow' | 'dim' | 'bold';

const SGR: Readonly<Record<Colour, [number, number]>> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/**
 * The style of one output stream: a terminal (other than `TERM=dumb`) gets glyphs and live lines, and
 * colour unless `NO_COLOR` is set to anything but the empty string (https://no-color.org); a pipe or
 * a file gets plain lines.
 */
export function styleFor(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): Style {
  const tty = stream.isTTY === true && env.TERM !== 'dumb';
  const colour = tty && !env.NO_COLOR;
  return {
    tty,
    paint: (name, text) => {
      if (!colour) return text;
      const [on, off] = SGR[name];
      return `\x1b[${on}m${text}\x1b[${off}m`;
    },
  };
}
