import type { ItemKey } from './table-definitions.js';

/** Drops the table's key attributes, leaving the record as it was put. */
export function stripKey(item: Record<string, unknown>): Omit<Record<string, unknown>, keyof ItemKey> {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record;
}

/** True when a write was refused by its condition expression; compares the SDK error's `name`. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
