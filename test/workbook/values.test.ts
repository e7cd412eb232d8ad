import fc from "fast-check";
import { CENTS, moneyFromText, moneyScale } from "../../src/engine/money";
import { OptionMatcher } from "../../src/workbook/names";
import { ORDER_TYPES, ENTRY_TYPES } from "../../src/engine/types";
import {
  cellText,
  dayToIso,
  isBlank,
  isoToDay,
  numberText,
  parseCode,
  parseDate,
  parseInteger,
  parseMoney,
  parseOption,
  parsePrecisionText,
  parseText,
  parseYesNo,
} from "../../src/workbook/values";

const day = (iso: string) => isoToDay(iso)!;

describe("parseInteger", () => {
  test.each<[unknown, number | null]>([
    [7, 7],
    ["7", 7],
    [" 42 ", 42],
    ["1,234", 1234],
    ["12.0", 12],
    [-3, -3],
    ["", null],
    ["  ", null],
    [null, null],
  ])("%p -> %p", (v, expected) => {
    expect(parseInteger(v as never)).toEqual({ ok: true, value: expected });
  });
  test.each([
    ["7.5", '"7.5" is not a whole number'],
    ["abc", '"abc" is not a whole number'],
    [7.5, '"7.5" is not a whole number'],
    [true, '"TRUE" is not a whole number'],
  ])("%p fails", (v, message) => {
    expect(parseInteger(v as never)).toEqual({ ok: false, error: message });
  });
  test("too large", () => {
    const r = parseInteger("99999999999999999999");
    expect(r.ok).toBe(false);
  });
});

describe("parseMoney", () => {
  test.each<[unknown, number]>([
    [165, 16500],
    ["165", 16500],
    ["165.00", 16500],
    ["-18", -1800],
    ["(18.00)", -1800],
    ["1,234.50", 123450],
    [" 70 ", 7000],
    ["", 0],
    [null, 0],
    ["   ", 0],
    [0.1 + 0.2, 30],
    ["1.5E+3", 150000],
    ["-0", 0],
    ["0.100", 10],
  ])("%p -> %p cents", (v, units) => {
    expect(parseMoney(v as never, CENTS)).toEqual({ ok: true, value: units });
  });
  test("not a number", () => {
    expect(parseMoney("12a", CENTS)).toEqual({
      ok: false,
      kind: "not a number",
      error: '"12a" is not a number',
    });
    expect(parseMoney(true, CENTS)).toMatchObject({ ok: false, kind: "not a number" });
    expect(parseMoney("1.2.3", CENTS)).toMatchObject({ ok: false, kind: "not a number" });
  });
  test("needs rounding", () => {
    expect(parseMoney("1.005", CENTS)).toEqual({
      ok: false,
      kind: "needs rounding",
      error: '"1.005" needs rounding to the Amount Rounding Precision 0.01',
    });
    expect(parseMoney(1.005, CENTS)).toMatchObject({ ok: false, kind: "needs rounding" });
    const nickel = moneyScale("0.05")!;
    expect(parseMoney("0.10", nickel)).toEqual({ ok: true, value: 10 });
    expect(parseMoney("0.12", nickel)).toMatchObject({ ok: false, kind: "needs rounding" });
    const whole = moneyScale("1")!;
    expect(parseMoney("12.00", whole)).toEqual({ ok: true, value: 12 });
    expect(parseMoney("12.5", whole)).toMatchObject({ ok: false, kind: "needs rounding" });
  });
  test("too large", () => {
    expect(parseMoney("123456789012345678", CENTS)).toMatchObject({ ok: false, kind: "too large" });
  });
  test("the fast path agrees with moneyFromText on plain decimals", () => {
    const scales = ["0.01", "0.05", "1", "0.001", "0.00001"].map((p) => moneyScale(p)!);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 999999999999999n }),
        fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
        fc.constantFrom(...scales),
        (neg, int, frac, scale) => {
          const text = `${neg ? "-" : ""}${int}${frac === undefined ? "" : "." + frac}`;
          const fast = parseMoney(text, scale);
          const slow = moneyFromText(text, scale);
          if (slow.ok) expect(fast).toEqual({ ok: true, value: slow.value });
          else {
            expect(fast.ok).toBe(false);
            // Past 20 significant digits decimal.js rounds, so the two may disagree on which error; both refuse.
            if (!fast.ok && slow.error !== "too large") expect(fast.kind).toBe(slow.error);
          }
        }
      ),
      { numRuns: 3000 }
    );
  });
});

