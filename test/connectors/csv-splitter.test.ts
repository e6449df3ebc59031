import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CsvSplitter, type CsvFormat, type CsvRecord } from '../../src/connectors/csv-splitter.js';

const COMMA: CsvFormat = { delimiter: ',', quote: '"', trim: false };

/** The records of `text` pushed in the given pieces. */
function split(pieces: string[], format: CsvFormat = COMMA): CsvRecord[] {
  const splitter = new CsvSplitter(format);
  const out: CsvRecord[] = [];
  for (const piece of pieces) splitter.push(piece, out);
  splitter.end(out);
  return out;
}

/** Every way of cutting `text` in two, and in single characters. */
function cuts(text: string): string[][] {
  const ways: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) ways.push([text.slice(0, i), text.slice(i)]);
  return ways;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CsvSplitter', () => {
  it('gives the same records however the text is cut into chunks', () => {
    const text = '\uFEFFid,name,note\r\n1,"Ann ""Nan"" Lee","a,\r\nb"\r\n\r\n2,O"Brien,"x"\r\n3,,""\r\n';
    const whole = split([text]);
    expect(whole).toEqual([
      { fields: ['id', 'name', 'note'], line: 1 },
      { fields: ['1', 'Ann "Nan" Lee', 'a,\r\nb'], line: 2 },
      { fields: ['2', 'O"Brien', 'x'], line: 5 },
      { fields: ['3', '', ''], line: 6 },
    ]);
    for (const pieces of cuts(text)) expect(split(pieces)).toEqual(whole);
  });

  it('reads a file whose lines end in \\r alone, cut anywhere', () => {
    const text = 'id,name\r1,"a\rb"\r2,c\r';
    const whole = split([text]);
    expect(whole).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['1', 'a\rb'], line: 2 },
      { fields: ['2', 'c'], line: 4 },
    ]);
    for (const pieces of cuts(text)) expect(split(pieces)).toEqual(whole);
  });

  it('splits on a delimiter of several characters and trims blanks outside quotes', () => {
    const format = { delimiter: ', ', quote: '"', trim: true };
    const text = 'rec_id, given_name, note\nrec-1,  john , " a, b " \nrec-2, , x\n';
    const whole = split([text], format);
    expect(whole).toEqual([
      { fields: ['rec_id', 'given_name', 'note'], line: 1 },
      { fields: ['rec-1', 'john', ' a, b '], line: 2 },
      { fields: ['rec-2', '', 'x'], line: 3 },
    ]);
    for (const pieces of cuts(text)) expect(split(pieces, format)).toEqual(whole);
  });

  it('makes a closing quote followed by text an error up to its line end, and reads on', () => {
    const text = 'id,name\n1,"Ann"x,y\n2,b\n';
    const whole = split([text]);
    expect(whole).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { error: 'a closing quote on line 2 is followed by "x", not the delimiter', line: 2, raw: '1,"Ann"x,y' },
      { fields: ['2', 'b'], line: 3 },
    ]);
    for (const pieces of cuts(text)) expect(split(pieces)).toEqual(whole);
  });

  it('makes a quote never closed the last record, an error naming where it opened', () => {
    const text = 'id,name\n1,ok\n2,"never\nclosed\n3,x\n';
    const whole = split([text]);
    expect(whole).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['1', 'ok'], line: 2 },
      { error: 'a quote opened on line 3 is never closed', line: 3, raw: '2,"never\nclosed\n3,x\n' },
    ]);
    for (const pieces of cuts(text)) expect(split(pieces)).toEqual(whole);
  });

  it('past maxRecord characters, makes a quote never closed an error of its first line and reads the rows after it', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},name ${i}`);
    const text = ['id,name', '1,ok', '2,"never closed', ...rows, ''].join('\n');
    const splitter = new CsvSplitter(COMMA, 64);
    const out: CsvRecord[] = [];
    for (let at = 0; at < text.length; at += 10) splitter.push(text.slice(at, at + 10), out);
    splitter.end(out);
    expect(out.slice(0, 3)).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['1', 'ok'], line: 2 },
      { error: 'the record starting on line 3 runs on past 64 characters (a quote never closed?)', line: 3, raw: '2,"never closed' },
    ]);
    expect(out.slice(3)).toEqual(rows.map((r, i) => ({ fields: r.split(','), line: 4 + i })));
  });

  it('past maxRecord characters without a line end, drops the line and reads on from the next', () => {
    const splitter = new CsvSplitter(COMMA, 16);
    const out: CsvRecord[] = [];
    for (const piece of ['id,name\n', 'x'.repeat(10), 'y'.repeat(10), 'z'.repeat(10), '\n2,b\n']) splitter.push(piece, out);
    splitter.end(out);
    expect(out).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { error: 'the record starting on line 2 runs on past 16 characters (a quote never closed?)', line: 2, raw: 'x'.repeat(10) + 'y'.repeat(10) },
      { fields: ['2', 'b'], line: 3 },
    ]);
  });

  it('reads nothing from empty text or blank lines', () => {
    expect(split([''])).toEqual([]);
    expect(split(['\n\r\n\n'])).toEqual([]);
  });

  it('refuses a quote of more than one character', () => {
    expect(() => new CsvSplitter({ delimiter: ',', quote: '""', trim: false })).toThrow(/quote must be one character/);
  });

  it('reads what csv-stringify writes as csv-parse reads it, for random fields of quotes, delimiters and line ends', () => {
    const next = random(7);
    const alphabet = ['a', 'b', ' ', ',', ';', '"', '\n', '\r\n', 'é', '\t', 'x'];
    for (let file = 0; file < 200; file++) {
      const columns = 1 + Math.floor(next() * 5);
      const delimiter = next() < 0.5 ? ',' : ';';
      const rows = Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
        Array.from({ length: columns }, () => Array.from({ length: Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')));
      // A row of one empty field is a blank line, which both skip.
      const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
      // Every field holding a line end character quoted: csv-stringify leaves a bare \n unquoted
      // in a file of \r\n lines, which csv-parse then reads as data and this as a line end.
      const text = stringify(kept, { delimiter, record_delimiter: next() < 0.5 ? 'unix' : 'windows', quoted_match: /[\r\n]/ });
      const expected = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
      const pieces: string[] = [];
      for (let at = 0; at < text.length;) {
        const size = 1 + Math.floor(next() * 8);
        pieces.push(text.slice(at, at + size));
        at += size;
      }
      const got = split(pieces, { delimiter, quote: '"', trim: false });
      expect(got.map((r) => r.fields), `file ${file}: ${JSON.stringify(text)}`).toEqual(expected);
    }
  });
});
