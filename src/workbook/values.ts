/**
 * Reading cell values (workbook.md, "Reading values"). Every parser takes a CellValue as an adapter read it
 * (number, text, boolean or null) and returns the value or an error text that quotes the value found, e.g.
 * `"12a" is not a number`. Parsers never throw.
 *
 * Dates: Excel serial numbers (also as text, "46023"), ISO text "2026-01-31" (a time part such as
 * "T00:00:00" is dropped). Ambiguous local formats ("31.01.2026", "01/31/2026") are refused on purpose.
 */
import {
  dayToIso as engineDayToIso,
  isoToDay as engineIsoToDay,
  EXCEL_EPOCH_OFFSET,
} from "../engine/dates";
import { moneyFromNumber, moneyFromText, type MoneyParse, type MoneyScale } from "../engine/money";
import type { DayNumber, Money } from "../engine/types";
import { DATE_ORDERS, slashedToIso, splitSlashed, type DateOrder } from "./dateOrder";
import { OptionMatcher } from "./names";
import type { CellValue, NumberStyle } from "./port";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** Day number -> "2026-01-31" (the one formatter used by every reader and writer). */
export const dayToIso: (day: DayNumber) => string = engineDayToIso;
/** "2026-01-31" -> day number, null when not an ISO date or not a real date. */
export const isoToDay: (text: string) => DayNumber | null = engineIsoToDay;

/** The cell as a user would recognise it in a message: text as is, numbers and booleans as JS prints them. */
export function cellText(v: CellValue): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return String(v);
}