describe("parseDate", () => {
  test.each<[unknown, string]>([
    ["2026-01-31", "2026-01-31"],
    [" 2026-01-31 ", "2026-01-31"],
    ["2026-01-31T00:00:00", "2026-01-31"],
    ["2026-01-31T13:45:10.123Z", "2026-01-31"],
    ["2026-01-31 08:00", "2026-01-31"],
    [46053, "2026-01-31"],
    [46053.75, "2026-01-31"],
    ["46053", "2026-01-31"],
    ["46053.5", "2026-01-31"],
    [25569, "1970-01-01"],
    ["2024-02-29", "2024-02-29"],
  ])("%p -> %s", (v, iso) => {
    const r = parseDate(v as never);
    expect(r).toEqual({ ok: true, value: day(iso) });
  });
  test("blank is null", () => {
    expect(parseDate(null)).toEqual({ ok: true, value: null });
    expect(parseDate("")).toEqual({ ok: true, value: null });
    expect(parseDate("  ")).toEqual({ ok: true, value: null });
  });
  test.each(["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10"])("impossible date %s", (v) => {
    const r = parseDate(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(`"${v}" is not a date (no such day)`);
  });
  test.each([
    ["31.01.2026", "2026-01-31"],
    ["1.2.2026", "2026-02-01"],
  ])("day-first dotted date %s (BC exports in day-first locales)", (v, iso) => {
    expect(parseDate(v)).toEqual({ ok: true, value: isoToDay(iso) });
    expect(parseDate("30.02.2026")).toEqual({
      ok: false,
      error: '"30.02.2026" is not a date (no such day)',
    });
  });
  test.each(["Jan 31 2026", "2026-1-31", "yesterday"])("unknown format %s", (v) => {
    const r = parseDate(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("is not a date");
  });
  test.each(["01/31/2026", "01/02/2026"])(
    "slashed %s without a date order: refused, naming the setting",
    (v) => {
      const r = parseDate(v);
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error).toContain(
          "set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order"
        );
    }
  );
  test("serials out of range and booleans", () => {
    expect(parseDate(0).ok).toBe(false);
    expect(parseDate(-5).ok).toBe(false);
    expect(parseDate(20260131).ok).toBe(false);
    expect(parseDate(true).ok).toBe(false);
    expect(parseDate("2026-01-31T25:00").ok).toBe(false);
  });
  test("dayToIso / isoToDay round trip", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25000, max: 2932896 }), (d) => {
        expect(isoToDay(dayToIso(d))).toBe(d);
        expect(parseDate(dayToIso(d))).toEqual({ ok: true, value: d });
      })
    );
    expect(isoToDay("2026-02-30")).toBeNull();
  });
});

describe("parseYesNo", () => {
  test.each<[unknown, boolean | null]>([
    ["Yes", true],
    ["yes", true],
    ["No", false],
    ["TRUE", true],
    ["false", false],
    ["1", true],
    ["0", false],
    [1, true],
    [0, false],
    ["X", true],
    ["x", true],
    [true, true],
    [false, false],
    ["", null],
    [null, null],
  ])("%p -> %p", (v, expected) => {
    expect(parseYesNo(v as never)).toEqual({ ok: true, value: expected });
  });
  test("other values fail with the value quoted", () => {
    expect(parseYesNo("maybe")).toEqual({ ok: false, error: '"maybe" is not Yes or No' });
    expect(parseYesNo(2)).toEqual({ ok: false, error: '"2" is not Yes or No' });
  });
});

describe("text and codes", () => {
  test("text", () => {
    expect(parseText("  Chain link ")).toBe("Chain link");
    expect(parseText(10000)).toBe("10000");
    expect(parseText(10000.0)).toBe("10000");
    expect(parseText(0.1 + 0.2)).toBe("0.3");
    expect(parseText(null)).toBe("");
    expect(parseText(true)).toBe("Yes");
    expect(numberText(1e21)).toBe("1e+21");
  });
  test("codes are upper-cased like BC stores them", () => {
    expect(parseCode(" blue ")).toBe("BLUE");
    expect(parseCode("RAW MAT")).toBe("RAW MAT");
    expect(parseCode(2130)).toBe("2130");
    expect(parseCode("Größe")).toBe("GRÖSSE");
  });
  test("isBlank and cellText", () => {
    expect(isBlank(null)).toBe(true);
    expect(isBlank(" \t")).toBe(true);
    expect(isBlank("\u00a0")).toBe(true);
    expect(isBlank(0)).toBe(false);
    expect(isBlank(false)).toBe(false);
    expect(cellText(false)).toBe("FALSE");
    expect(cellText(12.5)).toBe("12.5");
  });
});

describe("parseOption", () => {
  const et = new OptionMatcher(ENTRY_TYPES);
  const ot = new OptionMatcher(ORDER_TYPES);
  test("matches loosely; blank is the blank option where there is one", () => {
    expect(parseOption("direct_cost", et)).toEqual({ ok: true, value: "Direct Cost" });
    expect(parseOption(null, ot)).toEqual({ ok: true, value: "" });
    expect(parseOption("_blank_", ot)).toEqual({ ok: true, value: "" });
  });
  test("errors name the value and the choices", () => {
    const r = parseOption("Direkt", et);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toBe(
        '"Direkt" is not one of Direct Cost, Revaluation, Rounding, Indirect Cost, Variance, Total, Direct Cost - Non Inventory'
      );
    const b = parseOption(null, et);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.error).toMatch(/^the cell is blank/);
    expect(parseOption(3, et).ok).toBe(false);
  });
});

describe("parsePrecisionText", () => {
  test("numbers and text", () => {
    expect(parsePrecisionText(0.01)).toEqual({ ok: true, value: "0.01" });
    expect(parsePrecisionText(" 0.05 ")).toEqual({ ok: true, value: "0.05" });
    expect(parsePrecisionText(null)).toEqual({ ok: true, value: null });
    expect(parsePrecisionText(true).ok).toBe(false);
  });
});
