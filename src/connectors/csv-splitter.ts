/** How a delimited file is written. */
export interface CsvFormat {
  /** One or more characters between fields (FEBRL writes ", "). */
  delimiter: string;
  /** One character around a field that holds delimiters, line ends or doubled quotes. */
  quote: string;
  /** Whether blanks around each field (outside any quotes) are dropped. */
  trim: boolean;
}

/** A record's fields and the line it starts on, or why the text there is not a record and that text. */
export type CsvRecord = { fields: string[]; line: number; error?: undefined } | { error: string; line: number; raw: string; fields?: undefined };

/**
 * Splits delimited text into records, a chunk at a time, so a file of any size is read in
 * bounded memory. Written here rather than taken from csv-parse, which spent 2.5 CPU seconds
 * on a 313,000-row export (docs/benchmarks.md): a line without the quote character is split
 * natively, and only a line with one is walked character by character.
 *
 * What it reads: a byte-order mark, line ends \n, \r\n or (a whole file of them) \r, blank
 * lines (skipped), quoted fields with doubled quotes and line ends inside, and a quote
 * inside an unquoted field (O"Brien) as itself. A closing quote followed by anything but a
 * delimiter or a line end makes the record an error up to the end of its line; a quote
 * never closed makes the rest of the file one error, or, past `maxRecord` characters, the
 * record up to the end of its first line. Errors come out as records with `error` and the
 * text they could not read (`raw`, as far as it was kept: up to `maxRecord` characters and a
 * chunk), and reading goes on.
 */
export class CsvSplitter {
  private carry = '';
  private line = 1;
  private started = false;
  /** The line end, once the first one is seen: '\r' only for a file whose lines end with \r alone. */
  private newline = '\n';
  /** Dropping text up to the next line end, after a record ran on too long. */
  private skipping = false;

  /**
   * @param maxRecord characters a record may run to: one longer is an error, and reading goes
   * on after its first line. Without a bound, a quote never closed early in a large file made
   * every chunk after it scan the whole rest again (39 s for a 43 MB export, against 1 s).
   */
  constructor(private readonly format: CsvFormat, private readonly maxRecord = 1 << 20) {
    if (format.quote.length !== 1) throw new Error(`quote must be one character, got ${JSON.stringify(format.quote)}`);
    if (format.delimiter.length === 0) throw new Error('delimiter must not be empty');
  }

  /** Adds text and appends to `out` every record it completes. */
  push(chunk: string, out: CsvRecord[]): void {
    if (this.skipping) {
      const eol = chunk.indexOf(this.newline);
      if (eol < 0) return;
      this.skipping = false;
      this.line++;
      chunk = chunk.slice(eol + 1);
    }
    let text = this.carry + chunk;
    if (!this.started) {
      if (text.length === 0) return;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const lf = text.indexOf('\n');
      const cr = text.indexOf('\r');
      // Until a line end shows up (a \r last may be half of a \r\n), nothing tells which it is.
      if (lf < 0 && (cr < 0 || cr === text.length - 1) && text.length <= this.maxRecord) {
        this.carry = text;
        return;
      }
      if (cr >= 0 && cr < text.length - 1 && (lf < 0 || cr + 1 < lf)) this.newline = '\r';
      this.started = true;
    }
    for (;;) {
      const rest = this.split(text, false, out);
      if (text.length - rest <= this.maxRecord) {
        this.carry = text.slice(rest);
        return;
      }
      const eol = text.indexOf(this.newline, rest);
      out.push({
        error: `the record starting on line ${this.line} runs on past ${this.maxRecord} characters (a quote never closed?)`,
        line: this.line,
        raw: text.slice(rest, eol < 0 ? text.length : eol),
      });
      if (eol < 0) {
        this.carry = '';
        this.skipping = true;
        return;
      }
      this.line++;
      text = text.slice(eol + 1);
    }
  }

  /** The last records, once the text has all been pushed. */
  end(out: CsvRecord[]): void {
    if (this.skipping) return;
    const text = this.carry;
    this.carry = '';
    this.started = true;
    this.split(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, true, out);
  }

