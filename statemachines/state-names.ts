import { createHash } from 'node:crypto';

/** Step Functions' limit on a state's name. */
export const MAX_STATE_NAME_LENGTH = 80;

/**
 * The name of a helper state of a step: `BASE.SUFFIX` (`plan.Repair`, `batch.Consolidate`). Step
 * names cannot hold a dot, so these never collide with a step's own state. A name past Step Functions'
 * 80-character limit keeps its suffix and is shortened in the middle, with a hash of the full name
 * keeping it unique and stable.
 *
 * @example
 * helperStateName('plan', 'Repair'); // 'plan.Repair'
 */
export function helperStateName(base: string, suffix: string): string {
  const name = `${base}.${suffix}`;
  if (name.length <= MAX_STATE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const keep = MAX_STATE_NAME_LENGTH - suffix.length - hash.length - 2;
  return `${base.slice(0, keep)}~${hash}.${suffix}`;
}
