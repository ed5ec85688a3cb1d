import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../../../../../functions/steps/files/csv.js';

describe('CSV', () => {
  it('parses quoted fields, doubled quotes, line breaks inside quotes and CRLF', () => {
    const text = 'name,note\r\nAda,"says ""hi"", twice"\r\nBob,"two\nlines"\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      { name: 'Ada', note: 'says "hi", twice' },
      { name: 'Bob', note: 'two\nlines' },
    ]);
  });

  it('names the line of a row with the wrong field count, or an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow('line 3 has 1 fields, the header (line 1) has 2');
    expect(() => parseCsv('a\n"open\n')).toThrow('the quote opened on line 2 is never closed');
  });

  it('formats every field first seen, quoting only where needed, and round-trips', () => {
    const rows = [
      { name: 'Ada', note: 'a, b' },
      { name: 'Bob', extra: { n: 1 }, count: 3, none: null },
    ];
    const text = formatCsv(rows);
    expect(text).toBe('name,note,extra,count,none\nAda,"a, b",,,\nBob,,"{""n"":1}",3,\n');
    expect(parseCsv(text)).toEqual([
      { name: 'Ada', note: 'a, b', extra: '', count: '', none: '' },
      { name: 'Bob', note: '', extra: '{"n":1}', count: '3', none: '' },
    ]);
  });

  it('reads a byte order mark as no part of the first header', () => {
    expect(parseCsv('\uFEFFname,age\r\nAda,36\r\n')).toEqual([{ name: 'Ada', age: '36' }]);
  });

  it('refuses a quote RFC 4180 does not allow, naming the line, rather than dropping it', () => {
    expect(() => parseCsv('a,b\n1,2\n"a"b,3\n')).toThrow(
      'line 3: a quoted field goes on after its closing quote',
    );
    expect(() => parseCsv('a\nab"c\n')).toThrow(
      'line 2: a quote inside a field that does not start with one',
    );
  });

  it('counts lines as an editor does: blank lines, CR, CRLF and line breaks inside quotes', () => {
    expect(() => parseCsv('a,b\r\n1,"x\r\ny"\r\n\r\n3\r\n')).toThrow(
      'line 5 has 1 fields, the header (line 1) has 2',
    );
    expect(() => parseCsv('a,b\r1,2\n3\r\n')).toThrow('line 3 has 1 fields, the header (line 1) has 2');
    expect(() => parseCsv('a\n1\n"x\ny\n')).toThrow('the quote opened on line 3 is never closed');
  });
});
