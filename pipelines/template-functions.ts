/**
 * The functions templates may call (pipeline_ex's arithmetic set, reference §7):
 * `{{multiply(inputs.count, 3)}}`. They are the entries of the pipeline language's one function
 * table (`conditions/functions.ts`) that templates may call, with the same arity and implementation
 * as in conditions. Templates are stricter about arguments: each must be a number, and a call with
 * no value (division by zero) is an error, not `null`. The result is a number, so a value that is
 * one whole call keeps the number type.
 */

import { TEMPLATE_FUNCTIONS } from './conditions/functions.js';

/** How many arguments a function takes, and how a template writes it. */
export interface TemplateFunctionDef {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** How the call is written, for error hints. */
  readonly usage: string;
}

/** Every template function name, in the order hints list them. */
export const TEMPLATE_FUNCTION_NAMES = [
  'multiply',
  'add',
  'subtract',
  'divide',
  'max',
  'min',
  'round',
  'floor',
  'ceil',
] as const satisfies readonly string[];

/** The name of a template function. */
export type TemplateFunctionName = (typeof TEMPLATE_FUNCTION_NAMES)[number];

/** The function named `name`, if templates have one. */
export function templateFunction(name: string): TemplateFunctionDef | undefined {
  const fn = TEMPLATE_FUNCTION_NAMES.some((known) => known === name)
    ? TEMPLATE_FUNCTIONS.get(name)
    : undefined;
  if (fn === undefined) return undefined;
  return { minArgs: fn.minArgs, maxArgs: fn.maxArgs, usage: fn.templateSignature ?? fn.signature };
}

/**
 * Applies a function to evaluated arguments. Throws a `TypeError` naming the argument when one is
 * not a finite number, and a `RangeError` on division by zero; callers turn both into their own error.
 *
 * @example
 * applyTemplateFunction('multiply', [3, 4]); // 12
 */
export function applyTemplateFunction(name: TemplateFunctionName, args: readonly unknown[]): number {
  const fn = TEMPLATE_FUNCTIONS.get(name);
  if (fn === undefined) throw new Error(`internal: unknown template function ${name}`);
  args.forEach((arg, index) => {
    if (typeof arg !== 'number' || !Number.isFinite(arg)) {
      throw new TypeError(`${name}() argument ${index + 1} is ${JSON.stringify(arg)}, not a number`);
    }
  });
  const result = fn.call(args);
  // The shared implementation has no value for a division by zero (pipeline_ex's conditions yield 0
  // there; a silent 0 would hide the mistake).
  if (typeof result !== 'number')
    throw new RangeError(name === 'divide' ? 'divide() by zero' : `${name}() has no value here`);
  return result;
}
