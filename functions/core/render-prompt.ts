import type { LlmStepSpec, PromptPartSpec } from '../../statemachines/types.js';
import { referencedSteps, type TemplateScope } from './template-scope.js';

/** The text sent to the model. */
export interface RenderedPrompt {
  readonly system?: string;
  readonly prompt: string;
}

/** Step ids a spec reads, through templates or `previous_response` parts. */
export function stepsReadBy(spec: LlmStepSpec): string[] {
  const templates = [
    spec.system,
    ...spec.prompt.map((part) => (part.type === 'static' ? part.content : undefined)),
  ];
  const previous = spec.prompt.flatMap((part) => (part.type === 'previous_response' ? [part.step] : []));
  return [...referencedSteps(templates.filter((t) => t !== undefined)), ...previous];
}

/** Renders the prompt parts, joined with newlines as pipeline_ex does. */
export function renderPrompt(spec: LlmStepSpec, scope: TemplateScope): RenderedPrompt {
  const prompt = spec.prompt.map((part) => renderPart(part, scope)).join('\n');
  return spec.system === undefined ? { prompt } : { system: scope.render(spec.system), prompt };
}

function renderPart(part: PromptPartSpec, scope: TemplateScope): string {
  switch (part.type) {
    case 'static':
      return scope.render(part.content);
    case 'file':
      return part.content;
    case 'previous_response': {
      if (part.extract === undefined) return scope.output(part.step).text;
      const value = scope.stepField(part.step, part.extract.split('.'));
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    }
  }
}
