import type { AslObject } from '../../../pipelines/contract/spec-bundle.js';
import type { Workflow } from '../../../pipelines/schema.js';
import type { Pipeline } from '../../../pipelines/types.js';

/** A loaded pipeline built in memory, for compiler tests that do not exercise the loader. */
export function pipelineOf(
  workflow: Partial<Workflow> & Pick<Workflow, 'steps'>,
  files: Record<string, string> = {},
): Pipeline {
  return { file: '/virtual/pipeline.yaml', workflow: { name: 'test_pipeline', ...workflow }, files };
}

/** A two-step chain: a Claude step, then a Gemini step reading its answer. */
export const CHAIN: Pipeline = pipelineOf({
  name: 'chain',
  inputs: { topic: { type: 'string', default: 'queues' } },
  steps: [
    {
      name: 'outline',
      type: 'claude',
      claude_options: { model: 'haiku', system_prompt: 'Be brief.' },
      prompt: [{ type: 'static', content: 'Outline {{inputs.topic}}.' }],
    },
    {
      name: 'review',
      type: 'gemini',
      token_budget: { temperature: 0.2, max_output_tokens: 512 },
      prompt: [
        { type: 'static', content: 'Review this outline:' },
        { type: 'previous_response', step: 'outline' },
      ],
    },
  ],
});

/** The `States` map of a compiled definition, typed loosely for assertions. */
export function statesOf(asl: AslObject | undefined): Record<string, Record<string, unknown>> {
  if (!asl) throw new Error('the pipeline did not compile');
  return asl.States as Record<string, Record<string, unknown>>;
}
