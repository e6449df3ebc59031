import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyBytes, copyChunks, copyText, CopyWriter, type Cell } from '../../src/db/copy-text.js';

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

describe('COPY text', () => {
  const rows: Cell[][] = [
    ['plain', 42, true, null, 1.5],
    ['tab\there', 'line\nbreak', 'cr\rret', 'back\\slash', ''],
    ['Zoë Ångström', 'naïve café', '東京都', 'emoji 🦄 in the middle', 'é'],
    ['{"a":"ü","b":"x\\ty"}', -7, false, null, 'ascii then ß'],
  ];

  it('escapes the COPY specials and writes nulls as \\N', () => {
    expect(copyText(rows).split('\n')[1]).toBe('tab\\there\tline\\nbreak\tcr\\rret\tback\\\\slash\t');
    expect(copyText([[null, 'x']])).toBe('\\N\tx\n');
  });

  it('as bytes is the UTF-8 of the same text, accents, CJK and surrogate pairs included', () => {
    expect(utf8(copyBytes(rows))).toBe(copyText(rows));
    expect(Buffer.from(copyBytes(rows)).equals(Buffer.from(copyText(rows), 'utf8'))).toBe(true);
  });

  it('as bytes grows past its first buffer without losing or reordering a byte', () => {
    const many: Cell[][] = Array.from({ length: 5_000 }, (_, i) => [`row ${i}`, 'ü'.repeat(i % 50), 'x'.repeat(i % 300), i]);
    const bytes = copyBytes(many);
    expect(bytes.length).toBeGreaterThan(1 << 16);
    expect(utf8(bytes)).toBe(copyText(many));
  });

  it('as bytes encodes long values (the encoder\'s path) and short ones (the loop\'s) alike, escapes included', () => {
    const long: Cell[][] = Array.from({ length: 2_000 }, (_, i) => [
      `{"city":{"source":"crm","sourceId":"CRM-${i}","note":"Zoë 東京 🦄 \\ back\tslash"}}`.repeat(1 + (i % 5)),
      'é'.repeat(60 + (i % 10)),
      'x'.repeat(63 + (i % 3)),
      `short ${i} ü`,
    ]);
    expect(Buffer.from(copyBytes(long)).equals(Buffer.from(copyText(long), 'utf8'))).toBe(true);
  });

  it('writes a text[] cell as the cell of its array literal would be, whatever its elements hold', () => {
    // The first six are what a pull's keys hold (a rule's number, its parts joined by \u001f).
    const pieces = ['a', 'z', '0', ':', ' ', '\u001f', ',', '{', '}', '"', '\\', '\t', '\n', '\r', '\u0001', '\u007f', 'é', '東', '🦄', 'NULL'];
    let state = 3;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const arrays: Array<string[] | null> = [null, [], [''], ['0:smith', '1:js\u001f1980']];
    for (let a = 0; a < 4_000; a++) {
      const values: string[] = [];
      for (let v = Math.floor(random() * 8); v > 0; v--) {
        let value = '';
        // Half the arrays are keys as a pull's are; in the others one piece in ten is anything.
        for (let n = Math.floor(random() * 30); n > 0; n--) value += a % 2 === 0 || random() < 0.9 ? pieces[Math.floor(random() * 6)] : pieces[Math.floor(random() * pieces.length)];
        values.push(value);
      }
      arrays.push(values);
    }
    // One writer each, small at first: rows after a fallback and across growth must come out intact.
    const direct = new CopyWriter(16);
    const viaLiteral = new CopyWriter(16);
    for (const values of arrays) {
      direct.cell('row', true);
      direct.arrayCell(values);
      direct.endRow();
      viaLiteral.cell('row', true);
      viaLiteral.cell(values === null ? null : arrayLiteral(values));
      viaLiteral.endRow();
    }
    expect(Buffer.from(direct.bytes()).equals(Buffer.from(viaLiteral.bytes()))).toBe(true);
    expect(new TextDecoder().decode(direct.bytes()).split('\n').slice(0, 4)).toEqual(['row\t\\N', 'row\t{}', 'row\t{""}', 'row\t{"0:smith","1:js\u001f1980"}']);
  });

  it('in chunks joins to the same text', () => {
    const many: Cell[][] = Array.from({ length: 20_000 }, (_, i) => [`row ${i}`, 'y'.repeat(100)]);
    const chunks = [...copyChunks(many)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(copyText(many));
  });

  it('writes no rows as no bytes', () => {
    expect(copyBytes([]).length).toBe(0);
  });
});
