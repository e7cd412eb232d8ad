/**
 * Slashed dates (`1/5/2026`, `25/01/2026`, `2026/01/25`) as Excel writes them in en-US, en-GB and other
 * locales (workbook.md, "Reading values"). Day-first or month-first cannot be told from `1/5/2026` alone, so
 * the order is the Date Order setting (`dmy`, `mdy`, `ymd`; `--date-order` on the command line) or, on auto,
 * decided once per table from the dates that read only one way (`25/01/2026` is day-first). Never a guess per
 * cell: with nothing to decide, the reader names the setting to set.
 */

export const DATE_ORDERS = ["dmy", "mdy", "ymd"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
/** The setting's values: an order, or 'auto' (decide per table). */
export type DateOrderSetting = DateOrder | "auto";

const ORDER_WORDS: Record<DateOrder, string> = {
  dmy: "day-first",
  mdy: "month-first",
  ymd: "year-first",
};

// d/m/yyyy, m/d/yyyy, yyyy/m/d, with / or - (never yyyy-mm-dd: that is ISO, read before), an optional time part
// ("1/5/2026 0:00", "1/5/2026 12:00:00 AM") that is dropped as for every date.
const SLASHED =
  /^(\d{1,4})([/-])(\d{1,2})\2(\d{1,4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?$/;

export interface SlashedDate {
  /** The three numbers as written. */
  parts: [number, number, number];
  /** The first part has four digits: year-first whatever the setting says. */
  yearFirst: boolean;
}

/** The parts of a slashed date, or null when the text is not one. */
export function splitSlashed(text: string): SlashedDate | null {
  const m = SLASHED.exec(text.trim());
  if (m === null) return null;
  const yearFirst = m[1].length === 4;
  // yyyy-mm-dd is ISO (read, with its time part checked, by the ISO rule); d-m-yyyy needs the year last.
  if (yearFirst && m[2] === "-") return null;
  if (!yearFirst && m[4].length !== 4 && m[4].length > 2) return null;
  if (yearFirst && m[4].length > 2) return null;
  return { parts: [+m[1], +m[3], +m[4]], yearFirst };
}

/** The order one date reveals: 'dmy' when its first part cannot be a month, 'mdy' when its second cannot, else null. */
function revealedOrder(d: SlashedDate): DateOrder | null {
  if (d.yearFirst) return "ymd";
  const [a, b] = d.parts;
  if (a > 12 && b <= 12) return "dmy";
  if (b > 12 && a <= 12) return "mdy";
  return null;
}

/** The decision for one table: an order, none (nothing decides), or a conflict with an example of each. */
export type OrderDecision =
  | { kind: "decided"; order: DateOrder }
  | { kind: "undecided" }
  | { kind: "conflict"; dayFirst: string; monthFirst: string };

/** Decides the order of a table's d/m/y dates from the texts that read only one way (year-first ones decide nothing). */
export function decideDateOrder(texts: Iterable<string>): OrderDecision {
  let dayFirst: string | null = null;
  let monthFirst: string | null = null;
  for (const t of texts) {
    const d = splitSlashed(t);
    if (d === null) continue;
    const o = revealedOrder(d);
    if (o === "dmy" && dayFirst === null) dayFirst = t;
    else if (o === "mdy" && monthFirst === null) monthFirst = t;
    if (dayFirst !== null && monthFirst !== null) return { kind: "conflict", dayFirst, monthFirst };
  }
  if (dayFirst !== null) return { kind: "decided", order: "dmy" };
  if (monthFirst !== null) return { kind: "decided", order: "mdy" };
  return { kind: "undecided" };
}

export type SlashedRead = { ok: true; iso: string } | { ok: false; error: string };

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The ISO text of a slashed date under an order (null = not decided: an error naming the setting). Year-first
 * dates read as such under any order. The caller checks that the day exists.
 */
export function slashedToIso(text: string, d: SlashedDate, order: DateOrder | null): SlashedRead {
  const q = JSON.stringify(text);
  if (d.yearFirst) return { ok: true, iso: `${d.parts[0]}-${pad(d.parts[1])}-${pad(d.parts[2])}` };
  if (d.parts[2] < 100)
    return {
      ok: false,
      error: `${q} is not a date (write the year with four digits, e.g. 1/5/2026)`,
    };
  if (order === null) {
    const [a, b, y] = d.parts;
    const first = revealedOrder(d);
    const reading =
      first === null
        ? `it reads as ${a}/${b} day-first or ${b}/${a} month-first (${y})`
        : `nothing says whether the dates are day-first or month-first`;
    return {
      ok: false,
      error: `${q} is a slashed date and ${reading}: set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order`,
    };
  }
  if (order === "ymd")
    return { ok: false, error: `${q} is not a year-first date (Date Order is ymd)` };
  const [day, month] = order === "dmy" ? [d.parts[0], d.parts[1]] : [d.parts[1], d.parts[0]];
  if (month > 12)
    return {
      ok: false,
      error: `${q} is not a ${ORDER_WORDS[order]} date (Date Order ${order}): there is no month ${month}`,
    };
  return { ok: true, iso: `${d.parts[2]}-${pad(month)}-${pad(day)}` };
}

/** The Date Order setting's value from a cell's text, or null when it is none of them. Blank is auto. */
export function parseDateOrderSetting(text: string): DateOrderSetting | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  if (t === "" || t === "auto" || t === "automatic") return "auto";
  if (t === "dmy" || t === "daymonthyear" || t === "dayfirst") return "dmy";
  if (t === "mdy" || t === "monthdayyear" || t === "monthfirst") return "mdy";
  if (t === "ymd" || t === "yearmonthday" || t === "yearfirst") return "ymd";
  return null;
}

/** A d/m/y or m/d/y text (its separator within the first three characters): what auto Date Order decides on. */
export function dayMonthText(v: string | number | boolean | null): v is string {
  if (typeof v !== "string" || v.length < 6) return false;
  const c1 = v.charCodeAt(1);
  const c2 = v.charCodeAt(2);
  return c1 === 47 || c2 === 47 || ((c1 === 45 || c2 === 45) && splitSlashed(v) !== null);
}