/** `"12a"` — the value quoted for a message (JSON quoting, so quotes and line breaks stay visible). */
export function quote(v: CellValue): string {
  const t = cellText(v);
  return JSON.stringify(t.length > 60 ? t.slice(0, 57) + "..." : t);
}

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** "0", "165.00", "-18.5": decimal text a writer keeps as it is (it reads back the same in every style). */
export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/** True for null, '' and whitespace-only text. */
export function isBlank(v: CellValue): boolean {
  if (v === null) return true;
  if (typeof v === "string") {
    if (v === "") return true;
    // Fast path for the common non-blank case: first character not whitespace.
    const c = v.charCodeAt(0);
    if (c > 32 && c !== 160) return false;
    return v.trim() === "";
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Integers

const INT_TEXT = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$/;

/**
 * A whole number (Entry No., Dimension Set ID...). Blank -> null (the caller decides: required or 0).
 * With a file's number style (CSV), grouped text reads under that style ("1.000" is 1000 in a decimal-comma
 * file) and text that the two styles read differently is an error when the file decides neither.
 */
export function parseInteger(v: CellValue, style?: NumberStyle): Parsed<number | null> {
  if (v === null) return ok(null);
  if (style !== undefined && typeof v === "string" && !PLAIN_INT.test(v)) {
    const t = v.trim();
    if (t === "") return ok(null);
    if (numberForm(t) === NUMBER_FORM.none) return fail(`${quote(v)} is not a whole number`);
    const r = styledNumberText(t, style, v);
    if (!r.ok) return r;
    if (!/^[+-]?\d+(?:\.0*)?$/.test(r.value)) return fail(`${quote(v)} is not a whole number`);
    const n = Number(r.value);
    if (!Number.isSafeInteger(n)) return fail(`${quote(v)} is too large`);
    return ok(n === 0 ? 0 : n);
  }
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return ok(v === 0 ? 0 : v);
    if (Number.isFinite(v) && Number.isInteger(v)) return fail(`${quote(v)} is too large`);
    return fail(`${quote(v)} is not a whole number`);
  }
  if (typeof v === "boolean") return fail(`${quote(v)} is not a whole number`);
  const t = v.trim();
  if (t === "") return ok(null);
  if (!INT_TEXT.test(t)) return fail(`${quote(v)} is not a whole number`);
  const n = Number(t.replace(/,/g, ""));
  if (!Number.isSafeInteger(n)) return fail(`${quote(v)} is too large`);
  return ok(n === 0 ? 0 : n);
}

// ---------------------------------------------------------------------------------------------
// Money

// ---------------------------------------------------------------------------------------------
// Number style: decimal point or decimal comma

const PLAIN_INT = /^[+-]?\d+$/;
/** Read with a decimal point: "1,234.50", "165.00", ".5" (an exponent only here: "1.5E+3"). */
const POINT_BODY = /^(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Read with a decimal comma: "1.234,50", "1 234,50", "165,00", ",5". */
const COMMA_BODY = /^(?:[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?:[ \u00a0]\d{3})+|\d+)?(?:,\d+)?$/;

/** How number text reads under the two styles. */
export const NUMBER_FORM = {
  /** Not a number under either style. */
  none: 0,
  /** The same under both ("165", "-18"). */
  plain: 1,
  /** Only with a decimal point ("165.00", "1,234.50"). */
  point: 2,
  /** Only with a decimal comma ("165,00", "1.234,50"). */
  comma: 3,
  /** Both, differently ("1.500": 1.5 or 1500; "1,500": 1500 or 1.5). */
  ambiguous: 4,
} as const;
export type NumberForm = (typeof NUMBER_FORM)[keyof typeof NUMBER_FORM];

/** The number body without its sign: "-1.234,50" -> "1.234,50", "(18)" -> "18"; null when the sign is malformed ("(-18)"). */
function numberBody(t: string): { body: string; negative: boolean } | null {
  let body = t;
  let negative = false;
  if (body.charCodeAt(0) === 40 /* ( */ && body.charCodeAt(body.length - 1) === 41) {
    body = body.slice(1, -1).trim();
    negative = true;
    const c = body.charCodeAt(0);
    if (c === 43 || c === 45) return null; // "(-18)": parentheses already say negative
  } else {
    const c = body.charCodeAt(0);
    if (c === 43 || c === 45) {
      negative = c === 45;
      body = body.slice(1);
    }
  }
  return { body, negative };
}

/** Which style(s) read this text as a number (trimmed text; the sign and parentheses do not matter). */
export function numberForm(t: string): NumberForm {
  // One pass over the characters for the common shapes ("165", "165.00", "2026-01-31", "LINK"); the rest by regex.
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === 45 || c === 43) i = 1;
  let digits = 0;
  let marks = 0;
  let markAt = -1;
  let lead0 = false;
  for (; i < n; i++) {
    c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0 && markAt < 0) lead0 = c === 48;
      digits++;
    } else if (c === 46 || c === 44) {
      marks++;
      markAt = i;
    } else break;
  }
  if (i === n) {
    if (digits === 0) return NUMBER_FORM.none;
    if (marks === 0) return NUMBER_FORM.plain;
    if (marks === 1) {
      const start = t.charCodeAt(0) === 45 || t.charCodeAt(0) === 43 ? 1 : 0;
      const before = markAt - start;
      const after = n - markAt - 1;
      if (after === 0) return NUMBER_FORM.none;
      const own = t.charCodeAt(markAt) === 46 ? NUMBER_FORM.point : NUMBER_FORM.comma;
      // "1.500" / "1,500": a thousands group or three decimals.
      return after === 3 && before >= 1 && before <= 3 && !lead0 ? NUMBER_FORM.ambiguous : own;
    }
  } else if (c !== 32 && c !== 160 && c !== 101 && c !== 69 && c !== 40 && c !== 41)
    return NUMBER_FORM.none;
  const c0 = t.charCodeAt(0);
  // Quick exit for text and codes: a number starts with a digit, a sign, a parenthesis or a separator.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 40 || c0 === 46 || c0 === 44))
    return NUMBER_FORM.none;
  const nb = numberBody(t);
  if (nb === null || !/\d/.test(nb.body)) return NUMBER_FORM.none;
  const point = POINT_BODY.test(nb.body);
  const comma = COMMA_BODY.test(nb.body);
  if (point && comma) return /[.,]/.test(nb.body) ? NUMBER_FORM.ambiguous : NUMBER_FORM.plain;
  return point ? NUMBER_FORM.point : comma ? NUMBER_FORM.comma : NUMBER_FORM.none;
}

