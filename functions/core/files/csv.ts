/**
 * CSV as RFC 4180 writes it: comma-separated fields, double quotes around fields holding a comma, a
 * quote or a line break, a quote inside them doubled; CRLF or LF line ends. The first row names the
 * fields.
 */

/**
 * Rows of objects from CSV text, each value a string. Throws a `SyntaxError` naming the line of a row
 * whose field count differs from the header's, or of an unclosed quote.
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
  return lines.map((cells) => cells.map(quote).join(',')).join('\n') + (lines.length > 0 ? '\n' : '');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

interface Row {
  readonly line: number;
  readonly fields: string[];
}

function parseRows(text: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRow = () => {
    fields.push(field);
    // A blank line (one empty field) is not a row.
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += char;
  }
  if (quoted) throw new SyntaxError(`the quote opened on line ${quoteLine} is never closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
