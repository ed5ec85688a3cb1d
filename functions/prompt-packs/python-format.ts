/**
 * Python's spelling of values and text operations, as DSPy's ChatAdapter uses them. A prompt pack is
 * rendered by DSPy in Python; the runtime must produce the same bytes for the inputs it adds, so these
 * mirror `str()`, `float.__repr__`, `json.dumps(..., ensure_ascii=False)`, `str.strip()` and
 * `str.splitlines()` (checked by the golden vectors in `test/fixtures/dspy-golden/`).
 *
 * Values reach Python through JSON written by JavaScript, so a number is a Python `int` exactly when
 * `JSON.stringify` writes it without a fraction or an exponent, and a `float` otherwise.
 */

/** Characters for which Python's `str.isspace()` is true (JavaScript's `trim` differs: `\x1c`-`\x1f`, `\x85`, `\ufeff`). */
const PY_SPACE =
  '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');

/** Line boundaries of Python's `str.splitlines()`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python also breaks lines at the separators \x1c-\x1e.
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/** Python's `str.splitlines()` without line ends: a final line break adds no empty line. */
export function pySplitlines(text: string): string[] {
  const lines = text.split(PY_LINE_BREAK);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Python's `str()` of a JSON scalar, and `json.dumps` of an object or array. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return value;
  return pyJsonDumps(value);
}

/**
 * Python's `json.dumps(value, ensure_ascii=False)`: separators `", "` and `": "`, floats in Python's
 * shortest form. Strings are escaped alike (`\"`, `\\`, control characters as `\n` or `\u00XX`).
 *
 * @example
 * pyJsonDumps({ k: [1, 2.5], ü: 'é' }); // '{"k": [1, 2.5], "ü": "é"}'
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== undefined);
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}: ${pyJsonDumps(inner)}`).join(', ')}}`;
}

/** A number as Python prints the `int` or `float` that JSON would give it. */
function pyNumber(value: number): string {
  const json = JSON.stringify(value);
  return /[.eE]/.test(json) ? pyFloatRepr(value) : json;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (JavaScript's `toExponential()` gives
 * the same digits), in positional notation for exponents from -4 to 15 and scientific otherwise, with
 * at least two exponent digits (`1e-05`, `2.5e+21`).
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const scaled = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${scaled}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}