/** "1.234,50" under a decimal comma -> "1234.50" (the sign kept, parentheses as a minus). */
function canonicalNumber(nb: { body: string; negative: boolean }, decimal: "," | "."): string {
  const b =
    decimal === "."
      ? nb.body.replace(/,/g, "")
      : nb.body.replace(/[. \u00a0]/g, "").replace(",", ".");
  return (nb.negative ? "-" : "") + b;
}

/** The number as it would be written in the file's style, for "write it as ..." advice. */
function inStyle(canonical: string, decimal: "," | "."): string {
  return decimal === "," ? canonical.replace(".", ",") : canonical;
}

/** "1.500" -> "1.5" (at least `min` decimals: "1.50" for 2). */
function shortDecimal(t: string, min = 0): string {
  const m = /^(-?\d*)[.,](\d*?)0*$/.exec(t);
  if (m === null) return t;
  const mark = t.includes(".") ? "." : ",";
  const frac = m[2].padEnd(min, "0");
  return frac === "" ? m[1] : `${m[1]}${mark}${frac}`;
}

const NO_DECISION =
  "no value of this file decides whether it writes numbers with a decimal comma or a decimal point";

/**
 * Number text under a file's number style as plain decimal-point text ("1.234,50" -> "1234.50"). A value that
 * contradicts the decided style, or that the styles read differently when the file decides neither, is an error
 * naming the value and how to write it. `v` is the cell as found (quoted in messages).
 */
export function styledNumberText(t: string, style: NumberStyle, v: CellValue = t): Parsed<string> {
  const form = numberForm(t);
  const nb = numberBody(t);
  if (nb === null)
    return fail(
      `${quote(v)} is not a number (parentheses already make it negative: write (${t.slice(1, -1).trim().slice(1)}) or ${t.slice(1, -1).trim()})`
    );
  const by = style.decidedBy === undefined ? "" : ` (as ${style.decidedBy} shows)`;
  switch (form) {
    case NUMBER_FORM.none:
      return fail(`${quote(v)} is not a number`);
    case NUMBER_FORM.plain:
      return ok(canonicalNumber(nb, "."));
    case NUMBER_FORM.point:
    case NUMBER_FORM.comma: {
      const own = form === NUMBER_FORM.point ? "." : ",";
      if (style.decimal !== null && style.decimal !== own) {
        const c = canonicalNumber(nb, own);
        return fail(
          `${quote(v)} is written with a decimal ${own === "." ? "point" : "comma"}, but this file writes numbers with a decimal ${style.decimal === "." ? "point" : "comma"}${by}; ` +
            `write it as ${inStyle(c, style.decimal)} (one number format for the whole file)`
        );
      }
      return ok(canonicalNumber(nb, own));
    }
    default: {
      if (style.decimal !== null) return ok(canonicalNumber(nb, style.decimal));
      // "1.500": 1.5 with a decimal point, 1500 with a decimal comma ("1,500": the other way round).
      const dot = nb.body.includes(".");
      const frac = shortDecimal(canonicalNumber(nb, dot ? "." : ","));
      const whole = canonicalNumber(nb, dot ? "," : ".");
      const grouped = `${t}${dot ? "," : "."}00`;
      const fracText = dot ? frac : frac.replace(".", ",");
      return fail(
        `${quote(v)} can be read as ${frac} or as ${whole}, and ${NO_DECISION}; write it without a thousands separator ` +
          `(${whole}, or ${frac} if that is meant), or with its decimals (${grouped} or ${shortDecimal(fracText, 2)})`
      );
    }
  }
}

