import { z } from 'zod';

/**
 * Fields every step type shares. They live apart from `schema.ts` so that each step type's module
 * can use them without importing the step union that imports it (an import cycle evaluates one side
 * before the other is defined).
 */

/** A step's name: how later steps, templates and the state machine refer to it. */
export const stepName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
    message: 'a step name starts with a letter and holds only letters, digits, "_" and "-" (at most 64)',
  })
  .describe('Unique name of the step; later steps refer to it as {{steps.NAME.text}}.');

/** pipeline_ex's `output_to_file`, accepted so existing files load. */
export const outputToFile = z
  .string()
  .optional()
  .describe(
    'Accepted for compatibility with pipeline_ex; ignored: every step output is stored as a run artifact.',
  );
