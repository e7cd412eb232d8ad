/** Calendar dates as day numbers (days since 1970-01-01, UTC): no time zones, no clocks. */
import type { DayNumber } from "./types";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-01-31" -> day number, or null when the text is not an ISO date or the date does not exist. */
export function isoToDay(text: string): DayNumber | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return null;
  return ms / 86400000;
}

const isoCache = new Map<DayNumber, string>();

/** Day number -> "2026-01-31". Cached: a run formats the same few posting dates many times. */
export function dayToIso(day: DayNumber): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * 86400000).toISOString().slice(0, 10);
    if (isoCache.size < 100000) isoCache.set(day, s);
  }
  return s;
}

/** Excel's 1900 date system: serial 25569 is 1970-01-01. */
export const EXCEL_EPOCH_OFFSET = 25569;
