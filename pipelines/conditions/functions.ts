import { asNumber, isTruthy, lengthOf, numbersOf } from './values.js';

/**
 * The one function table of the pipeline language: every function conditions or templates may
 * call, with its arity and implementation. Conditions may call pipeline_ex's library (§8) minus the
 * clock; templates may call its arithmetic functions (reference §7: `{{multiply(inputs.count, 3)}}`).
 * A function both may call (`max`, `min`, `round`, `floor`, `ceil`) is one entry with one arity and
 * one implementation. Every function is pure, so the step runner evaluating a condition twice (a
 * retry) gets the same answer. Its `contains`, `matches` and `between` functions are the operators of
 * the same name (see the parser).
 *
 * An implementation never throws on data: a missing or mistyped argument gives `null`, as the
 * conditions language wants. Templates are stricter and check their arguments first (see
 * `template-functions.ts`).
 */

/** The languages that may call a function. */
export type FunctionLanguage = 'condition' | 'template';

/** One function: where it may be called, how many arguments it takes and what it computes. */
export interface PipelineFunction {
  /** How the call is written, for hints: `startsWith(text, prefix)`. */
  readonly signature: string;
  /** How a template writes it, when that differs from `signature` (templates pass numbers only). */
  readonly templateSignature?: string;
  readonly minArgs: number;
  /** `Number.POSITIVE_INFINITY` when there is no upper bound. */
  readonly maxArgs: number;
  readonly languages: readonly FunctionLanguage[];
  /**
   * Index of an argument that is a per-item condition written as a string (`any(list, "x > 1")`);
   * it is parsed at load time and evaluated once per list item.
   */
  readonly predicateArg?: number;
  readonly call: (args: readonly unknown[], predicate?: (item: unknown) => boolean) => unknown;
}

/** A function conditions may call. */
export type ConditionFunction = PipelineFunction;

const CONDITION: readonly FunctionLanguage[] = ['condition'];
const TEMPLATE: readonly FunctionLanguage[] = ['template'];
const BOTH: readonly FunctionLanguage[] = ['condition', 'template'];

/** How many arguments a function takes, in words: `2 arguments`, `1 to 2 arguments`, `at least 1 argument`. */
export function describeArity(fn: Pick<PipelineFunction, 'minArgs' | 'maxArgs'>): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (fn.minArgs === fn.maxArgs) return plural(fn.minArgs);
  return fn.maxArgs === Number.POSITIVE_INFINITY
    ? `at least ${plural(fn.minArgs)}`
    : `${fn.minArgs} to ${plural(fn.maxArgs)}`;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Applies `fn` to a string argument; anything else gives `null`. */
function onString(fn: (text: string) => unknown): ConditionFunction['call'] {
  return ([value]) => {
    const text = str(value);
    return text === undefined ? null : fn(text);
  };
}

/** Applies `fn` to a number argument; anything else gives `null`. */
function onNumber(fn: (n: number) => number | null): ConditionFunction['call'] {
  return ([value]) => {
    const n = asNumber(value);
    return n === undefined ? null : fn(n);
  };
}

/** A list test: with a per-item condition, `test` gets its results; without one, the items' truthiness. */
function overItems(empty: unknown, test: (results: boolean[]) => unknown): ConditionFunction['call'] {
  return ([list], predicate) => {
    if (!Array.isArray(list)) return empty;
    return test(list.map((item) => (predicate ? predicate(item) : isTruthy(item))));
  };
}

/** min/max of a list of numbers, or of number arguments; `null` when there is none. */
function extreme(pick: (...values: number[]) => number): ConditionFunction['call'] {
  return (args) => {
    const numbers = args.length === 1 && Array.isArray(args[0]) ? numbersOf(args[0]) : args.map(asNumber);
    if (numbers === undefined || numbers.length === 0 || numbers.some((n) => n === undefined)) return null;
    return pick(...(numbers as number[]));
  };
}

const SECONDS = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 } as const;

/** Applies `fn` to number arguments; any other argument gives `null`. */
function onNumbers(fn: (numbers: number[]) => number | null): ConditionFunction['call'] {
  return (args) => {
    const numbers = args.map(asNumber);
    return numbers.some((n) => n === undefined) ? null : fn(numbers as number[]);
  };
}

