/**
 * Turns port values (ColumnFormat + CellValue) into cell XML: numbers written from their decimal text
 * exactly (no float round trip), ISO dates as serial numbers, text and Yes/No as shared strings (or inline
 * strings, when no shared string table is given).
 */
import { isoToSerial } from "../../workbook/cellFormats";
import type { CellValue, ColumnFormat } from "../../workbook/port";
import { XlsxWriteError } from "./errors";
import { needsPreserve } from "./sharedStrings";
import { encodeXstring, escapeText, q } from "./xml";

/** What goes into a cell; `decimals` tells the money format to use. */
export type CellContent =
  | { kind: "empty" }
  | { kind: "number"; text: string; decimals?: number }
  | { kind: "text"; text: string };

/** Canonical number text for a decimal string: "165.00" → "165", "-0.050" → "-0.05", "-0" → "0". */
export function canonicalDecimal(text: string): { text: string; decimals: number } | null {
  return plainDecimal(text) ?? parsedDecimal(text);
}

/**
 * canonicalDecimal for the usual plain forms ("-3425.50", "12", "+0.5"), read character by character
 * (this runs for every amount written); undefined for anything else, which the regular expression decides.
 */
function plainDecimal(text: string): { text: string; decimals: number } | undefined {
  const n = text.length;
  let i = 0;
  const sign = n > 0 ? text.charCodeAt(0) : 0;
  if (sign === 45 /* - */ || sign === 43 /* + */) i++;
  const intStart = i;
  while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    fracStart = ++i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    fracEnd = i;
  }
  if (i !== n || intEnd === intStart || fracStart === n) return undefined;
  let a = intStart;
  while (a < intEnd - 1 && text.charCodeAt(a) === 48) a++;
  let b = fracEnd;
  while (b > fracStart && text.charCodeAt(b - 1) === 48) b--;
  let nonZero = false;
  for (let k = a; k < intEnd && !nonZero; k++) nonZero = text.charCodeAt(k) !== 48;
  for (let k = fracStart; k < b && !nonZero; k++) nonZero = text.charCodeAt(k) !== 48;
  const negative = sign === 45 && nonZero;
  const from = negative ? a - 1 : a;
  const to = b > fracStart ? b : intEnd;
  // The text itself when nothing is dropped, or the digits with a minus sign in front.
  let out: string;
  if (!negative || text.charCodeAt(a - 1) === 45) out = text.slice(from, to);
  else out = "-" + text.slice(a, to);
  return { text: out, decimals: fracEnd - fracStart };
}

function parsedDecimal(text: string): { text: string; decimals: number } | null {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const decimals = (m[3] ?? "").length;
  const int = m[2].replace(/^0+(?=\d)/, "") || "0";
  const frac = (m[3] ?? "").replace(/0+$/, "");
  let out = frac ? `${int}.${frac}` : int;
  if (m[1] === "-" && /[1-9]/.test(out)) out = `-${out}`;
  return { text: out, decimals };
}

