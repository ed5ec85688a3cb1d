import { parseDocument, stringify } from 'yaml';
import type { ConvertFormat } from '../../../pipelines/contract/step-options.js';
import { formatCsv, parseCsv } from './csv.js';

/** A converted file: its text and media type. */
export interface Converted {
  readonly text: string;
  readonly contentType: string;
}

const JSON_TYPE = 'application/json';

/**
 * Converts a file's text between CSV, JSON and YAML. JSON is written indented, with a final newline.
 * Throws a `SyntaxError` saying what is wrong with input that does not parse or has the wrong shape.
 *
 * @example
 * convertText('name\nAda\n', 'csv_to_json').text; // '[\n  {\n    "name": "Ada"\n  }\n]\n'
 */
export function convertText(text: string, format: ConvertFormat): Converted {
  switch (format) {
    case 'csv_to_json':
      return json(parseCsv(text));
    case 'json_to_csv': {
      const rows = parseJson(text);
      if (!Array.isArray(rows) || !rows.every(isMap))
        throw new SyntaxError('json_to_csv needs a JSON list of objects');
      return { text: formatCsv(rows), contentType: 'text/csv' };
    }
    case 'yaml_to_json': {
      // No YAML 1.1 tags: plain JSON data is all the result can hold.
      const doc = parseDocument(text, { prettyErrors: false, resolveKnownTags: false });
      const [error] = doc.errors;
      if (error) throw new SyntaxError(`the YAML does not parse: ${error.message}`);
      return json(doc.toJS());
    }
    case 'json_to_yaml':
      return { text: stringify(parseJson(text)), contentType: 'application/yaml' };
  }
}

function json(value: unknown): Converted {
  return { text: `${JSON.stringify(value, null, 2)}\n`, contentType: JSON_TYPE };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`the JSON does not parse: ${(error as Error).message}`);
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
