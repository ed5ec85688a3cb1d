import type { SetVariableStep } from '../../pipelines/schema.js';
import {
  parseTemplate,
  type TemplateRef,
  type TemplateSegment,
  wholeValueRef,
} from '../../pipelines/templates.js';
import { referencePath } from '../json-path.js';
import type { AslObject, AslValue } from '../types.js';
import { type EmitContext, type EmittedStep, singleState, transition } from './context.js';
import { checkLiteralKeys } from './literal-keys.js';
import { stepRunnerTask } from './step-runner-task.js';

/** set_variable touches no provider; its Task only reads artifacts, so a short timeout suffices. */
const SET_VARIABLE_TASK_TIMEOUT_SECONDS = 60;

/**
 * Compiles a `set_variable` step. When every value is a literal or refers only to inputs and
 * variables, it becomes a Pass state that rebuilds `$.global_vars` in ASL alone. A value that reads a
 * step's output needs that output from S3, so the step runner evaluates the step instead.
 */
export function emitSetVariableStep(step: SetVariableStep, ctx: EmitContext): EmittedStep {
  const needsRunner = !Object.values(step.variables).every(fitsPassState);
  if (needsRunner) {
    const state = stepRunnerTask({
      stepId: step.name,
      resultPath: '$.global_vars',
      timeoutSeconds: SET_VARIABLE_TASK_TIMEOUT_SECONDS,
      next: ctx.next,
    });
    return singleState(step.name, state, { kind: 'set_variable', variables: step.variables });
  }
  const parameters: AslObject = {};
  // Pass Parameters replace the whole object, so carry every variable that exists and is not reset.
  for (const name of [...ctx.knownGlobalVars].sort()) {
    if (!(name in step.variables)) parameters[`${name}.$`] = referencePath('$.global_vars', [name]);
  }
  for (const [name, value] of Object.entries(step.variables)) {
    const compiled = compileValue(value, ctx, name);
    if (compiled.kind === 'path') parameters[`${name}.$`] = compiled.expression;
    else parameters[name] = compiled.value;
  }
  const state = {
    Type: 'Pass',
    Parameters: parameters,
    ResultPath: '$.global_vars',
    ...transition(ctx.next),
  };
  return singleState(step.name, state);
}

type CompiledValue = { kind: 'path'; expression: string } | { kind: 'literal'; value: AslValue };

function compileValue(value: unknown, ctx: EmitContext, name: string): CompiledValue {
  if (typeof value !== 'string') {
    checkLiteralKeys(value, [...ctx.path, 'variables', name], ctx.report);
    return { kind: 'literal', value: value as AslValue };
  }
  const { segments } = parseTemplate(value);
  const refs = segments.filter((s): s is Extract<TemplateSegment, { kind: 'ref' }> => s.kind === 'ref');
  if (refs.length === 0) return { kind: 'literal', value };
  // The same rule as the step runner's: a value that is one whole template keeps the value's type.
  const whole = wholeValueRef(value);
  if (whole) return { kind: 'path', expression: statePath(whole) };
  return { kind: 'path', expression: formatExpression(segments) };
}

/** `States.Format('…{}…', $.a)` for a string mixing text and references. */
function formatExpression(segments: readonly TemplateSegment[]): string {
  const template = segments.map((s) => (s.kind === 'text' ? escapeIntrinsicString(s.text) : '{}')).join('');
  const args = segments.flatMap((s) => (s.kind === 'ref' ? [statePath(s.ref)] : []));
  return `States.Format('${template}', ${args.join(', ')})`;
}

/** Intrinsic string literals reserve `'`, `{` and `}` (backslashes never reach here; see fitsPassState). */
function escapeIntrinsicString(text: string): string {
  return text.replace(/['{}]/g, (c) => `\\${c}`);
}

function statePath(ref: TemplateRef): string {
  return referencePath(`$.${ref.root}`, ref.path);
}

/**
 * Whether ASL alone can produce a value: a literal, or a string whose templates read only inputs and
 * variables. Step outputs live in S3; nested templates are out of reach of Pass Parameters; and a
 * backslash inside `States.Format` text, though legal on AWS, fails asl-validator, our CI gate.
 */
function fitsPassState(value: unknown): boolean {
  if (typeof value !== 'string') return !someRef(value, () => true);
  const { segments } = parseTemplate(value);
  const refs = segments.flatMap((s) => (s.kind === 'ref' ? [s.ref] : []));
  if (refs.some((ref) => ref.root === 'steps')) return false;
  return refs.length === 0 || !value.includes('\\');
}

/** True when some template anywhere inside `value` satisfies `test`. */
function someRef(value: unknown, test: (ref: TemplateRef) => boolean): boolean {
  if (typeof value === 'string')
    return parseTemplate(value).segments.some((s) => s.kind === 'ref' && test(s.ref));
  if (value !== null && typeof value === 'object')
    return Object.values(value).some((inner) => someRef(inner, test));
  return false;
}
