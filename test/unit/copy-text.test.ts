import { describe, expect, it } from 'vitest';
import { copyBytes, copyChunks, copyText, type Cell } from '../../src/db/copy-text.js';

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
