import { asNumber, isTruthy, lengthOf, numbersOf } from './values.js';

/**
 * The functions conditions may call: pipeline_ex's library (§8) minus the clock. Every function is
 * pure, so the step runner evaluating a condition twice (a retry) gets the same answer. Its
 * `contains`, `matches` and `between` functions are the operators of the same name (see the parser).
 */

/** One function: how many arguments it takes and what it computes. */
export interface ConditionFunction {
  /** How the call is written, for hints: `startsWith(text, prefix)`. */
  readonly signature: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /**
   * Index of an argument that is a per-item condition written as a string (`any(list, "x > 1")`);
   * it is parsed at load time and evaluated once per list item.
   */
  readonly predicateArg?: number;
  readonly call: (args: readonly unknown[], predicate?: (item: unknown) => boolean) => unknown;
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

/** min/max of a list of numbers, or of two or more number arguments; `null` when there is none. */
function extreme(pick: (...values: number[]) => number): ConditionFunction['call'] {
  return (args) => {
    const numbers = args.length === 1 ? numbersOf(args[0]) : args.map(asNumber);
    if (numbers === undefined || numbers.length === 0 || numbers.some((n) => n === undefined)) return null;
    return pick(...(numbers as number[]));
  };
}

const SECONDS = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 } as const;

/** Every function, by name. */
export const CONDITION_FUNCTIONS: ReadonlyMap<string, ConditionFunction> = new Map<string, ConditionFunction>(
  [
    // Strings
    ['length', { signature: 'length(text_list_or_map)', minArgs: 1, maxArgs: 1, call: ([a]) => lengthOf(a) }],
    [
      'startsWith',
      {
        signature: 'startsWith(text, prefix)',
        minArgs: 2,
        maxArgs: 2,
        call: ([a, b]) =>
          str(a) !== undefined && str(b) !== undefined && (a as string).startsWith(b as string),
      },
    ],
    [
      'endsWith',
      {
        signature: 'endsWith(text, suffix)',
        minArgs: 2,
        maxArgs: 2,
        call: ([a, b]) => str(a) !== undefined && str(b) !== undefined && (a as string).endsWith(b as string),
      },
    ],
    [
      'toLowerCase',
      { signature: 'toLowerCase(text)', minArgs: 1, maxArgs: 1, call: onString((t) => t.toLowerCase()) },
    ],
    [
      'toUpperCase',
      { signature: 'toUpperCase(text)', minArgs: 1, maxArgs: 1, call: onString((t) => t.toUpperCase()) },
    ],
    ['trim', { signature: 'trim(text)', minArgs: 1, maxArgs: 1, call: onString((t) => t.trim()) }],
    // Lists
    [
      'any',
      {
        signature: 'any(list, "per-item condition")',
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
        minArgs: 1,
        maxArgs: 1,
        call: ([a]) => numbersOf(a)?.reduce((s, n) => s + n, 0) ?? null,
      },
    ],
    [
      'average',
      {
        signature: 'average(list)',
        minArgs: 1,
        maxArgs: 1,
        call: ([a]) => {
          const n = numbersOf(a);
          return n && n.length > 0 ? n.reduce((s, x) => s + x, 0) / n.length : null;
        },
      },
    ],
    ['min', { signature: 'min(list) or min(a, b, …)', minArgs: 1, maxArgs: 16, call: extreme(Math.min) }],
    ['max', { signature: 'max(list) or max(a, b, …)', minArgs: 1, maxArgs: 16, call: extreme(Math.max) }],
    [
      'isEmpty',
      {
        signature: 'isEmpty(value)',
        minArgs: 1,
        maxArgs: 1,
        call: ([a]) => !isTruthy(a) || (typeof a === 'object' && lengthOf(a) === 0),
      },
    ],
    // Numbers
    ['abs', { signature: 'abs(number)', minArgs: 1, maxArgs: 1, call: onNumber(Math.abs) }],
    ['round', { signature: 'round(number)', minArgs: 1, maxArgs: 1, call: onNumber(Math.round) }],
    ['floor', { signature: 'floor(number)', minArgs: 1, maxArgs: 1, call: onNumber(Math.floor) }],
    ['ceil', { signature: 'ceil(number)', minArgs: 1, maxArgs: 1, call: onNumber(Math.ceil) }],
    [
      'sqrt',
      {
        signature: 'sqrt(number)',
        minArgs: 1,
        maxArgs: 1,
        call: onNumber((n) => (n < 0 ? null : Math.sqrt(n))),
      },
    ],
    [
      'pow',
      {
        signature: 'pow(base, exponent)',
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
      { signature: `${name}(number)`, minArgs: 1, maxArgs: 1, call: onNumber((n) => n * factor) },
    ]),
  ],
);

/** pipeline_ex functions and built-ins refused here, with what to write instead. */
export const REFUSED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  [
    'now',
    'now() would make the condition depend on when it runs, so a retry could decide differently; declare an input (workflow.inputs.now, type: string or number) and compare inputs.now',
  ],
  ['date', 'declare the date as an input and compare inputs.NAME'],
  ['timestamp', 'declare the time as an input and compare inputs.NAME'],
]);
