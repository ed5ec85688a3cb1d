import { z } from 'zod';
import { SIGNATURE_FIELD_TYPES } from '../../pipelines/contract/learning-spec.js';

/** The pack format the optimizer writes (`optimizer/src/elexirion_optimizer/export.py`, `PACK_FORMAT`). */
export const PACK_FORMAT = 'elexirion.prompt-pack/1';

const message = <R extends string>(roles: readonly [R, ...R[]]) =>
  z.object({ role: z.enum(roles), content: z.string() });

/** One field of a pack's signature: its name and the Python type name DSPy rendered it with. */
export const PackFieldSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  type: z.enum(SIGNATURE_FIELD_TYPES),
  desc: z.string().optional(),
});

/**
 * A prompt pack: one optimized version of one step's prompt, compiled by DSPy. The system message
 * and the demonstration turns are DSPy's own rendering, sent verbatim; `signature` is what the
 * runtime needs to render the final user message and parse the reply; `golden` holds DSPy's full
 * rendering of a few inputs, which the runtime reproduces before it trusts the pack. Scores, lineage
 * and versions are the record of how the pack was made.
 *
 * @example
 * const pack = PromptPackSchema.parse(await artifacts.getJson(key));
 */
export const PromptPackSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.string().regex(/^pack:[0-9a-f]{12}$/),
  tenantId: z.string(),
  pipeline: z.string(),
  stepId: z.string(),
  specHash: z.string(),
  createdAt: z.string(),
  predictor: z.string(),
  adapter: z.object({ name: z.literal('chat'), useJsonAdapterFallback: z.literal(false) }),
  signature: z.object({
    instructions: z.string(),
    inputs: z.array(PackFieldSchema),
    outputs: z.array(PackFieldSchema).min(1),
  }),
  demos: z.array(z.record(z.string(), z.unknown())),
  rendered: z.object({ system: z.string(), demoMessages: z.array(message(['user', 'assistant'])) }),
  lm: z.record(z.string(), z.unknown()),
  optimizer: z.object({
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    seed: z.number(),
    trials: z.number(),
  }),
  scores: z.object({
    metric: z.string(),
    heldOut: z.object({ candidate: z.number(), active: z.number(), examples: z.number() }),
  }),
  lineage: z.object({
    activeVersion: z.string().nullable(),
    train: z.array(z.string()),
    heldOut: z.array(z.string()),
    dataHash: z.string(),
  }),
  dependencies: z.object({ python: z.string(), dspy: z.string(), litellm: z.string() }),
  golden: z.array(
    z.object({
      inputs: z.record(z.string(), z.unknown()),
      messages: z.array(message(['system', 'user', 'assistant'])),
    }),
  ),
});

/** A validated prompt pack. */
export type PromptPack = z.infer<typeof PromptPackSchema>;

/** A signature field of a pack. */
export type PackField = z.infer<typeof PackFieldSchema>;

/** The fields the runtime renders and parses. */
export type PackSignature = PromptPack['signature'];
