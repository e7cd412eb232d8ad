/**
 * rules.md section 5: the subset of Business Central's filter syntax a run takes for Item No. and
 * Posting Date: `A|B`, `A..B`, `..B`, `A..`, and a single value. Codes compare as BC compares Code
 * fields (upper-cased); `*` and `?` work as wildcards in a single value, as in BC.
 */
import { isoToDay } from './dates';
import type { DayNumber } from './types';

export type FilterParse<T> = { ok: true; test: (value: T) => boolean } | { ok: false; error: string };

type Range<T extends string | number> = { kind: 'range'; from: T | null; to: T | null } | { kind: 'exact'; exact: T } | { kind: 'pattern'; pattern: RegExp };

function parseParts<T extends string | number>(text: string, parseValue: (s: string) => T | null, what: string): Range<T>[] | string {
  const parts = text.split('|');
  const ranges: Range<T>[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') return `"${text}" is not a valid ${what} filter: an alternative is empty`;
    const dots = part.indexOf('..');
    if (dots >= 0) {
      const a = part.slice(0, dots).trim();
      const b = part.slice(dots + 2).trim();
      if (a === '' && b === '') return `"${text}" is not a valid ${what} filter: ".." needs a value on at least one side`;
      const from = a === '' ? null : parseValue(a);
      const to = b === '' ? null : parseValue(b);
      if ((a !== '' && from === null) || (b !== '' && to === null)) return `"${text}" is not a valid ${what} filter: "${a === '' || from !== null ? b : a}" is not a ${what}`;
      ranges.push({ kind: 'range', from, to });
    } else if (/[*?]/.test(part)) {
      const re = part.toUpperCase().replace(/[.+^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
      ranges.push({ kind: 'pattern', pattern: new RegExp(`^${re}$`) });
    } else {
      const v = parseValue(part);
      if (v === null) return `"${text}" is not a valid ${what} filter: "${part}" is not a ${what}`;
      ranges.push({ kind: 'exact', exact: v });
    }
  }
  return ranges;
}

function matches<T extends string | number>(ranges: Range<T>[], v: T): boolean {
  for (const r of ranges) {
    if (r.kind === 'exact') {
      if (v === r.exact) return true;
    } else if (r.kind === 'pattern') {
      if (r.pattern.test(String(v))) return true;
    } else if ((r.from === null || v >= r.from) && (r.to === null || v <= r.to)) return true;
  }
  return false;
}

/** An Item No. filter; '' matches everything. */
export function parseCodeFilter(text: string, what = 'code'): FilterParse<string> {
  if (text.trim() === '') return { ok: true, test: () => true };
  const ranges = parseParts<string>(text, (s) => s.toUpperCase(), what);
  if (typeof ranges === 'string') return { ok: false, error: ranges };
  return { ok: true, test: (v) => matches(ranges, v.toUpperCase()) };
}

/** A Posting Date filter with ISO dates; '' matches everything. */
export function parseDateFilter(text: string): FilterParse<DayNumber> {
  if (text.trim() === '') return { ok: true, test: () => true };
  if (/[*?]/.test(text)) return { ok: false, error: `"${text}" is not a valid date filter: wildcards do not apply to dates` };
  const ranges = parseParts<DayNumber>(text, isoToDay, 'date (yyyy-mm-dd)');
  if (typeof ranges === 'string') return { ok: false, error: ranges };
  return { ok: true, test: (v) => matches(ranges, v) };
}
