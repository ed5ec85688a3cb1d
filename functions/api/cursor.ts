import { RunIdSchema } from '../runs/request-schemas.js';
import { BadRequestError } from './errors.js';

/** The opaque cursor of the page after `runId`. */
export function encodeCursor(runId: string): string {
  return Buffer.from(JSON.stringify({ after: runId }), 'utf8').toString('base64url');
}

/**
 * The run id a cursor continues after. A cursor only positions a listing within the caller's own
 * runs, so a forged one can reveal nothing; one this API did not make is a 400.
 */
export function decodeCursor(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    return RunIdSchema.parse(after);
  } catch {
    throw new BadRequestError('INVALID_REQUEST', 'the cursor is not one this API returned', [
      {
        field: 'cursor',
        message: 'pass the cursor of the previous page unchanged, or leave it out for the first page',
      },
    ]);
  }
}
