/**
 * Overridden dimension errors (rules.md section 4) are counted per value-entry line, so per Entry and per
 * Posting Group count the same on the same input; and the run's options are checked once (section 5).
 */
import * as evaluate from "../../src/engine/evaluate";
import { parseRunOptions, RunOptionsError } from "../../src/engine/evaluate";
import { postInventoryCostToGL } from "../../src/engine/post";
import { dryRun, testReport } from "../../src/engine/testReport";
import { group, input, options, ve } from "./builders";

describe("overridden dimension errors, per value-entry line", () => {
  // Three purchases with the same grouping key: per Posting Group they merge into one Inventory line (2130)
  // and one Direct Cost Applied line (7291). Each entry carries Global Dimension 1 (DEPARTMENT) = SALES.
  const inp = () =>
    input(
      [1, 2, 3].map((entryNo) =>
        ve({
          entryNo,
          costAmountActual: 100 * entryNo,
          dimensionSetId: 5,
          globalDimension1Code: "SALES",
        })
      ),
      {
        defaultDimensions: [
          // 2130 wants DEPARTMENT = ADM (Same Code): SALES breaks it on each entry's Inventory line.
          {
            no: "2130",
            dimensionCode: "DEPARTMENT",
            dimensionValueCode: "ADM",
            valuePosting: "Same Code",
          },
          // 7291 wants no DEPARTMENT (No Code): broken on each entry's Direct Cost Applied line.
          {
            no: "7291",
            dimensionCode: "DEPARTMENT",
            dimensionValueCode: "",
            valuePosting: "No Code",
          },
        ],
      },
      { globalDimension1Code: "DEPARTMENT" }
    );

  test("3 entries x 2 lines, one broken rule each: 6 overrides per Entry and per Posting Group", () => {
    const perEntry = postInventoryCostToGL(inp(), options());
    const perGroup = postInventoryCostToGL(inp(), group("G"));
    expect(perEntry.glEntries).toHaveLength(6);
    expect(perGroup.glEntries).toHaveLength(2);
    expect(perEntry.overriddenDimensionErrors).toBe(6);
    expect(perGroup.overriddenDimensionErrors).toBe(6);
  });

  test("merged lines of both signs: each line still counts once (4 G/L entries, 6 overrides)", () => {
    const mixed = inp();
    mixed.valueEntries[2] = { ...mixed.valueEntries[2], costAmountActual: -300 };
    const perEntry = postInventoryCostToGL(mixed, options());
    const perGroup = postInventoryCostToGL(mixed, group("G"));
    expect(perGroup.glEntries.map((g) => [g.glAccountNo, g.amount])).toEqual([
      ["2130", 300],
      ["2130", -300],
      ["7291", 300],
      ["7291", -300],
    ]);
    expect(perEntry.overriddenDimensionErrors).toBe(6);
    expect(perGroup.overriddenDimensionErrors).toBe(6);
  });
});

describe("run options checked once", () => {
  test("parseRunOptions returns frozen options the engine uses without parsing again, or the usage error", () => {
    const bad = parseRunOptions(options({ itemFilter: "C..A" }));
    expect(bad).toEqual({
      ok: false,
      error: '"C..A" is not a valid Item No. filter: the range "C..A" starts after it ends.',
    });
    const good = parseRunOptions(options({ itemFilter: "A|B" }));
    if (!good.ok) throw new Error(good.error);
    expect(Object.isFrozen(good.options)).toBe(true);
    const inp = input([
      ve({ entryNo: 1, itemNo: "A", costAmountActual: 100 }),
      ve({ entryNo: 2, itemNo: "C", costAmountActual: 100 }),
    ]);
    expect(postInventoryCostToGL(inp, good.options).outcomes).toEqual(["posted", "filteredOut"]);
    // A changed copy is checked afresh, not trusted.
    expect(() => postInventoryCostToGL(inp, { ...good.options, documentNo: "X" })).toThrow(
      RunOptionsError
    );
  });
});

describe("dry run: each entry evaluated once for the result and the test report", () => {
  test("the same result and report as a posting run and a test report made apart", () => {
    const inp = input([
      ve({ entryNo: 1, costAmountActual: 100, dimensionSetId: 5, globalDimension1Code: "SALES" }),
      ve({ entryNo: 2, costAmountActual: -40, locationCode: "RED" }),
      ve({
        entryNo: 3,
        itemLedgerEntryType: "Sale",
        entryType: "Indirect Cost",
        costAmountActual: 5,
      }),
      ve({ entryNo: 4, costAmountActual: 60 }),
    ]);
    for (const o of [options({ post: false }), group("G", { post: false })]) {
      const both = dryRun(inp, o);
      expect(both.result).toEqual(postInventoryCostToGL(inp, o));
      expect(both.report).toEqual(testReport(inp, o));
      expect(both.result.counts).toEqual({
        posted: 2,
        alreadyPosted: 0,
        ignored: 0,
        skipped: 2,
        filteredOut: 0,
      });
    }
    // Once per entry: 4 evaluations for 4 entries (a posting run and a separate test report make 8).
    const spy = jest.spyOn(evaluate, "evaluateEntry");
    try {
      dryRun(inp, group("G", { post: false }));
      expect(spy).toHaveBeenCalledTimes(4);
    } finally {
      spy.mockRestore();
    }
  });
});