/** For an ambiguous amount ("-18.005"): when its decimal reading needs rounding, say so (it is often the typo). */
function ambiguousRounding(t: string, scale: MoneyScale): string {
  if (numberForm(t) !== NUMBER_FORM.ambiguous) return "";
  const nb = numberBody(t);
  if (nb === null) return "";
  const frac = canonicalNumber(nb, nb.body.includes(".") ? "." : ",");
  const r = fastMoneyText(frac, scale) ?? moneyFromText(frac, scale);
  return !r.ok && r.error === "needs rounding"
    ? `; read as ${shortDecimal(frac)} it would need rounding to the Amount Rounding Precision ${scale.precision}`
    : "";
}

const SIMPLE_DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{1,9}))?$/;

/**
 * Fast exact path for plain decimal text ("165.00", "-18", "0"): what CSV files hold 100,000 times.
 * Returns undefined when the text is not that simple (moneyFromText handles the rest).
 */
function fastMoneyText(t: string, scale: MoneyScale): MoneyParse | undefined {
  const m = SIMPLE_DECIMAL.exec(t);
  if (m === null) return undefined;
  const intPart = m[2];
  const frac = m[3] ?? "";
  let fracUnits = 0;
  if (frac.length > scale.decimals) {
    // Digits beyond the precision's decimals must be zeros.
    for (let i = scale.decimals; i < frac.length; i++)
      if (frac.charCodeAt(i) !== 48) return { ok: false, error: "needs rounding" };
  }
  for (let i = 0; i < scale.decimals; i++)
    fracUnits = fracUnits * 10 + (i < frac.length ? frac.charCodeAt(i) - 48 : 0);
  const intUnits = Number(intPart) * scale.factor;
  if (!Number.isSafeInteger(intUnits)) return undefined; // let the exact path decide ("too large")
  let units = intUnits + fracUnits;
  if (!Number.isSafeInteger(units)) return undefined;
  if (units % scale.step !== 0) return { ok: false, error: "needs rounding" };
  if (m[1] === "-") units = -units;
  return { ok: true, value: units === 0 ? 0 : units };
}

function moneyMessage(
  v: CellValue,
  error: "not a number" | "needs rounding" | "too large",
  scale: MoneyScale
): string {
  switch (error) {
    case "not a number":
      return `${quote(v)} is not a number`;
    case "needs rounding":
      return `${quote(v)} needs rounding to the Amount Rounding Precision ${scale.precision}`;
    case "too large":
      return `${quote(v)} is too large`;
  }
}

/** What a money parse failed on (so callers can tell "needs rounding" from the rest). */
export type MoneyErrorKind = "not a number" | "needs rounding" | "too large";

export type ParsedMoney =
  { ok: true; value: Money } | { ok: false; error: string; kind: MoneyErrorKind };

/**
 * An amount in minor units of `scale`. Numeric cells, text such as "1,234.50", "-18", "(18.00)". Blank = 0.
 * A value that is not a multiple of the precision "needs rounding" (formula noise within 1e-9 is snapped).
 */
