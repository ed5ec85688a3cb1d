/**
 * The arithmetic functions templates may call (pipeline_ex's set, reference §7):
 * `{{multiply(inputs.count, 3)}}`. Arguments are numbers or template paths; the result is a number,
 * so a value that is one whole call keeps the number type.
 */

/** How many arguments a function takes, and how it computes its result. */
interface TemplateFunctionDef {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** What the function does, for error hints. */
  readonly usage: string;
  apply(args: readonly number[]): number;
}

const TEMPLATE_FUNCTIONS = {
  multiply: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    usage: 'multiply(a, b, …)',
    apply: (args) => args.reduce((product, n) => product * n, 1),
  },
  add: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    usage: 'add(a, b, …)',
    apply: (args) => args.reduce((sum, n) => sum + n, 0),
  },
  subtract: { minArgs: 2, maxArgs: 2, usage: 'subtract(a, b)', apply: ([a = 0, b = 0]) => a - b },
  divide: {
    minArgs: 2,
    maxArgs: 2,
    usage: 'divide(a, b)',
    apply: ([a = 0, b = 0]) => {
      // pipeline_ex's conditions yield 0 here; a silent 0 would hide the mistake.
      if (b === 0) throw new RangeError('divide() by zero');
      return a / b;
    },
  },
  max: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    usage: 'max(a, b, …)',
    apply: (args) => Math.max(...args),
  },
  min: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    usage: 'min(a, b, …)',
    apply: (args) => Math.min(...args),
  },
  round: {
    minArgs: 1,
    maxArgs: 2,
    usage: 'round(x) or round(x, digits)',
    apply: ([x = 0, digits = 0]) => {
      const scale = 10 ** Math.trunc(digits);
      return Math.round(x * scale) / scale;
    },
  },
  floor: { minArgs: 1, maxArgs: 1, usage: 'floor(x)', apply: ([x = 0]) => Math.floor(x) },
  ceil: { minArgs: 1, maxArgs: 1, usage: 'ceil(x)', apply: ([x = 0]) => Math.ceil(x) },
} as const satisfies Record<string, TemplateFunctionDef>;

/** The name of a template function. */
export type TemplateFunctionName = keyof typeof TEMPLATE_FUNCTIONS;

/** Every template function name, for hints. */
export const TEMPLATE_FUNCTION_NAMES = Object.keys(TEMPLATE_FUNCTIONS) as TemplateFunctionName[];

/** The function named `name`, if templates have one. */
export function templateFunction(name: string): TemplateFunctionDef | undefined {
  return Object.hasOwn(TEMPLATE_FUNCTIONS, name)
    ? TEMPLATE_FUNCTIONS[name as TemplateFunctionName]
    : undefined;
}

/**
 * Applies a function to evaluated arguments. Throws a `TypeError` naming the argument when one is
 * not a finite number, and a `RangeError` on division by zero; callers turn both into their own error.
 *
 * @example
 * applyTemplateFunction('multiply', [3, 4]); // 12
 */
export function applyTemplateFunction(name: TemplateFunctionName, args: readonly unknown[]): number {
  const numbers = args.map((arg, index) => {
    if (typeof arg !== 'number' || !Number.isFinite(arg)) {
      throw new TypeError(`${name}() argument ${index + 1} is ${JSON.stringify(arg)}, not a number`);
    }
    return arg;
  });
  return TEMPLATE_FUNCTIONS[name].apply(numbers);
}