  /** Records from the start of `text`; returns where the unfinished rest begins. */
  private split(text: string, final: boolean, out: CsvRecord[]): number {
    const { delimiter, quote, trim } = this.format;
    let p = 0;
    // The next quote character, looked for again only once passed: -1 when the text has none left.
    let q = -2;
    while (p < text.length) {
      const eol = this.lineEnd(text, p, final);
      if (eol < 0) return p;
      const lineEnd = this.contentEnd(text, p, eol);
      if (lineEnd === p) {
        this.line++;
        p = eol + 1;
        continue;
      }
      if (q !== -1 && q < p) q = text.indexOf(quote, p);
      if (q < 0 || q >= lineEnd) {
        const fields = text.slice(p, lineEnd).split(delimiter);
        if (trim) for (let i = 0; i < fields.length; i++) fields[i] = fields[i]!.trim();
        out.push({ fields, line: this.line });
        this.line++;
        p = eol + 1;
        continue;
      }
      const walked = this.walk(text, p, final);
      if (walked === null) return p;
      out.push(walked.record);
      this.line += walked.lines;
      p = walked.next;
    }
    return p;
  }

  /**
   * One record that holds the quote character, from `start`, character by character. Null when
   * the text ends inside it and more is coming.
   */
  private walk(text: string, start: number, final: boolean): { record: CsvRecord; next: number; lines: number } | null {
    const { delimiter, quote, trim } = this.format;
    const nl = this.newline;
    const fields: string[] = [];
    let lines = 0;
    let p = start;
    for (;;) {
      if (trim) while (p < text.length && isBlank(text.charCodeAt(p))) p++;
      if (text[p] === quote) {
        let value = '';
        let from = p + 1;
        for (;;) {
          const close = text.indexOf(quote, from);
          if (close < 0) {
            if (!final) return null;
            const opened = this.line + lines;
            const record = { error: `a quote opened on line ${opened} is never closed`, line: this.line, raw: text.slice(start) };
            return { record, next: text.length, lines: countOf(text, nl, start, text.length) };
          }
          value += text.slice(from, close);
          if (text[close + 1] === quote) {
            value += quote;
            from = close + 2;
            continue;
          }
          lines += countOf(text, nl, p, close);
          p = close + 1;
          break;
        }
        if (trim) while (p < text.length && isBlank(text.charCodeAt(p))) p++;
        fields.push(value);
        if (p >= text.length) {
          if (!final) return null;
          return { record: { fields, line: this.line }, next: p, lines: lines + 1 };
        }
        if (text.startsWith(delimiter, p)) {
          p += delimiter.length;
          continue;
        }
        const end = this.recordEnd(text, p);
        if (end !== null) return { record: { fields, line: this.line }, next: end, lines: lines + 1 };
        // Past the quote, up to the line's end: what follows cannot be told apart from a new field.
        const eol = this.lineEnd(text, p, final);
        if (eol < 0) return null;
        const got = JSON.stringify(text[p]);
        const raw = text.slice(start, this.contentEnd(text, start, eol));
        const record = { error: `a closing quote on line ${this.line + lines} is followed by ${got}, not the delimiter`, line: this.line, raw };
        return { record, next: eol + 1, lines: lines + 1 };
      }
      // Unquoted: up to the next delimiter or line end; a quote in it is a character like any other.
      const eol = this.lineEnd(text, p, final);
      if (eol < 0) return null;
      const d = text.indexOf(delimiter, p);
      if (d >= 0 && d < eol) {
        fields.push(trim ? text.slice(p, d).trim() : text.slice(p, d));
        p = d + delimiter.length;
        continue;
      }
      const valueEnd = this.contentEnd(text, p, eol);
      fields.push(trim ? text.slice(p, valueEnd).trim() : text.slice(p, valueEnd));
      return { record: { fields, line: this.line }, next: eol + 1, lines: lines + 1 };
    }
  }

  /** The next line end from `p`: the text's end when it is the last text, -1 when more is coming. */
  private lineEnd(text: string, p: number, final: boolean): number {
    const eol = text.indexOf(this.newline, p);
    return eol >= 0 || !final ? eol : text.length;
  }

  /** `eol`, less the \r of a \r\n line end (none before `from`). */
  private contentEnd(text: string, from: number, eol: number): number {
    return this.newline === '\n' && eol > from && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
  }

  /** Where the next record starts when a line end (\n, \r\n, or the file's \r) is at `p`; null when none is. */
  private recordEnd(text: string, p: number): number | null {
    if (text[p] === this.newline) return p + 1;
    if (this.newline === '\n' && text.charCodeAt(p) === 13 && text[p + 1] === '\n') return p + 2;
    return null;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function countOf(text: string, nl: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(nl, from); i >= 0 && i < to; i = text.indexOf(nl, i + 1)) n++;
  return n;
}
