import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV as RFC 4180 writes it: comma-separated fields, double quotes around fields holding a comma, a
 * quote or a line break, a quote inside them doubled; CRLF, LF or CR line ends. The first row names
 * the fields. csv-parse and csv-stringify do the reading and writing; this module keeps the shape
 * (rows of string maps) and the errors (a `SyntaxError` naming the line) the `convert` step reports.
 */

/**
 * Rows of objects from CSV text, each value a string. A byte order mark before the header is not part
 * of the first name. Throws a `SyntaxError` naming the line of a row whose field count differs from the
 * header's, of an unclosed quote, or of a quote where RFC 4180 allows none (`"a"b`, `a"b`).
 *
 * @example
 * parseCsv('name,age\nAda,36\n'); // [{ name: 'Ada', age: '36' }]
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows = parseRows(text);
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((row) => {
    if (row.fields.length !== header.fields.length) {
      throw new SyntaxError(
        `line ${row.line} has ${row.fields.length} fields, the header (line ${header.line}) has ${header.fields.length}`,
      );
    }
    return Object.fromEntries(header.fields.map((name, column) => [name, row.fields[column] ?? '']));
  });
}

/**
 * CSV text from a list of objects: the header is every field in the order first seen; text is written
 * as it is, numbers and booleans as JSON would, null and missing fields as empty, lists and maps as
 * JSON. Lines end with LF.
 */
export function formatCsv(rows: readonly Record<string, unknown>[]): string {
  const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [fields, ...rows.map((row) => fields.map((field) => cellText(row[field])))];
  // Also quoted: a lone CR, and space at either end, which readers that trim would lose.
  return stringify(lines, { quoted_match: /^\s|\s$|\r/ });
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

interface Row {
  /** The line the row starts on (a quoted field may hold line breaks). */
  readonly line: number;
  readonly fields: string[];
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * The rows of the text, blank lines left out. csv-parse counts a CRLF inside a quoted field as two
 * lines, so lines are counted here from the bytes each record ends at.
 */
function parseRows(text: string): Row[] {
  const bytes = Buffer.from(text, 'utf8');
  const rows: Row[] = [];
  let end = 0; // the byte the next record starts at
  let line = 1; // the line it starts on
  try {
    parse(bytes, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true, // parseCsv names the row and the header instead
      on_record: (fields: string[], context) => {
        // A blank line (one empty field) is not a row.
        if (fields.length > 1 || fields[0] !== '') rows.push({ line, fields });
        line += bytes.subarray(end, context.bytes).toString('utf8').match(LINE_BREAK)?.length ?? 0;
        end = context.bytes;
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new SyntaxError(problem(error, line));
    throw error;
  }
  return rows;
}

/** What is wrong, said for the row that starts on `line`, where csv-parse stopped. */
function problem(error: CsvError, line: number): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `the quote opened on line ${line} is never closed`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `line ${line}: a quoted field goes on after its closing quote (inside quotes, write a quote as "")`;
    case 'INVALID_OPENING_QUOTE':
      return `line ${line}: a quote inside a field that does not start with one (quote the whole field and write the quote as "")`;
    default:
      return `line ${line}: ${error.message}`;
  }
}
