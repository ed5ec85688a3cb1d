import type { Document } from 'yaml';
import { type FieldPath, type SourceRange, YamlLocator } from './yaml-ranges.js';

/**
 * A locator for a workflow written inside a file (an inline nested pipeline): its `workflow.…`
 * paths are read under `base` (`['workflow', 'steps', 3, 'pipeline']`), so checks written for a
 * whole file point at the right text of the file that holds it.
 */
export class WithinLocator extends YamlLocator {
  constructor(
    doc: Document,
    source: string,
    private readonly outer: YamlLocator,
    private readonly base: FieldPath,
  ) {
    super(doc, source);
  }

  override value(path: FieldPath): SourceRange {
    return this.outer.value(this.map(path));
  }

  override key(path: FieldPath): SourceRange {
    return this.outer.key(this.map(path));
  }

  override substring(path: FieldPath, start: number, end: number): SourceRange {
    return this.outer.substring(this.map(path), start, end);
  }

  private map(path: FieldPath): FieldPath {
    return [...this.base, ...path.slice(1)];
  }
}