/** Number text for a JS number, valid as xsd:double. */
export function numberText(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

/** Excel's limit on the characters of a cell; more makes it repair the file. */
const MAX_TEXT = 32767;

/** Excel serial for an ISO date (1900 date system, or 1904 when the workbook uses it): workbook/cellFormats.ts. */
export const isoDateToSerial = (iso: string, date1904: boolean): number | null =>
  isoToSerial(iso, date1904);

export function toContent(
  format: ColumnFormat,
  value: CellValue,
  column: string,
  date1904: boolean
): CellContent {
  if (value === null || value === undefined) return { kind: "empty" };
  const bad = (why: string): never => {
    throw new XlsxWriteError(
      `cannot write ${JSON.stringify(value)} to column "${column}" as ${format}: ${why}`
    );
  };
  switch (format) {
    case "money":
    case "integer": {
      if (typeof value === "number") {
        if (!Number.isFinite(value)) bad("not a finite number");
        return { kind: "number", text: numberText(value), decimals: format === "money" ? 2 : 0 };
      }
      if (typeof value === "string") {
        if (value.trim() === "") return { kind: "empty" };
        const c = canonicalDecimal(value);
        if (!c) bad("not a decimal number");
        return { kind: "number", text: c!.text, decimals: c!.decimals };
      }
      return bad("not a number");
    }
    case "date": {
      if (typeof value === "number") {
        if (!Number.isFinite(value)) bad("not a finite number");
        return { kind: "number", text: numberText(value) };
      }
      if (typeof value === "string") {
        if (value.trim() === "") return { kind: "empty" };
        const serial = isoDateToSerial(value, date1904);
        if (serial === null) bad("not an ISO date (YYYY-MM-DD)");
        if (serial! < 1)
          bad("Excel cannot show dates before its first day (1900-01-01, or 1904-01-01)");
        return { kind: "number", text: numberText(serial!) };
      }
      return bad("not a date");
    }
    case "boolean":
      if (typeof value === "boolean") return { kind: "text", text: value ? "Yes" : "No" };
      return { kind: "text", text: String(value) };
    case "time": {
      // "HH:MM:SS" as Excel's time value (a fraction of a day), as the add-in writes it; anything else stays text.
      const m =
        typeof value === "string" ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim()) : null;
      if (m && +m[1] < 24 && +m[2] < 60 && +(m[3] ?? 0) < 60)
        return {
          kind: "number",
          text: numberText((+m[1] * 3600 + +m[2] * 60 + +(m[3] ?? 0)) / 86400),
        };
      if (typeof value === "number") return { kind: "number", text: numberText(value) };
      if (typeof value === "boolean") return { kind: "text", text: value ? "Yes" : "No" };
      return value.trim() === ""
        ? { kind: "empty" }
        : { kind: "text", text: value.slice(0, MAX_TEXT) };
    }
    case "text":
    default:
      if (typeof value === "boolean") return { kind: "text", text: value ? "Yes" : "No" };
      if (typeof value === "number") return { kind: "text", text: numberText(value) };
      if (value.length > MAX_TEXT) bad(`longer than the ${MAX_TEXT} characters a cell can hold`);
      return value === "" ? { kind: "empty" } : { kind: "text", text: value };
  }
}

/** Gives the shared string index of a (non-empty) text, adding it to the table when it is new. */
export type SharedStringIndex = (text: string) => number;

/**
 * A <c> element. `style` 0 is written without s. Returns null for an unstyled empty cell (omit it). Text
 * goes into the shared string table when `sst` is given, else inline.
 */
export function renderCell(
  prefix: string,
  ref: string,
  style: number,
  content: CellContent,
  sst?: SharedStringIndex
): string | null {
  const rest = renderCellRest(prefix, style, content, sst);
  return rest === null ? null : `<${q(prefix, "c")} r="${ref}${rest}`;
}

/**
 * What renderCell writes after the cell reference (from the quote closing r on), or null for no cell:
 * the same for every row, so a column's cells can share it.
 */
export function renderCellRest(
  prefix: string,
  style: number,
  content: CellContent,
  sst?: SharedStringIndex
): string | null {
  const c = q(prefix, "c");
  const s = style > 0 ? ` s="${style}"` : "";
  switch (content.kind) {
    case "empty":
      return style > 0 ? `"${s}/>` : null;
    case "number":
      return `"${s}><${q(prefix, "v")}>${content.text}</${q(prefix, "v")}></${c}>`;
    case "text": {
      if (sst)
        return `"${s} t="s"><${q(prefix, "v")}>${sst(content.text)}</${q(prefix, "v")}></${c}>`;
      const text = escapeText(encodeXstring(content.text));
      const t = q(prefix, "t");
      const space = needsPreserve(content.text) ? ' xml:space="preserve"' : "";
      return `"${s} t="inlineStr"><${q(prefix, "is")}><${t}${space}>${text}</${t}></${q(prefix, "is")}></${c}>`;
    }
  }
}
