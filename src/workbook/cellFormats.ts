/**
 * Cell conventions every writer shares (the xlsx writer and the Excel add-in), so a workbook posted from
 * both looks the same: the accounting format of amounts, the date, time and integer formats, and Excel
 * serials of ISO dates in both date systems (1900, and 1904 for workbooks made on old Macs).
 */
import { dayToIso, EXCEL_EPOCH_OFFSET, isoToDay } from "../engine/dates";

/**
 * Excel's built-in accounting format (numFmtId 43's shape) with `decimals` places: thousands separators,
 * negatives in parentheses, zero as a dash, as controllers read G/L amounts.
 */
export function accountingFormat(decimals: number): string {
  const d = decimals > 0 ? "." + "0".repeat(decimals) : "";
  const q = decimals > 0 ? "?".repeat(decimals) : "";
  return `_(* #,##0${d}_);_(* (#,##0${d});_(* "-"${q}_);_(@_)`;
}

export const DATE_FORMAT = "yyyy-mm-dd";
export const TIME_FORMAT = "hh:mm:ss";
export const INTEGER_FORMAT = "0";
export const TEXT_FORMAT = "@";
export const GENERAL_FORMAT = "General";

/** Days between the two date systems' serial 0 (1899-12-30 and 1904-01-01 as Excel counts them). */
export const DATE1904_OFFSET = 1462;

/** Excel serial of an ISO date (null when it is not a real date), in the 1900 or the 1904 date system. */
export function isoToSerial(iso: string, date1904 = false): number | null {
  const day = isoToDay(iso);
  if (day === null) return null;
  let serial = day + EXCEL_EPOCH_OFFSET;
  if (serial < 61) serial -= 1; // Excel's phantom 1900-02-29
  if (date1904) serial -= DATE1904_OFFSET;
  return serial;
}

/** ISO date of an Excel serial (its time part dropped), in the 1900 or the 1904 date system. */
export function serialToIso(serial: number, date1904 = false): string {
  let s = Math.floor(serial) + (date1904 ? DATE1904_OFFSET : 0);
  if (s < 61) s += 1;
  return dayToIso(s - EXCEL_EPOCH_OFFSET);
}
