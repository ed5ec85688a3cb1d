import type { CompareOp, ConditionError, Expr, ExprOf } from '../contract/condition-ast.js';
import { CONDITION_FUNCTIONS, type PipelineFunction, REFUSED_FUNCTIONS } from './functions.js';
import { type Token, tokenize } from './tokenizer.js';

/**
 * The grammar of conditions, lowest precedence first (pipeline_ex detects operators by splitting
 * strings; this is a real grammar, so `a contains 'b and c'` means what it says):
 *
 * ```
 * or         := and ('or' and)*
 * and        := not ('and' not)*
 * not        := 'not' not | comparison
 * comparison := sum [(== | != | < | <= | > | >=) sum | 'contains' sum | 'matches' STRING
 *                    | 'between' sum 'and' sum]
 * sum        := product (('+' | '-') product)*
 * product    := unary (('*' | '/' | '%') unary)*
 * unary      := '-' unary | primary
 * primary    := NUMBER | STRING | true | false | null | '(' or ')' | NAME '(' args ')' | path
 * path       := NAME ('.' SEGMENT)*        a trailing `.length` is the length function
 * ```
 */

/** What parsing yields: the tree, or the first error (later ones would follow from it). */
export interface ParseResult {
  readonly expr?: Expr;
  readonly error?: ConditionError;
}

const COMPARE_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Operators pipeline_ex also writes as functions, with their signature for hints. */
const OPERATOR_CALLS: ReadonlyMap<string, string> = new Map([
  ['contains', 'contains(text_or_list, value)'],
  ['matches', "matches(text, 'regular expression')"],
  ['between', 'between(number, low, high)'],
]);

/** Thrown inside the parser to unwind to {@link parseCondition}; never escapes it. */
class Stop {
  constructor(readonly error: ConditionError) {}
}

/** How another language of the pipeline (templates) uses this grammar. */
export interface ParseOptions {
  /** The functions calls may name; the conditions' functions by default. */
  readonly functions?: ReadonlyMap<string, PipelineFunction>;
  /** Whether a call's number of arguments is checked here (templates check it with their own message). */
  readonly checkArity?: boolean;
}

/**
 * Parses a condition or expression. Offsets in the tree and the error are offsets of `text`, plus
 * `offset` (used for per-item conditions written inside a string of an outer condition).
 *
 * @example
 * parseCondition("steps.triage.severity == 'high'").expr?.kind; // 'compare'
 */
export function parseCondition(text: string, offset = 0, options: ParseOptions = {}): ParseResult {
  const { tokens, error } = tokenize(text);
  if (error) return { error: shift(error, offset) };
  if (tokens.length === 1) {
    return {
      error: {
        message: 'empty condition',
        hint: "write e.g. steps.NAME.field == 'value'",
        start: offset,
        end: offset + text.length,
      },
    };
  }
  try {
    const parser = new Parser(tokens, offset, options);
    const expr = parser.or();
    parser.expectEnd();
    return { expr };
  } catch (thrown) {
    if (thrown instanceof Stop) return { error: thrown.error };
    throw thrown;
  }
}

function shift<T extends { start: number; end: number }>(value: T, offset: number): T {
  return { ...value, start: value.start + offset, end: value.end + offset };
}

