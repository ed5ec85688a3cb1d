import { ErrorName } from '../../../pipelines/contract/errors.js';
import type { AggregateFunction, DataOperation } from '../../../pipelines/contract/step-options.js';
import { valueAtPath } from '../../../pipelines/data-path.js';
import { evaluateItemCondition, parseItemCondition } from '../../../pipelines/item-condition.js';
import { ElexirionError } from '../../shared/errors.js';

/**
 * The operations of `data_transform`, pure functions over JSON values (reference §5.11, pipeline_ex's
 * `Pipeline.Data.Transformer`, without its silent fallbacks: an operation that needs a list and gets
 * something else fails with `Data.InvalidInput` instead of passing the value through).
 */

/** Resolves a join's `right_source` template to its value. */
export type ResolveSource = (template: string) => unknown;

/**
 * Applies operations in order, each to the previous one's result.
 *
 * @example
 * applyOperations([{ total: 5 }, { total: 150 }], [{ operation: 'filter', condition: 'total > 100' }], resolve);
 * // [{ total: 150 }]
 */
export function applyOperations(
  input: unknown,
  operations: readonly DataOperation[],
  resolveSource: ResolveSource,
): unknown {
  return operations.reduce<unknown>(
    (data, operation, index) => applyOperation(data, operation, index, resolveSource),
    input,
  );
}

/** The JSON type name of a value, as the result's metadata reports it. */
export function dataType(value: unknown): 'list' | 'map' | 'string' | 'number' | 'boolean' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value as 'string' | 'number' | 'boolean';
}

function applyOperation(
  data: unknown,
  operation: DataOperation,
  index: number,
  resolveSource: ResolveSource,
): unknown {
  const items = listOf(data, operation.operation, index);
  switch (operation.operation) {
    case 'filter': {
      const parsed = operation.condition === undefined ? undefined : parseItemCondition(operation.condition);
      // The loader rejects conditions that do not parse.
      const condition = parsed && 'condition' in parsed ? parsed.condition : undefined;
      return items.filter((item) => {
        const fieldValue =
          operation.field === undefined ? item : valueAtPath(item, operation.field.split('.'));
        return condition
          ? evaluateItemCondition(condition, item, fieldValue)
          : evaluateItemCondition({ kind: 'truthy', path: [] }, item, fieldValue);
      });
    }
    case 'map':
      return items.map((item) => mapItem(item, operation));
    case 'aggregate': {
      const path = operation.field?.split('.');
      return aggregate(
        path ? items.map((item) => valueAtPath(item, path)) : items,
        operation.function ?? 'sum',
      );
    }
    case 'join': {
      const right = listOf(resolveSource(operation.right_source), 'join (right_source)', index);
      const key = operation.join_key.split('.');
      const left = (operation.left_field ?? operation.join_key).split('.');
      return items.map((item) => {
        const wanted = valueAtPath(item, left);
        const match = right.find(
          (candidate) => wanted !== undefined && valueAtPath(candidate, key) === wanted,
        );
        return isMap(item) && isMap(match) ? { ...item, ...match } : item;
      });
    }
    case 'group_by': {
      const groups: Record<string, unknown[]> = {};
      for (const item of items) {
        const key = textOf(valueAtPath(item, operation.field.split('.')));
        if (!Object.hasOwn(groups, key)) groups[key] = [];
        groups[key]?.push(item);
      }
      return groups;
    }
    case 'sort': {
      const path = operation.field.split('.');
      const sign = operation.order === 'desc' ? -1 : 1;
      // Array.prototype.sort is stable; missing values go last in either order.
      return [...items].sort((a, b) => compareForSort(valueAtPath(a, path), valueAtPath(b, path), sign));
    }
  }
}

function mapItem(item: unknown, operation: Extract<DataOperation, { operation: 'map' }>): unknown {
  if (!isMap(item)) return item;
  if (operation.field === undefined) return { ...item, ...operation.mapping };
  const path = operation.field.split('.');
  const current = valueAtPath(item, path);
  let next = current;
  if (operation.mapping !== undefined) {
    const key = textOf(current);
    if (Object.hasOwn(operation.mapping, key)) next = operation.mapping[key];
  } else if (typeof current === 'string') {
    next = operation.expression === 'uppercase' ? current.toUpperCase() : current.toLowerCase();
  }
  return withValueAt(item, path, next);
}

/** Missing (undefined) values are skipped, as pipeline_ex skips nil; numeric functions read numbers only. */
function aggregate(values: readonly unknown[], fn: AggregateFunction): unknown {
  const present = values.filter((value) => value !== undefined && value !== null);
  const numbers = present.filter((value): value is number => typeof value === 'number');
  switch (fn) {
    case 'sum':
      return numbers.reduce((sum, n) => sum + n, 0);
    case 'average':
      // No numbers has no average; null says so instead of pipeline_ex's 0.
      return numbers.length === 0 ? null : numbers.reduce((sum, n) => sum + n, 0) / numbers.length;
    case 'count':
      return present.length;
    case 'max':
      return numbers.length === 0 ? null : Math.max(...numbers);
    case 'min':
      return numbers.length === 0 ? null : Math.min(...numbers);
    case 'first':
      return present[0] ?? null;
    case 'last':
      return present.at(-1) ?? null;
    case 'unique': {
      const seen = new Set<string>();
      return present.filter((value) => {
        const key = JSON.stringify(value);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
  }
}

/** Orders numbers numerically and text in UTF-16 order; numbers before text before anything else. */
function compareForSort(a: unknown, b: unknown, sign: number): number {
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const rank = (value: unknown) => (typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return (rank(a) - rank(b)) * sign;
  if (typeof a === 'number' || typeof a === 'string') {
    return (a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0) * sign;
  }
  return 0;
}

function listOf(data: unknown, operation: string, index: number): unknown[] {
  if (Array.isArray(data)) return data;
  const fields = isMap(data) ? ` (fields: ${Object.keys(data).join(', ') || 'none'})` : '';
  throw new ElexirionError(
    ErrorName.DataInvalidInput,
    `operation ${index + 1} (${operation}) needs a list, but got a ${dataType(data)}${fields}; ` +
      'point input_source at a list, e.g. {{steps.STEP.items}}',
  );
}

/** A value as a group or mapping key: text as it is, anything else as JSON (pipeline_ex's to_string). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? 'null' : JSON.stringify(value);
}

function withValueAt(
  item: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head = '', ...rest] = path;
  if (rest.length === 0) return { ...item, [head]: value };
  const inner = Object.hasOwn(item, head) ? item[head] : undefined;
  return { ...item, [head]: withValueAt(isMap(inner) ? inner : {}, rest, value) };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