/** Every function, by name, with the languages that may call it. */
export const PIPELINE_FUNCTIONS: ReadonlyMap<string, PipelineFunction> = new Map<string, PipelineFunction>([
  // Strings
  [
    'length',
    {
      signature: 'length(text_list_or_map)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: ([a]) => lengthOf(a),
    },
  ],
  [
    'startsWith',
    {
      signature: 'startsWith(text, prefix)',
      languages: CONDITION,
      minArgs: 2,
      maxArgs: 2,
      call: ([a, b]) => str(a) !== undefined && str(b) !== undefined && (a as string).startsWith(b as string),
    },
  ],
  [
    'endsWith',
    {
      signature: 'endsWith(text, suffix)',
      languages: CONDITION,
      minArgs: 2,
      maxArgs: 2,
      call: ([a, b]) => str(a) !== undefined && str(b) !== undefined && (a as string).endsWith(b as string),
    },
  ],
  [
    'toLowerCase',
    {
      signature: 'toLowerCase(text)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: onString((t) => t.toLowerCase()),
    },
  ],
  [
    'toUpperCase',
    {
      signature: 'toUpperCase(text)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: onString((t) => t.toUpperCase()),
    },
  ],
  [
    'trim',
    {
      signature: 'trim(text)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: onString((t) => t.trim()),
    },
  ],
  // Lists
  [
    'any',
    {
      signature: 'any(list, "per-item condition")',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 2,
      predicateArg: 1,
      call: overItems(false, (r) => r.some(Boolean)),
    },
  ],
  [
    'all',
    {
      signature: 'all(list, "per-item condition")',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 2,
      predicateArg: 1,
      call: overItems(false, (r) => r.every(Boolean)),
    },
  ],
  [
    'count',
    {
      signature: 'count(list, "per-item condition")',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 2,
      predicateArg: 1,
      call: overItems(0, (r) => r.filter(Boolean).length),
    },
  ],
  [
    'sum',
    {
      signature: 'sum(list)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: ([a]) => numbersOf(a)?.reduce((s, n) => s + n, 0) ?? null,
    },
  ],
  [
    'average',
    {
      signature: 'average(list)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: ([a]) => {
        const n = numbersOf(a);
        return n && n.length > 0 ? n.reduce((s, x) => s + x, 0) / n.length : null;
      },
    },
  ],
  [
    'min',
    {
      signature: 'min(list) or min(a, b, …)',
      templateSignature: 'min(a, b, …)',
      languages: BOTH,
      minArgs: 1,
      maxArgs: Number.POSITIVE_INFINITY,
      call: extreme(Math.min),
    },
  ],
  [
    'max',
    {
      signature: 'max(list) or max(a, b, …)',
      templateSignature: 'max(a, b, …)',
      languages: BOTH,
      minArgs: 1,
      maxArgs: Number.POSITIVE_INFINITY,
      call: extreme(Math.max),
    },
  ],
  [
    'isEmpty',
    {
      signature: 'isEmpty(value)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: ([a]) => !isTruthy(a) || (typeof a === 'object' && lengthOf(a) === 0),
    },
  ],
  // Numbers
  [
    'abs',
    { signature: 'abs(number)', languages: CONDITION, minArgs: 1, maxArgs: 1, call: onNumber(Math.abs) },
  ],
  [
    'round',
    {
      signature: 'round(x) or round(x, digits)',
      languages: BOTH,
      minArgs: 1,
      maxArgs: 2,
      call: onNumbers(([x = 0, digits = 0]) => {
        const scale = 10 ** Math.trunc(digits);
        return Math.round(x * scale) / scale;
      }),
    },
  ],
  ['floor', { signature: 'floor(x)', languages: BOTH, minArgs: 1, maxArgs: 1, call: onNumber(Math.floor) }],
  ['ceil', { signature: 'ceil(x)', languages: BOTH, minArgs: 1, maxArgs: 1, call: onNumber(Math.ceil) }],
  // Arithmetic of templates (conditions write the operators + - * / instead)
  [
    'multiply',
    {
      signature: 'multiply(a, b, …)',
      languages: TEMPLATE,
      minArgs: 2,
      maxArgs: Number.POSITIVE_INFINITY,
      call: onNumbers((n) => n.reduce((product, x) => product * x, 1)),
    },
  ],
  [
    'add',
    {
      signature: 'add(a, b, …)',
      languages: TEMPLATE,
      minArgs: 2,
      maxArgs: Number.POSITIVE_INFINITY,
      call: onNumbers((n) => n.reduce((sum, x) => sum + x, 0)),
    },
  ],
  [
    'subtract',
    {
      signature: 'subtract(a, b)',
      languages: TEMPLATE,
      minArgs: 2,
      maxArgs: 2,
      call: onNumbers(([a = 0, b = 0]) => a - b),
    },
  ],
  [
    'divide',
    {
      signature: 'divide(a, b)',
      languages: TEMPLATE,
      minArgs: 2,
      maxArgs: 2,
      // No value when dividing by zero (pipeline_ex answers 0, which would hide the mistake).
      call: onNumbers(([a = 0, b = 0]) => (b === 0 ? null : a / b)),
    },
  ],
  [
    'sqrt',
    {
      signature: 'sqrt(number)',
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: onNumber((n) => (n < 0 ? null : Math.sqrt(n))),
    },
  ],
  [
    'pow',
    {
      signature: 'pow(base, exponent)',
      languages: CONDITION,
      minArgs: 2,
      maxArgs: 2,
      call: ([a, b]) => {
        const x = asNumber(a);
        const y = asNumber(b);
        return x === undefined || y === undefined ? null : x ** y;
      },
    },
  ],
  // Durations, in seconds: pure arithmetic, unlike now().
  ...Object.entries(SECONDS).map(([name, factor]): [string, ConditionFunction] => [
    name,
    {
      signature: `${name}(number)`,
      languages: CONDITION,
      minArgs: 1,
      maxArgs: 1,
      call: onNumber((n) => n * factor),
    },
  ]),
]);

/** The functions `language` may call, by name. */
function functionsOf(language: FunctionLanguage): ReadonlyMap<string, PipelineFunction> {
  return new Map([...PIPELINE_FUNCTIONS].filter(([, fn]) => fn.languages.includes(language)));
}

/** The functions conditions may call, by name. */
export const CONDITION_FUNCTIONS: ReadonlyMap<string, PipelineFunction> = functionsOf('condition');

/** The functions templates may call, by name. */
export const TEMPLATE_FUNCTIONS: ReadonlyMap<string, PipelineFunction> = functionsOf('template');

/** pipeline_ex functions and built-ins refused here, with what to write instead. */
export const REFUSED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  [
    'now',
    'now() would make the condition depend on when it runs, so a retry could decide differently; declare an input (workflow.inputs.now, type: string or number) and compare inputs.now',
  ],
  ['date', 'declare the date as an input and compare inputs.NAME'],
  ['timestamp', 'declare the time as an input and compare inputs.NAME'],
]);
