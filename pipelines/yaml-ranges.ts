import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';

/** `[start, end)` character offsets into the pipeline file. */
export type SourceRange = readonly [number, number];

/** A field path inside the file, as zod reports it: map keys and sequence indexes. */
export type FieldPath = readonly (string | number)[];

interface TrailEntry {
  readonly node: Node | null;
  /** The key of the map entry this node is the value of. */
  readonly key?: Node;
}

/**
 * Maps field paths of a parsed YAML document back to ranges of its source, so an issue found on the
 * data (by zod or a semantic check) points at the text that caused it.
 *
 * @example
 * const locate = new YamlLocator(parseDocument(source), source);
 * locate.value(['workflow', 'steps', 0, 'type']); // range of `claude` in `type: claude`
 */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly source: string,
  ) {}

  /**
   * Range of the value at `path`. An empty value (`key:` with nothing after it) gives its key's range;
   * a path that does not exist gives the range of its deepest existing ancestor.
   */
  value(path: FieldPath): SourceRange {
    const trail = this.trail(path);
    for (let i = trail.length - 1; i >= 0; i--) {
      const { node, key } = trail[i] as TrailEntry;
      const range = rangeOf(node);
      if (range[1] > range[0]) return range;
      if (key !== undefined) return rangeOf(key);
    }
    return [0, 0];
  }

  /** Range of the map key that ends `path` (e.g. an unknown field's name); the value's range otherwise. */
  key(path: FieldPath): SourceRange {
    const trail = this.trail(path);
    const key = trail.length === path.length + 1 ? trail.at(-1)?.key : undefined;
    return key === undefined ? this.value(path) : rangeOf(key);
  }

  /**
   * Range of `[start, end)` of the string at `path`, found by matching the same occurrence of that
   * text inside the scalar's source. This works for plain, quoted and block (`|`, `>`) scalars alike;
   * text spanning lines is cut at its first line break, and text that escapes or line folding changed
   * falls back to the whole value.
   */
  substring(path: FieldPath, start: number, end: number): SourceRange {
    const whole = this.value(path);
    const trail = this.trail(path);
    const node = trail.at(-1)?.node;
    if (trail.length !== path.length + 1 || !isScalar(node) || typeof node.value !== 'string') return whole;
    // Only the first line is searched for: a block scalar's source re-indents the lines after it.
    const probe = node.value.slice(start, end).split('\n')[0] ?? '';
    const occurrence = countOccurrences(node.value.slice(0, start), probe);
    const scalarSource = this.source.slice(whole[0], whole[1]);
    let found = scalarSource.indexOf(probe);
    for (let i = 0; i < occurrence && found !== -1; i++) {
      found = scalarSource.indexOf(probe, found + probe.length);
    }
    return probe === '' || found === -1 ? whole : [whole[0] + found, whole[0] + found + probe.length];
  }

  /** The nodes from the root along `path`, as far as they exist (entry `i` is at `path.slice(0, i)`). */
  private trail(path: FieldPath): TrailEntry[] {
    const entries: TrailEntry[] = [{ node: this.resolve(this.doc.contents) }];
    for (const segment of path) {
      const parent = entries.at(-1)?.node;
      if (isMap(parent)) {
        const pair = parent.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) break;
        entries.push({ node: this.resolve(pair.value as Node | null), key: pair.key as Node });
      } else if (isSeq(parent) && typeof segment === 'number' && segment < parent.items.length) {
        entries.push({ node: this.resolve(parent.items[segment] as Node | null) });
      } else {
        break;
      }
    }
    return entries;
  }

  private resolve(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
  }
}

function rangeOf(node: Node | null | undefined): SourceRange {
  const range = node?.range;
  return range ? [range[0], range[1]] : [0, 0];
}

/** Non-overlapping occurrences of `needle` in `text`. */
function countOccurrences(text: string, needle: string): number {
  // An empty needle occurs everywhere; without this guard the loop below would never end.
  if (needle === '') return 0;
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}
