import type { StepArtifact, StepRunnerEvent } from '../../pipelines/contract/step-event.js';
import { valueAtPath } from '../../pipelines/data-path.js';
import {
  evaluateCall,
  parseTemplate,
  renderTemplate,
  segmentRefs,
  type TemplateRef,
  wholeValueTemplate,
} from '../../pipelines/templates.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import { TemplateUnresolvedError } from '../shared/errors.js';
import { expandResults } from '../step-runner/expand-results.js';
import type { StepOutput } from '../step-runner/step-output.js';
import { dataStepOutput } from '../steps/data-step-result.js';

/**
 * Everything templates can read during one step: inputs, variables, and the outputs of the earlier
 * steps this step refers to, loaded from S3 up front so rendering itself is synchronous.
 */
export class TemplateScope {
  private constructor(
    private readonly event: StepRunnerEvent,
    private readonly outputs: ReadonlyMap<string, StepOutput>,
  ) {}

  /** Loads the artifacts of `stepIds` (each once) and returns a scope over them. */
  static async load(
    event: StepRunnerEvent,
    stepIds: Iterable<string>,
    artifacts: ArtifactStore,
  ): Promise<TemplateScope> {
    const outputs = new Map<string, StepOutput>();
    await Promise.all(
      [...new Set(stepIds)].map(async (stepId) => {
        const ref = event.steps[stepId];
        if (!ref)
          throw new TemplateUnresolvedError(
            `step "${stepId}" has not run in this run, so its output is missing`,
          );
        // A Pass state leaves a small result in the state itself; everything else is in S3.
        // Nested references (a loop's iterations) are replaced by their answers (see expandResults).
        if (!isArtifactRef(ref))
          return void outputs.set(stepId, dataStepOutput(await expandResults(ref, artifacts)));
        const artifact = await artifacts.getJson<StepArtifact>(ref.artifact.key);
        outputs.set(stepId, artifact.response);
      }),
    );
    return new TemplateScope(event, outputs);
  }

  /** The output of an earlier step; the step must have been loaded. */
  output(stepId: string): StepOutput {
    const output = this.outputs.get(stepId);
    if (!output) throw new TemplateUnresolvedError(`step "${stepId}" was not loaded into this scope`);
    return output;
  }

  /** A field of a step's output: `text`, or a path into the JSON it answered with. */
  stepField(stepId: string, path: readonly string[]): unknown {
    const output = this.output(stepId);
    if (path.length === 1 && path[0] === 'text') return output.text;
    if (output.data === undefined) {
      throw new TemplateUnresolvedError(
        `step "${stepId}" answered with plain text, so it has no field "${path.join('.')}"; ` +
          `use {{steps.${stepId}.text}}, or ask the step to answer in JSON`,
      );
    }
    const value = valueAtPath(output.data, path);
    if (value === undefined) {
      const available = Object.keys(output.data ?? {}).join(', ');
      throw new TemplateUnresolvedError(
        `step "${stepId}" has no field "${path.join('.')}" in its JSON answer (fields: ${available || 'none'})`,
      );
    }
    return value;
  }

  /** The value a template reference names. */
  resolve(ref: TemplateRef): unknown {
    if (ref.root === 'steps') {
      const [stepId = '', ...path] = ref.path;
      return this.stepField(stepId, path);
    }
    const source =
      ref.root === 'inputs'
        ? this.event.inputs
        : ref.root === 'loop'
          ? this.event.loop
          : this.event.global_vars;
    const value = valueAtPath(source, ref.path);
    if (value === undefined) throw new TemplateUnresolvedError(`${ref.raw} has no value in this run`);
    return value;
  }

  /** Renders a string template to text. */
  render(text: string): string {
    return withCallErrors(() => renderTemplate(parseTemplate(text).segments, (ref) => this.resolve(ref)));
  }

  /** Evaluates a value: a string that is one whole template keeps the referenced value's type. */
  evaluate(value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = wholeValueTemplate(value);
      if (whole?.kind === 'ref') return this.resolve(whole.ref);
      if (whole?.kind === 'call')
        return withCallErrors(() => evaluateCall(whole.call, (ref) => this.resolve(ref)));
      return this.render(value);
    }
    if (Array.isArray(value)) return value.map((inner) => this.evaluate(inner));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.evaluate(inner)]));
    }
    return value;
  }
}

/** Step ids that templates in `values` read (at any depth). */
export function referencedSteps(values: readonly unknown[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const ref of segmentRefs(parseTemplate(value).segments)) {
        if (ref.root === 'steps' && ref.path[0]) found.push(ref.path[0]);
      }
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  values.forEach(visit);
  return found;
}

/** True for a reference to an artifact in S3, false for a result a Pass state left in the state. */
function isArtifactRef(entry: object): entry is { readonly artifact: { readonly key: string } } {
  const artifact = (entry as { artifact?: unknown }).artifact;
  return (
    typeof artifact === 'object' &&
    artifact !== null &&
    typeof (artifact as { key?: unknown }).key === 'string'
  );
}

/** Runs a template evaluation, turning a function's bad argument or division by zero into a named error. */
function withCallErrors<T>(evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError)
      throw new TemplateUnresolvedError(error.message);
    throw error;
  }
}
