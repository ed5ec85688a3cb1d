import { ErrorName } from '../../pipelines/contract/errors.js';
import { ElexirionError } from '../shared/errors.js';

/**
 * A workspace cannot be used: its manifest is missing or altered, or the archive it is made from
 * holds an entry no workspace may hold. The message names the object or entry and what to do.
 */
export class WorkspaceInvalidError extends ElexirionError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorName.WorkspaceInvalid, message, options);
  }
}
