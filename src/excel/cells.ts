/**
 * Port values <-> Excel cells (port.ts, ColumnFormat): what a written value becomes in a cell and which
 * number format it gets, and what a read cell becomes.
 */
import {
  accountingFormat,
  DATE_FORMAT,
  GENERAL_FORMAT,
  INTEGER_FORMAT,
  isoToSerial,
  TEXT_FORMAT,
  TIME_FORMAT,
} from "../workbook/cellFormats";
import type { CellValue, ColumnFormat } from "../workbook/port";

export type ExcelScalar = string | number | boolean;

// One home for the cell conventions the xlsx writer shares (workbook/cellFormats.ts).
export {
  accountingFormat,
  DATE_FORMAT,
  GENERAL_FORMAT,
  INTEGER_FORMAT,
  isoToSerial,
  serialToIso,
  TEXT_FORMAT,
  TIME_FORMAT,
} from "../workbook/cellFormats";

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The number format a written column gets; money decimals come from the values written. */
export function columnNumberFormat(format: ColumnFormat, values: Iterable<CellValue>): string {
  switch (format) {
    case "money": {
      let decimals = -1;
      for (const v of values) {
        if (typeof v === "string" && v.trim() !== "")
          decimals = Math.max(decimals, decimalsOf(v.trim()));
      }
      return accountingFormat(decimals < 0 ? 2 : decimals);
    }
    case "date":
      return DATE_FORMAT;
    case "time":
      return TIME_FORMAT;
    case "integer":
      return INTEGER_FORMAT;
    case "text":
      return TEXT_FORMAT;
    case "boolean":
      return GENERAL_FORMAT;
  }
}

/** The cell value written for a port value ("" clears the cell). */
export function toExcelValue(v: CellValue, format: ColumnFormat, date1904 = false): ExcelScalar {
  if (v === null || v === undefined) return "";
  switch (format) {
    case "money":
    case "integer": {
      if (typeof v === "number") return v;
      if (typeof v === "string") {
        const t = v.trim();
        if (t === "") return "";
        const n = Number(t);
        return Number.isFinite(n) ? n : v;
      }
      return v ? 1 : 0;
    }
    case "date": {
      if (typeof v === "number") return v;
      if (typeof v === "string") return isoToSerial(v.trim(), date1904) ?? v;
      return String(v);
    }
    case "time": {
      if (typeof v === "number") return v;
      const m = TIME.exec(String(v).trim());
      if (!m) return String(v);
      return (+m[1] * 3600 + +m[2] * 60 + +(m[3] ?? 0)) / 86400;
    }
    case "boolean":
      if (typeof v === "boolean") return v ? "Yes" : "No";
      return String(v);
    case "text":
      return typeof v === "string" ? v : String(v);
  }
}

/** A cell as read from Excel: "" (blank) reads as null; everything else as it is. */
export function fromExcelValue(v: unknown): CellValue {
  if (v === "" || v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

/** JSON size of a value, as Office serialises it in a request or response. */
export function jsonBytes(v: unknown): number {
  if (v === null || v === undefined) return 4;
  if (typeof v === "number") return String(v).length;
  if (typeof v === "boolean") return v ? 4 : 5;
  return JSON.stringify(v).length;
}

/** JSON size of a 2-D array. */
export function gridBytes(grid: readonly (readonly unknown[])[]): number {
  let n = 2;
  for (const row of grid) {
    n += 3;
    for (const v of row) n += jsonBytes(v) + 1;
  }
  return n;
}
