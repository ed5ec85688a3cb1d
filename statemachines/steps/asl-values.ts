import type { AslValue } from '../../pipelines/contract/spec-bundle.js';
import {
  parseTemplate,
  segmentRefs,
  type TemplateRef,
  type TemplateSegment,
  wholeValueRef,
} from '../../pipelines/templates.js';
import { referencePath } from '../json-path.js';
import type { EmitContext } from './context.js';
import { checkLiteralKeys } from './literal-keys.js';

/**
 * Values written in a pipeline file, compiled to what a Pass state's `Parameters` can compute: a
 * literal, a JSONPath, or `States.Format`. Shared by every step that computes values in ASL alone
 * (`set_variable`, `test_echo`, nested pipeline inputs) so they all follow the step runner's rules.
 */

/** A value as a `Parameters` entry: a path expression (key gets `.$`) or a literal. */
export type CompiledValue =
  | { readonly kind: 'path'; readonly expression: string }
  | { readonly kind: 'literal'; readonly value: AslValue };

/**
 * Compiles a value that {@link fitsPassState}. The same rule as the step runner's: a value that is one
 * whole template keeps the value's type; a string mixing text and references becomes a string.
 * `path` is the value's field path, for reporting literal keys Step Functions would misread.
 */
export function compileValue(
  value: unknown,
  path: readonly (string | number)[],
  report: EmitContext['report'],
): CompiledValue {
  if (typeof value !== 'string') {
    checkLiteralKeys(value, path, report);
    return { kind: 'literal', value: value as AslValue };
  }
  const { segments } = parseTemplate(value);
  if (segments.every((s) => s.kind === 'text')) return { kind: 'literal', value };
  const whole = wholeValueRef(value);
  if (whole) return { kind: 'path', expression: statePath(whole) };
  return { kind: 'path', expression: formatExpression(segments) };
}

/** Sets a compiled value on a `Parameters` object under `name` (`name.$` for a path). */
export function setParameter(parameters: Record<string, AslValue>, name: string, value: CompiledValue): void {
  if (value.kind === 'path') parameters[`${name}.$`] = value.expression;
  else parameters[name] = value.value;
}

/**
 * Whether ASL alone can produce a value: a literal, or a string whose templates read only inputs and
 * variables. Step outputs live in S3; function calls and nested templates are out of reach of Pass
 * Parameters; and a backslash inside `States.Format` text, though legal on AWS, fails asl-validator,
 * our CI gate.
 */
export function fitsPassState(value: unknown): boolean {
  if (typeof value !== 'string') return !someTemplate(value);
  const { segments } = parseTemplate(value);
  if (segments.some((s) => s.kind === 'call')) return false;
  const refs = segmentRefs(segments);
  if (refs.some((ref) => ref.root === 'steps')) return false;
  return refs.length === 0 || !value.includes('\\');
}

/** `States.Format('…{}…', $.a)` for a string mixing text and references. */
function formatExpression(segments: readonly TemplateSegment[]): string {
  const template = segments.map((s) => (s.kind === 'text' ? escapeIntrinsicString(s.text) : '{}')).join('');
  const args = segmentRefs(segments).map(statePath);
  return `States.Format('${template}', ${args.join(', ')})`;
}

/** Intrinsic string literals reserve `'`, `{` and `}` (backslashes never reach here; see fitsPassState). */
function escapeIntrinsicString(text: string): string {
  return text.replace(/['{}]/g, (c) => `\\${c}`);
}

function statePath(ref: TemplateRef): string {
  return referencePath(`$.${ref.root}`, ref.path);
}

/** True when some string anywhere inside `value` holds a template. */
function someTemplate(value: unknown): boolean {
  if (typeof value === 'string') return parseTemplate(value).segments.some((s) => s.kind !== 'text');
  if (value !== null && typeof value === 'object') return Object.values(value).some(someTemplate);
  return false;
}