class Parser {
  private at = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly offset: number,
    private readonly options: ParseOptions = {},
  ) {}

  or(): Expr {
    return this.chain('or', () => this.and());
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    const joinable = token.kind === 'name' || token.kind === 'string' || token.kind === 'number';
    this.fail(
      token,
      `unexpected ${describe(token)}`,
      joinable ? 'join two conditions with and / or' : undefined,
    );
  }

  private chain(word: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    const operands = [first];
    while (this.isKeyword(word)) {
      this.at++;
      operands.push(operand());
    }
    if (operands.length === 1) return first;
    return { kind: word, operands, start: first.start, end: (operands.at(-1) as Expr).end };
  }

  private and(): Expr {
    return this.chain('and', () => this.not());
  }

  private not(): Expr {
    if (!this.isKeyword('not')) return this.comparison();
    const start = this.next().start + this.offset;
    const operand = this.not();
    return { kind: 'not', operand, start, end: operand.end };
  }

  private comparison(): Expr {
    const left = this.sum();
    const token = this.peek();
    let result: Expr = left;
    if (token.kind === 'op' && COMPARE_OPS.has(token.text)) {
      this.at++;
      const right = this.sum();
      result = {
        kind: 'compare',
        op: token.text as CompareOp,
        left,
        right,
        start: left.start,
        end: right.end,
      };
    } else if (this.isKeyword('contains')) {
      this.at++;
      const right = this.sum();
      result = { kind: 'contains', left, right, start: left.start, end: right.end };
    } else if (this.isKeyword('matches')) {
      this.at++;
      const right = this.pattern();
      result = { kind: 'matches', left, right, start: left.start, end: right.end };
    } else if (this.isKeyword('between')) {
      this.at++;
      const low = this.sum();
      if (!this.isKeyword('and'))
        this.fail(this.peek(), 'between needs "and" between its bounds', 'write x between 1 and 5');
      this.at++;
      const high = this.sum();
      result = { kind: 'between', value: left, low, high, start: left.start, end: high.end };
    }
    const after = this.peek();
    if (result !== left && after.kind === 'op' && COMPARE_OPS.has(after.text)) {
      this.fail(after, 'comparisons do not chain', 'write a < b and b < c');
    }
    return result;
  }

  private sum(): Expr {
    return this.arithmetic(['+', '-'], () => this.product());
  }

  private product(): Expr {
    return this.arithmetic(['*', '/', '%'], () => this.unary());
  }

  private arithmetic(ops: readonly string[], operand: () => Expr): Expr {
    let left = operand();
    for (let token = this.peek(); token.kind === 'op' && ops.includes(token.text); token = this.peek()) {
      this.at++;
      const right = operand();
      left = {
        kind: 'arith',
        op: token.text as ExprOf<'arith'>['op'],
        left,
        right,
        start: left.start,
        end: right.end,
      };
    }
    return left;
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind !== 'op' || token.text !== '-') return this.primary();
    this.at++;
    const operand = this.unary();
    const start = token.start + this.offset;
    if (operand.kind === 'literal' && typeof operand.value === 'number') {
      return { kind: 'literal', value: -operand.value, start, end: operand.end };
    }
    return { kind: 'negate', operand, start, end: operand.end };
  }

  private primary(): Expr {
    const token = this.next();
    const span = { start: token.start + this.offset, end: token.end + this.offset };
    switch (token.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value as string | number, ...span };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false')
          return { kind: 'literal', value: token.text === 'true', ...span };
        if (token.text === 'null') return { kind: 'literal', value: null, ...span };
        if (OPERATOR_CALLS.has(token.text) && this.peek().kind === 'lparen') return this.operatorCall(token);
        return this.fail(
          token,
          `"${token.text}" needs a value before it`,
          "write e.g. steps.NAME.field contains 'x'",
        );
      case 'lparen': {
        const inner = this.or();
        const close = this.next();
        if (close.kind !== 'rparen')
          this.fail(close, `expected ")" but found ${describe(close)}`, 'close the parenthesis');
        return { ...inner, start: span.start, end: close.end + this.offset };
      }
      case 'name':
        return this.peek().kind === 'lparen' ? this.call(token) : this.path(token);
      default:
        return this.fail(
          token,
          `expected a value but found ${describe(token)}`,
          "write a path (steps.NAME.field), a literal ('text', 12, true) or a function call",
        );
    }
  }

  private path(first: Token): Expr {
    const segments = [first.text];
    let end = first.end;
    while (this.peek().kind === 'dot') {
      this.at++;
      const segment = this.next();
      if (segment.kind !== 'name')
        this.fail(segment, 'expected a field name after "."', 'write a dotted path such as steps.NAME.field');
      segments.push(segment.text);
      end = segment.end;
    }
    const span = { start: first.start + this.offset, end: end + this.offset };
    if (segments.length > 1 && segments.at(-1) === 'length') {
      const target: Expr = {
        kind: 'path',
        segments: segments.slice(0, -1),
        start: span.start,
        end: span.end - '.length'.length,
      };
      return { kind: 'call', name: 'length', args: [target], ...span };
    }
    return { kind: 'path', segments, ...span };
  }

  private call(name: Token): Expr {
    const refused = REFUSED_FUNCTIONS.get(name.text);
    if (refused !== undefined) this.fail(name, `${name.text}() is not available in conditions`, refused);
    const functions = this.options.functions ?? CONDITION_FUNCTIONS;
    const fn = functions.get(name.text);
    if (fn === undefined) {
      this.fail(name, `unknown function ${name.text}()`, `functions: ${[...functions.keys()].join(', ')}`);
    }
    this.at++; // (
    const args: Expr[] = [];
    let predicate: Expr | undefined;
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        const argToken = this.peek();
        const arg = this.or();
        if (args.length === fn?.predicateArg) {
          if (arg.kind !== 'literal' || typeof arg.value !== 'string') {
            this.fail(
              argToken,
              `the per-item condition of ${name.text}() is written in quotes`,
              `write ${fn.signature}, e.g. ${name.text}(steps.NAME.items, "severity == 'high'")`,
            );
          }
          predicate = this.predicate(argToken);
        }
        args.push(arg);
        if (this.peek().kind !== 'comma') break;
        this.at++;
      }
    }
    const close = this.next();
    if (close.kind !== 'rparen')
      this.fail(close, `expected "," or ")" but found ${describe(close)}`, `write ${fn?.signature}`);
    if (fn && this.options.checkArity !== false && (args.length < fn.minArgs || args.length > fn.maxArgs)) {
      this.fail(
        name,
        `${name.text}() takes ${fn.minArgs === fn.maxArgs ? fn.minArgs : fn.maxArgs === Number.POSITIVE_INFINITY ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`} argument(s), not ${args.length}`,
        `write ${fn.signature}`,
      );
    }
    const span = { start: name.start + this.offset, end: close.end + this.offset };
    const call = { kind: 'call' as const, name: name.text, args, ...span };
    return predicate === undefined ? call : { ...call, predicate };
  }

  /**
   * pipeline_ex's function spellings of three operators, `contains(a, b)`, `matches(a, 're')` and
   * `between(x, low, high)`, parsed into the operator's node so they mean exactly the same.
   */
  private operatorCall(name: Token): Expr {
    const signature = OPERATOR_CALLS.get(name.text) as string;
    this.at++; // (
    const args: Expr[] = [];
    while (this.peek().kind !== 'rparen') {
      args.push(name.text === 'matches' && args.length === 1 ? this.pattern() : this.or());
      if (this.peek().kind !== 'comma') break;
      this.at++;
    }
    const close = this.next();
    if (close.kind !== 'rparen')
      this.fail(close, `expected "," or ")" but found ${describe(close)}`, `write ${signature}`);
    const arity = name.text === 'between' ? 3 : 2;
    if (args.length !== arity)
      this.fail(name, `${name.text}() takes ${arity} arguments, not ${args.length}`, `write ${signature}`);
    const span = { start: name.start + this.offset, end: close.end + this.offset };
    const [first, second, third] = args as [Expr, Expr, Expr];
    if (name.text === 'between') return { kind: 'between', value: first, low: second, high: third, ...span };
    return { kind: name.text as 'contains' | 'matches', left: first, right: second, ...span };
  }

  /** The quoted regular expression of `matches`, checked now so a bad one fails at load time. */
  private pattern(): Expr {
    const token = this.peek();
    if (token.kind !== 'string') {
      this.fail(
        token,
        'matches takes a regular expression in quotes',
        "write e.g. steps.NAME.field matches '^v[0-9]+'",
      );
    }
    const literal = this.primary() as ExprOf<'literal'>;
    checkRegex(literal);
    return literal;
  }

  /** Parses the per-item condition inside a string token (offsets stay exact unless it has escapes). */
  private predicate(token: Token): Expr {
    const parsed = parseCondition(String(token.value), token.start + 1 + this.offset);
    if (parsed.error) throw new Stop(parsed.error);
    return parsed.expr as Expr;
  }

  private peek(): Token {
    return this.tokens[this.at] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === word;
  }

  private fail(token: Token, message: string, hint?: string): never {
    // At the end of the text there is nothing to point at: point at the last token.
    const at = token.kind === 'end' ? (this.tokens[this.tokens.length - 2] ?? token) : token;
    const span = { start: at.start + this.offset, end: Math.max(at.end, at.start + 1) + this.offset };
    throw new Stop(hint === undefined ? { message, ...span } : { message, hint, ...span });
  }
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the condition' : `"${token.text}"`;
}

function checkRegex(pattern: ExprOf<'literal'>): void {
  try {
    new RegExp(String(pattern.value), 'u');
  } catch (error) {
    throw new Stop({
      message: `invalid regular expression: ${(error as Error).message}`,
      hint: 'write a JavaScript regular expression, e.g. ^v[0-9]+$',
      start: pattern.start,
      end: pattern.end,
    });
  }
}
