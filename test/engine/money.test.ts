import {
  CENTS,
  ExactSumGuard,
  formatMoney,
  moneyFromNumber,
  moneyFromText,
  moneyScale,
  MoneyOverflowError,
} from "../../src/engine/money";

describe("money (rules.md section 3: exact, at the Amount Rounding Precision)", () => {
  test.each([
    ["165", 16500],
    ["-18", -1800],
    ["(18.00)", -1800],
    ["1,234.50", 123450],
    [" 70 ", 7000],
    ["1.5E+3", 150000],
    ["", 0],
    // Decimal comma (day-first locales, semicolon CSV): unambiguous forms only.
    ["165,00", 16500],
    ["-1.234,50", -123450],
    ["1 234,50", 123450],
    ["(18,00)", -1800],
    // "1,234" is read as thousands, as in en-US.
    ["1,234", 123400],
  ])("text %j reads as %d cents", (text, cents) => {
    expect(moneyFromText(text, CENTS)).toEqual({ ok: true, value: cents });
  });
  test.each([
    ["12a", "not a number"],
    ["1,2,3", "not a number"],
    ["18.005", "needs rounding"],
    ["1.234", "needs rounding"],
  ])("text %j is refused: %s", (text, error) => {
    expect(moneyFromText(text, CENTS)).toEqual({ ok: false, error });
  });
  test("numbers: float noise within 1e-9 is snapped; anything else needs rounding", () => {
    expect(moneyFromNumber(0.1 + 0.2, CENTS)).toEqual({ ok: true, value: 30 });
    expect(moneyFromNumber(-157, CENTS)).toEqual({ ok: true, value: -15700 });
    expect(moneyFromNumber(1.005, CENTS)).toEqual({ ok: false, error: "needs rounding" });
  });
  test("a coarser precision: multiples of 0.05 only", () => {
    const scale = moneyScale("0.05")!;
    expect(scale).toMatchObject({ decimals: 2, step: 5 });
    expect(moneyFromText("1.15", scale)).toEqual({ ok: true, value: 115 });
    expect(moneyFromText("1.12", scale)).toEqual({ ok: false, error: "needs rounding" });
    expect(moneyScale("0")).toBeNull();
    expect(moneyScale("abc")).toBeNull();
  });
  test("formatting is exact decimal text", () => {
    expect(formatMoney(16500, CENTS)).toBe("165.00");
    expect(formatMoney(-5, CENTS)).toBe("-0.05");
    expect(formatMoney(0, CENTS)).toBe("0.00");
    expect(formatMoney(900719925474099, CENTS)).toBe("9007199254740.99");
    expect(formatMoney(7, moneyScale("1")!)).toBe("7");
  });
  test("the exactness guard refuses sums that could leave 2^53", () => {
    const g = new ExactSumGuard();
    g.add(2 ** 52);
    g.add(-(2 ** 52));
    expect(() => g.check()).toThrow(MoneyOverflowError);
    const ok = new ExactSumGuard();
    ok.add(123);
    ok.add(-123);
    expect(() => ok.check()).not.toThrow();
  });
});