export function parseMoney(v: CellValue, scale: MoneyScale, style?: NumberStyle): ParsedMoney {
  if (v === null) return { ok: true, value: 0 };
  let r: MoneyParse;
  if (typeof v === "number") r = moneyFromNumber(v, scale);
  else if (typeof v === "boolean") r = { ok: false, error: "not a number" };
  else {
    let t = v.length > 0 && v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32 ? v : v.trim();
    if (t.length > 2 && t.charCodeAt(0) === 40 && /^\(\s*[+-]/.test(t))
      return {
        ok: false,
        kind: "not a number",
        error: `${quote(v)} is not a number (parentheses already make it negative: write (${t.slice(1, -1).trim().slice(1)}) or ${t.slice(1, -1).trim()})`,
      };
    if (style !== undefined && t !== "" && t !== "-") {
      // Plain "165.00" in a file that is not decimal-comma: the fast path as is ("1.500" is ambiguous: below).
      const m = style.decimal === "," ? null : SIMPLE_DECIMAL.exec(t);
      if (
        m === null ||
        (m[3] !== undefined &&
          m[3].length === 3 &&
          style.decimal === null &&
          /^[1-9]\d{0,2}$/.test(m[2]))
      ) {
        const s = styledNumberText(t, style, v);
        if (!s.ok)
          return { ok: false, kind: "not a number", error: s.error + ambiguousRounding(t, scale) };
        t = s.value;
      }
    }
    r = fastMoneyText(t, scale) ?? moneyFromText(t, scale);
  }
  if (r.ok) return r;
  return { ok: false, error: moneyMessage(v, r.error, scale), kind: r.error };
}

/**
 * The Amount Rounding Precision of a settings cell ("0.01", 0.01, "1"); null when blank. With a file's number
 * style (CSV), "0,01" in a decimal-comma file is 0.01.
 */
export function parsePrecisionText(v: CellValue, style?: NumberStyle): Parsed<string | null> {
  if (style !== undefined && typeof v === "string" && v.trim() !== "") {
    const r = styledNumberText(v.trim(), style, v);
    return r.ok
      ? r
      : fail(`${r.error}; the Amount Rounding Precision is a positive decimal such as 0.01`);
  }
  if (v === null) return ok(null);
  if (typeof v === "boolean") return fail(`${quote(v)} is not a valid Amount Rounding Precision`);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return fail(`${quote(v)} is not a valid Amount Rounding Precision`);
    // 0.01 as a double prints as "0.01"; toPrecision(15) drops binary noise from formulas.
    return ok(String(parseFloat(v.toPrecision(15))));
  }
  const t = v.trim();
  return ok(t === "" ? null : t);
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Excel serials accepted as dates: 1900-03-01 (61, after Excel's phantom 1900-02-29) to 9999-12-31. */
const MIN_SERIAL = 61;
const MAX_SERIAL = 2958465;

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SERIAL_TEXT = /^\d{1,7}(?:\.\d+)?$/;

function serialToDay(serial: number, v: CellValue): Parsed<DayNumber | null> {
  if (!Number.isFinite(serial) || serial < MIN_SERIAL || serial >= MAX_SERIAL + 1)
    return fail(
      `${quote(v)} is not a date (an Excel date serial must be between ${MIN_SERIAL} and ${MAX_SERIAL})`
    );
  // A date with a time part is still that date.
  return ok(Math.floor(serial) - EXCEL_EPOCH_OFFSET);
}

/** One cache per date order (the same text reads differently under dmy and mdy); index 0 = not decided. */
const dateTextCaches = [null, ...DATE_ORDERS].map(
  () => new Map<string, Parsed<DayNumber | null>>()
);

/**
 * A date: an Excel serial (number, or digits as text), or ISO text "2026-01-31" with an optional time part
 * that is dropped. Blank -> null. An impossible date such as 2026-02-30 is an error.
 */
export function parseDate(v: CellValue, order: DateOrder | null = null): Parsed<DayNumber | null> {
  if (v === null) return ok(null);
  if (typeof v === "number") return serialToDay(v, v);
  if (typeof v === "boolean") return fail(`${quote(v)} is not a date`);
  const dateTextCache = dateTextCaches[order === null ? 0 : DATE_ORDERS.indexOf(order) + 1];
  const cached = dateTextCache.get(v);
  if (cached !== undefined) return cached;
  const r = parseDateText(v, order);
  if (dateTextCache.size < 20000) dateTextCache.set(v, r);
  return r;
}

const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

function parseDateText(v: string, order: DateOrder | null): Parsed<DayNumber | null> {
  const t = v.trim();
  if (t === "") return ok(null);
  if (SERIAL_TEXT.test(t)) return serialToDay(Number(t), v);
  // dd.mm.yyyy is how day-first locales (and BC exports made there) write dates; dots make it unambiguous.
  // Slashed dates (01/02/2026) read under the table's Date Order (dateOrder.ts); without one they are refused.
  const slashed = splitSlashed(t);
  if (slashed !== null) {
    const r = slashedToIso(v, slashed, order);
    if (!r.ok) return fail(r.error);
    const day = engineIsoToDay(r.iso);
    return day === null ? fail(`${quote(v)} is not a date (no such day)`) : ok(day);
  }
  const dotted = DOTTED_DATE.exec(t);
  if (dotted !== null) {
    const day = engineIsoToDay(
      `${dotted[3]}-${dotted[2].padStart(2, "0")}-${dotted[1].padStart(2, "0")}`
    );
    return day === null ? fail(`${quote(v)} is not a date (no such day)`) : ok(day);
  }
  const m = ISO_DATE_TIME.exec(t);
  if (m === null) return fail(`${quote(v)} is not a date (use yyyy-mm-dd, e.g. 2026-01-31)`);
  if (m[4] !== undefined && (+m[4] > 24 || +m[5] > 59 || (m[6] !== undefined && +m[6] > 60)))
    return fail(`${quote(v)} is not a date (the time part is not a time)`);
  const day = engineIsoToDay(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === null) return fail(`${quote(v)} is not a date (no such day)`);
  return ok(day);
}

// ---------------------------------------------------------------------------------------------
// Yes/No

// German BC exports write Ja/Nein; on/off is how people type a switch.
const YES = new Set(["yes", "true", "1", "x", "y", "ja", "j", "on"]);
const NO = new Set(["no", "false", "0", "n", "nein", "off"]);

/** Yes/No, TRUE/FALSE, 1/0, X/blank, booleans. Blank -> null (the caller applies the column's default). */
export function parseYesNo(v: CellValue): Parsed<boolean | null> {
  if (v === null) return ok(null);
  if (typeof v === "boolean") return ok(v);
  if (typeof v === "number") {
    if (v === 1) return ok(true);
    if (v === 0) return ok(false);
    return fail(`${quote(v)} is not Yes or No`);
  }
  const t = v.trim().toLowerCase();
  if (t === "") return ok(null);
  if (YES.has(t)) return ok(true);
  if (NO.has(t)) return ok(false);
  return fail(`${quote(v)} is not Yes or No`);
}

// ---------------------------------------------------------------------------------------------
// Text and codes

/** A number cell as text, without binary noise and without ".0": 10000 -> "10000", 0.1+0.2 -> "0.3". */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return String(n);
  return String(parseFloat(n.toPrecision(15)));
}

/** Text: trimmed; numbers as text without ".0"; booleans as Yes/No; blank -> ''. Never fails. */
export function parseText(v: CellValue): string {
  if (v === null) return "";
  if (typeof v === "string") {
    if (v.length === 0) return v;
    const a = v.charCodeAt(0);
    const b = v.charCodeAt(v.length - 1);
    return a > 32 && a !== 160 && b > 32 && b !== 160 ? v : v.trim();
  }
  if (typeof v === "number") return numberText(v);
  return v ? "Yes" : "No";
}

/**
 * A BC Code field (No., posting groups, location, document no.): text, trimmed and upper-cased as BC stores
 * codes, so `blue` in one table matches `BLUE` in another.
 */
export function parseCode(v: CellValue): string {
  const t = parseText(v);
  // toUpperCase allocates even when nothing changes; most codes are already upper case.
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127) return t.toUpperCase();
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Options

/** An option value (the enums of types.ts), matched loosely. Blank -> the blank option, or an error when there is none. */
export function parseOption<T extends string>(v: CellValue, matcher: OptionMatcher<T>): Parsed<T> {
  if (v === null)
    return matcher.hasBlank
      ? ok("" as T)
      : fail(`the cell is blank; expected one of ${matcher.describe()}`);
  if (typeof v !== "string") return fail(`${quote(v)} is not one of ${matcher.describe()}`);
  const r = matcher.match(v);
  if (r !== null) return ok(r);
  if (v.trim() === "") return fail(`the cell is blank; expected one of ${matcher.describe()}`);
  return fail(`${quote(v)} is not one of ${matcher.describe()}`);
}
