export type DateOrder = 'DMY' | 'MDY' | 'YMD';
/** `alternative` is set when day and month could be read either way: the other reading. */
export type DateResult = { value: string; alternative?: string } | { invalid: string };

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

/**
 * A calendar date as YYYY-MM-DD from the formats systems export: 19800312, 1980-03-12,
 * 12/03/1980 (read in `order` unless one part cannot be a month), 12 Mar 1980, March 12, 1980,
 * and ISO timestamps.
 */
export function standardizeDate(raw: string | null | undefined, order: DateOrder, today = new Date()): DateResult | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim().toLowerCase();
  // Systems write "no date" as zeros: 00000000, 0000-00-00, 00/00/0000.
  if (text === '' || /^[0\s\-/.:t]+$/.test(text)) return null;
  let m: RegExpMatchArray | null;
  if ((m = text.match(/^(\d{4})(\d{2})(\d{2})$/))) return build(+m[1]!, +m[2]!, +m[3]!);
  if ((m = text.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ][\d:.]+(?:z|[+-][\d:]+)?)?$/))) return build(+m[1]!, +m[2]!, +m[3]!);
  if ((m = text.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/))) {
    const a = +m[1]!;
    const b = +m[2]!;
    const year = fullYear(m[3]!, today);
    // A part above 12 cannot be a month, whatever the source's habit.
    if (a > 12 && b <= 12) return build(year, b, a);
    if (b > 12 && a <= 12) return build(year, a, b);
    const read = order === 'MDY' ? build(year, a, b) : build(year, b, a);
    if (a === b || !('value' in read)) return read;
    // Both readings are dates: follow the source's order, but keep the other reading.
    const other = order === 'MDY' ? build(year, b, a) : build(year, a, b);
    return 'value' in other ? { value: read.value, alternative: other.value } : read;
  }
  if ((m = text.match(/^(\d{1,2})[\s-]+([a-z]+)\.?[\s-,]+(\d{2}|\d{4})$/))) {
    const month = MONTHS[m[2]!];
    return month ? build(fullYear(m[3]!, today), month, +m[1]!) : { invalid: `unknown month "${m[2]}"` };
  }
  if ((m = text.match(/^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/))) {
    const month = MONTHS[m[1]!];
    return month ? build(+m[3]!, month, +m[2]!) : { invalid: `unknown month "${m[1]}"` };
  }
  return { invalid: 'unrecognised date format' };
}

function fullYear(text: string, today: Date): number {
  if (text.length === 4) return +text;
  const yy = +text;
  const current = today.getUTCFullYear() % 100;
  return yy <= current ? 2000 + yy : 1900 + yy;
}

function build(year: number, month: number, day: number): DateResult {
  if (year < 1800 || year > 2200) return { invalid: `year ${year} out of range` };
  if (month < 1 || month > 12) return { invalid: `month ${month} out of range` };
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > days) return { invalid: `day ${day} out of range for ${year}-${pad(month)}` };
  return { value: `${year}-${pad(month)}-${pad(day)}` };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
