/**
 * The syntax tree of the conditions language (pipeline_ex §8, made strict). The parser yields raw
 * `path` nodes; `resolvePaths` replaces each with a `ref` whose root is one of the template roots,
 * so the compiler and the step runner only ever see canonical references.
 *
 * Every node keeps `start`/`end`: character offsets into the condition text it was parsed from, so
 * a load error points at the exact part of the condition at fault. Nodes are plain JSON: the
 * compiler stores resolved trees in the spec bundle and the step runner evaluates them as they are.
 */

/** Offsets `[start, end)` of a node in its condition text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A scalar written in the condition. */
export type LiteralValue = string | number | boolean | null;

/** Where a resolved reference reads: the template roots, plus `item` inside per-item conditions. */
export type RefRoot = 'steps' | 'inputs' | 'global_vars' | 'loop' | 'item';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

/** A node of the tree. */
export type Expr =
  | (Span & { readonly kind: 'literal'; readonly value: LiteralValue })
  /** A dotted path as written, before its root is known. */
  | (Span & { readonly kind: 'path'; readonly segments: readonly string[] })
  /** A resolved path: `steps.NAME.field…`, `inputs.x…`, `global_vars.x…`, `loop.x…`, `item.…`. */
  | (Span & { readonly kind: 'ref'; readonly root: RefRoot; readonly path: readonly string[] })
  | (Span & { readonly kind: 'and' | 'or'; readonly operands: readonly Expr[] })
  | (Span & { readonly kind: 'not'; readonly operand: Expr })
  | (Span & { readonly kind: 'negate'; readonly operand: Expr })
  | (Span & { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr })
  | (Span & { readonly kind: 'arith'; readonly op: ArithOp; readonly left: Expr; readonly right: Expr })
  | (Span & { readonly kind: 'contains' | 'matches'; readonly left: Expr; readonly right: Expr })
  | (Span & { readonly kind: 'between'; readonly value: Expr; readonly low: Expr; readonly high: Expr })
  /**
   * A function call. `predicate` is the per-item condition of `any`, `all` and `count`, parsed from
   * its string argument at load time (its spans are offsets into the outer text).
   */
  | (Span & {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly predicate?: Expr;
    });

/** A node of one kind. */
export type ExprOf<K extends Expr['kind']> = Extract<Expr, { readonly kind: K }>;

/** A syntax or meaning error inside a condition, at offsets of its text. */
export interface ConditionError extends Span {
  readonly message: string;
  readonly hint?: string;
}

/** The direct children of a node, predicate included. */
export function childrenOf(node: Expr): Expr[] {
  switch (node.kind) {
    case 'literal':
    case 'path':
    case 'ref':
      return [];
    case 'and':
    case 'or':
      return [...node.operands];
    case 'not':
    case 'negate':
      return [node.operand];
    case 'compare':
    case 'arith':
    case 'contains':
    case 'matches':
      return [node.left, node.right];
    case 'between':
      return [node.value, node.low, node.high];
    case 'call':
      return node.predicate === undefined ? [...node.args] : [...node.args, node.predicate];
  }
}

/** Every node of a tree, parents before children. */
export function* walk(node: Expr): Generator<Expr> {
  yield node;
  for (const child of childrenOf(node)) yield* walk(child);
}
