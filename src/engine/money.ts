/**
 * Exact money (rules.md section 3, "Money is exact").
 *
 * Scheme: every amount is an integer count of minor units, 10^-decimals where decimals is the number of
 * decimals of the Amount Rounding Precision (0.01 -> cents). Integers add exactly in an IEEE double as long
 * as every partial sum stays below 2^53; the run tracks the sum of absolute values of everything it adds
 * and refuses a run that could leave that range (MoneyOverflowError), so no sum is ever rounded. At
 * 0.01 that bound is about 90 trillion currency units per run. Parsing and formatting go through decimal
 * text (decimal.js at the boundaries), never through binary fractions.
 */
import Decimal from "decimal.js";
import type { Money } from "./types";

export interface MoneyScale {
  /** Decimals of the precision: 0.01 -> 2, 0.05 -> 2, 1 -> 0. */
  decimals: number;
  /** 10^decimals. */
  factor: number;
  /** The precision in minor units: 0.01 -> 1, 0.05 -> 5, 1 -> 1. Every amount is a multiple of it. */
  step: number;
  /** The precision as given, normalised ("0.01"). */
  precision: string;
}

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class MoneyOverflowError extends Error {
  constructor() {
    super("The amounts of this run are too large to add exactly (over 2^53 minor units in total).");
    this.name = "MoneyOverflowError";
  }
}

/** Returns null when the precision is not a positive decimal with at most 9 decimals. */
export function moneyScale(precision: string): MoneyScale | null {
  let d: Decimal;
  try {
    d = new Decimal(precision.trim());
  } catch {
    return null;
  }
  if (!d.isFinite() || d.lte(0)) return null;
  const decimals = Math.max(0, d.decimalPlaces());
  if (decimals > 9) return null;
  const factor = 10 ** decimals;
  const step = d.times(factor).toNumber();
  if (!Number.isSafeInteger(step) || step <= 0) return null;
  return { decimals, factor, step, precision: d.toFixed(decimals) };
}

export const CENTS: MoneyScale = moneyScale("0.01")!;

export type MoneyParse =
  | { ok: true; value: Money }
  | { ok: false; error: "not a number" | "needs rounding" | "too large" };

/** Float noise from formulas within this distance of a multiple of the precision is snapped (rules.md section 3). */
const SNAP = 1e-9;

/** A numeric cell. Binary noise (0.1 + 0.2) within 1e-9 of a multiple of the precision is snapped. */
export function moneyFromNumber(x: number, scale: MoneyScale): MoneyParse {
  if (!Number.isFinite(x)) return { ok: false, error: "not a number" };
  const units = Math.round(x * scale.factor);
  if (!Number.isSafeInteger(units)) return { ok: false, error: "too large" };
  if (Math.abs(x - units / scale.factor) > SNAP) return { ok: false, error: "needs rounding" };
  if (units % scale.step !== 0) return { ok: false, error: "needs rounding" };
  return { ok: true, value: units === 0 ? 0 : units };
}

const NUMBER_TEXT = /^([+-])?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/**
 * Decimal comma, as day-first locales and their semicolon CSV exports write amounts: "165,00", "-1.234,50",
 * "1 234,50". "1,234" stays one thousand two hundred thirty-four (NUMBER_TEXT reads it first).
 */
const DECIMAL_COMMA_TEXT = /^([+-])?(\d{1,3}(?:[. \u00a0]\d{3})+|\d+),(\d+)$/;

/** The parts of a number written as text: sign, integer digits, fraction digits, exponent. */
function numberParts(t: string): { minus: boolean; int: string; frac: string; exp: string } | null {
  const m = NUMBER_TEXT.exec(t);
  if (m)
    return { minus: m[1] === "-", int: m[2].replace(/,/g, ""), frac: m[3] ?? "", exp: m[4] ?? "" };
  const c = DECIMAL_COMMA_TEXT.exec(t);
  if (c) return { minus: c[1] === "-", int: c[2].replace(/[. \u00a0]/g, ""), frac: c[3], exp: "" };
  return null;
}

/**
 * Text such as "1,234.50", "-18", "(18.00)", " 70 ", "1.5E+3", "165,00". Blank text is 0 (workbook.md: blank
 * amount = 0). Exact: the digits are scaled as decimal text, never as a binary fraction.
 */
export function moneyFromText(text: string, scale: MoneyScale): MoneyParse {
  let t = text.trim();
  if (t === "" || t === "-") return { ok: true, value: 0 };
  let negative = false;
  if (t.startsWith("(") && t.endsWith(")")) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  const p = numberParts(t);
  if (p === null || (p.int === "" && p.frac === "")) return { ok: false, error: "not a number" };
  if (p.minus) negative = !negative;
  let d = new Decimal(`${p.int || "0"}.${p.frac}0${p.exp ? "e" + p.exp : ""}`);
  if (negative) d = d.neg();
  const scaled = d.times(scale.factor);
  if (!scaled.isInteger()) return { ok: false, error: "needs rounding" };
  const units = scaled.toNumber();
  if (!Number.isSafeInteger(units)) return { ok: false, error: "too large" };
  if (units % scale.step !== 0) return { ok: false, error: "needs rounding" };
  return { ok: true, value: units === 0 ? 0 : units };
}

/** "165.00", "-0.05", "0.00": exact decimal text of minor units. */
export function formatMoney(units: Money, scale: MoneyScale): string {
  const negative = units < 0;
  let digits = String(Math.abs(units));
  if (scale.decimals === 0) return (negative ? "-" : "") + digits;
  digits = digits.padStart(scale.decimals + 1, "0");
  const cut = digits.length - scale.decimals;
  return `${negative ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Tracks the sum of absolute values of every amount a run adds. While it stays below 2^53, every partial
 * sum of those amounts is an exact integer in a double.
 */
export class ExactSumGuard {
  private absTotal = 0;
  add(units: Money): void {
    this.absTotal += units < 0 ? -units : units;
  }
  check(): void {
    // absTotal itself is a sum of non-negative integers: while below 2^53 it is exact too.
    if (!(this.absTotal <= MAX_EXACT)) throw new MoneyOverflowError();
  }
}
