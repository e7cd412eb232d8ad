/**
 * Issue 7, "Match BC's behaviour": the engine against BC 29 W1 (codeunit 5802 Inventory Posting To G/L,
 * reports 1002 and 1003) and rules.md sections 2, 4, 6, 7. Expected values are worked out by hand from the
 * setup in builders.ts (FULL_INV: Inventory 2130, Interim 2131, WIP 2140, variances 7890-7895; FULL_GEN: accrual
 * 5510, Inventory Adjmt. 7270, Direct Cost Applied 7291, Overhead Applied 7292, Purchase Variance 7293,
 * COGS 7290, COGS (Interim) 7281, Direct Cost Non-Inv. 7296).
 */
import fc from "fast-check";
import { postInventoryCostToGL, reportAmounts } from "../../src/engine/post";
import { testReport } from "../../src/engine/testReport";
import { ENTRY_TYPES, type GLAccount, type GLEntry } from "../../src/engine/types";
import { OPTIONS } from "../../src/workbook/schema";
import { day, FULL_GEN, genSetup, group, input, options, ve } from "./builders";

const brief = (g: GLEntry) => [g.glAccountNo, g.amount];
const account = (no: string, p: Partial<GLAccount> = {}): GLAccount => ({
  no,
  name: `Account ${no}`,
  accountType: "Posting",
  blocked: false,
  ...p,
});
const ALL_ACCOUNTS = [
  "2130",
  "2131",
  "2140",
  "7890",
  "7891",
  "7892",
  "7893",
  "7894",
  "7895",
  "5510",
  "7270",
  "7291",
  "7292",
  "7293",
  "7290",
  "7281",
  "7296",
];

describe('Entry Type Total (BC enum 104 "Cost Entry Type", value 5)', () => {
  test("is an option value, in BC order", () => {
    expect(ENTRY_TYPES).toEqual([
      "Direct Cost",
      "Revaluation",
      "Rounding",
      "Indirect Cost",
      "Variance",
      "Total",
      "Direct Cost - Non Inventory",
    ]);
    expect(OPTIONS.entryType.match("Total")).toBe("Total");
  });

  test("is skipped INVALID_COMBINATION, the other entries post", () => {
    const r = postInventoryCostToGL(
      input([
        ve({ entryNo: 1, entryType: "Total", costAmountActual: 100 }),
        ve({ entryNo: 2, costAmountActual: 40 }),
      ]),
      options()
    );
    expect(r.outcomes).toEqual(["skipped", "posted"]);
    expect(r.skipped[0].reasonCode).toBe("INVALID_COMBINATION");
    expect(r.skipped[0].reason).toBe(
      "The following combination Item Ledger Entry Type = Purchase, Entry Type = Total, and Expected Cost = No is not allowed. " +
        "No G/L accounts are defined for Item Ledger Entry Type Purchase, Entry Type Total; Business Central stops the run with this error."
    );
    expect(r.glEntries.map(brief)).toEqual([
      ["2130", 40],
      ["7291", -40],
    ]);
  });
});

describe("capacity entries post as production for every Order Type but Assembly", () => {
  test.each([
    ["Production", "Direct Cost", "7291"],
    ["", "Direct Cost", "7291"],
    ["Transfer", "Direct Cost", "7291"],
    ["Service", "Indirect Cost", "7292"],
    ["Transfer", "Indirect Cost", "7292"],
  ] as const)("Order Type %p, %s: WIP Inventory / %s", (orderType, entryType, balancing) => {
    const r = postInventoryCostToGL(
      input([
        ve({ entryNo: 1, itemLedgerEntryType: "", entryType, orderType, costAmountActual: 500 }),
      ]),
      options()
    );
    expect(r.outcomes).toEqual(["posted"]);
    expect(r.glEntries.map(brief)).toEqual([
      ["2140", 500],
      [balancing, -500],
    ]);
  });

  test("Order Type Assembly debits Inventory Adjmt.", () => {
    const r = postInventoryCostToGL(
      input([
        ve({
          entryNo: 1,
          itemLedgerEntryType: "",
          entryType: "Direct Cost",
          orderType: "Assembly",
          costAmountActual: 500,
        }),
      ]),
      options()
    );
    expect(r.glEntries.map(brief)).toEqual([
      ["7270", 500],
      ["7291", -500],
    ]);
  });
});

describe("non-inventory cost", () => {
  const cases = [
    { entryNo: 1, itemLedgerEntryType: "Purchase", entryType: "Direct Cost - Non Inventory" },
    {
      entryNo: 2,
      itemLedgerEntryType: "Sale",
      entryType: "Variance",
      varianceType: "Material - Non Inventory",
    },
    {
      entryNo: 3,
      itemLedgerEntryType: "Assembly Output",
      entryType: "Direct Cost - Non Inventory",
    },
    {
      entryNo: 4,
      itemLedgerEntryType: "Consumption",
      entryType: "Variance",
      varianceType: "Material - Non Inventory",
    },
  ] as const;

  test.each([false, true])(
    "on a type other than Output is skipped INVALID_COMBINATION, never ignored (setting 8 = %p)",
    (setting8) => {
      const r = postInventoryCostToGL(
        input(
          cases.map((c) => ve({ ...c, costAmountActual: 300 })),
          {},
          { includeNonInventoryCostInProduction: setting8 }
        ),
        options()
      );
      expect(r.outcomes).toEqual(["skipped", "skipped", "skipped", "skipped"]);
      expect(r.counts.ignored).toBe(0);
      expect(r.skipped.map((s) => s.reasonCode)).toEqual([
        "INVALID_COMBINATION",
        "INVALID_COMBINATION",
        "INVALID_COMBINATION",
        "INVALID_COMBINATION",
      ]);
      expect(r.skipped[0].reason).toBe(
        "The following combination Item Ledger Entry Type = Purchase, Entry Type = Direct Cost - Non Inventory, and Expected Cost = No is not allowed. " +
          "Non-inventory cost (Entry Type Direct Cost - Non Inventory) posts only on Output entries; on Purchase Business Central stops the run with this error."
      );
      expect(r.skipped[1].reason).toContain(
        "Non-inventory cost (Variance Type Material - Non Inventory) posts only on Output entries; on Sale Business Central stops the run"
      );
    }
  );

  test("on Output: ignored with setting 8 off, posted with it on", () => {
    const entries = [
      ve({
        entryNo: 1,
        itemLedgerEntryType: "Output",
        entryType: "Direct Cost - Non Inventory",
        costAmountActual: 300,
      }),
      ve({
        entryNo: 2,
        itemLedgerEntryType: "Output",
        entryType: "Variance",
        varianceType: "Material - Non Inventory",
        costAmountActual: 20,
      }),
    ];
    expect(postInventoryCostToGL(input(entries), options()).outcomes).toEqual([
      "ignored",
      "ignored",
    ]);
    const on = postInventoryCostToGL(
      input(entries, {}, { includeNonInventoryCostInProduction: true }),
      options()
    );
    expect(on.glEntries.map(brief)).toEqual([
      ["2130", 300],
      ["7296", -300],
      ["2130", 20],
      ["7895", -20],
    ]);
  });

  test("a Direct Cost entry is not non-inventory whatever its Variance Type (BC reads Variance Type only for Variance)", () => {
    const r = postInventoryCostToGL(
      input([
        ve({
          entryNo: 1,
          itemLedgerEntryType: "Output",
          entryType: "Direct Cost",
          varianceType: "Material - Non Inventory",
          costAmountActual: 50,
        }),
      ]),
      options()
    );
    expect(r.glEntries.map(brief)).toEqual([
      ["2130", 50],
      ["2140", -50],
    ]);
  });
});

describe("per Entry G/L entries carry Job No., Job Task No., Reason Code and Prod. Order No.", () => {
  const entries = () => [
    ve({
      entryNo: 1,
      itemLedgerEntryType: "Output",
      orderType: "Production",
      orderNo: "PO-1",
      jobNo: "J1",
      jobTaskNo: "T1",
      reasonCode: "R1",
      costAmountActual: 80,
    }),
    ve({
      entryNo: 2,
      itemLedgerEntryType: "Transfer",
      orderType: "Transfer",
      orderNo: "TO-1",
      reasonCode: "R2",
      costAmountActual: 30,
    }),
  ];
  const fields = (g: GLEntry) => [g.glAccountNo, g.jobNo, g.jobTaskNo, g.reasonCode, g.prodOrderNo];

  test("per Entry: copied; Prod. Order No. only for Order Type Production", () => {
    const r = postInventoryCostToGL(input(entries()), options());
    expect(r.glEntries.map(fields)).toEqual([
      ["2130", "J1", "T1", "R1", "PO-1"],
      ["2140", "J1", "T1", "R1", "PO-1"],
      ["2130", "", "", "R2", ""],
      ["7270", "", "", "R2", ""],
    ]);
  });

  test("per Posting Group: blank", () => {
    const r = postInventoryCostToGL(input(entries()), group("INVT-1"));
    expect(r.glEntries).toHaveLength(4);
    for (const g of r.glEntries)
      expect([g.jobNo, g.jobTaskNo, g.reasonCode, g.prodOrderNo]).toEqual(["", "", "", ""]);
  });
});

describe("report 1003's wording", () => {
  test("every warning in BC words, on the lines of a per Entry test report", () => {
    const accounts = ALL_ACCOUNTS.filter((a) => a !== "7291").map((no) =>
      no === "2130"
        ? account(no, { blocked: true })
        : no === "7292"
          ? account(no, { accountType: "Heading" })
          : account(no)
    );
    const inp = input(
      [
        ve({ entryNo: 1, costAmountActual: 10, locationCode: "RED" }),
        ve({ entryNo: 2, costAmountActual: 10, genBusPostingGroup: "EXPORT" }),
        ve({ entryNo: 3, costAmountActual: 10, genBusPostingGroup: "BLOCKED" }),
        ve({ entryNo: 4, costAmountActual: 10 }),
        ve({ entryNo: 5, entryType: "Indirect Cost", costAmountActual: 10 }),
        ve({
          entryNo: 6,
          entryType: "Indirect Cost",
          expectedCost: true,
          costAmountActual: 10,
          postingDate: day("2026-03-01"),
        }),
        ve({ entryNo: 7, itemLedgerEntryType: "", entryType: "Revaluation", costAmountActual: 10 }),
      ],
      {
        glAccounts: accounts,
        generalPostingSetup: [
          genSetup("DOMESTIC", "RETAIL", FULL_GEN),
          genSetup("EXPORT", "OTHER", FULL_GEN),
          genSetup("BLOCKED", "RETAIL", FULL_GEN, true),
        ],
      },
      // Expected cost posting on, so entry 6 shows only the wrong-type warning of its Expected Cost.
      { allowPostingTo: day("2026-02-28"), expectedCostPostingToGL: true }
    );
    const byEntry = (n: number) =>
      testReport(inp, options())
        .lines.filter((l) => l.valueEntryNo === n)
        .map((l) => l.warnings);
    expect(byEntry(1)).toEqual([
      [
        "Inventory Posting Setup is missing for Location Code RED and Invt. Posting Group Code RESALE.",
      ],
      ["G/L Account 7291 does not exist."],
    ]);
    expect(byEntry(2)).toEqual([
      ["Blocked must be No for G/L Account 2130."],
      [
        "General Posting Setup is missing for Gen. Bus. Posting Group EXPORT and Gen. Prod. Posting Group RETAIL.",
      ],
    ]);
    expect(byEntry(3)[1]).toEqual([
      "Setup is blocked in General Posting Setup for Gen. Bus. Posting Group BLOCKED and Gen. Prod. Posting Group RETAIL.",
    ]);
    expect(byEntry(5)).toEqual([
      ["Blocked must be No for G/L Account 2130."],
      ["Account Type must be Posting for G/L Account 7292."],
    ]);
    expect(byEntry(6)[1]).toEqual([
      "Expected Cost must be false, if Entry Type is not Direct Cost or Revaluation.",
      "The Posting Date is not within your range of allowed posting dates.",
      "Account Type must be Posting for G/L Account 7292.",
    ]);
    // A blank option prints as nothing in BC's Format().
    expect(byEntry(7)).toEqual([
      [
        "The following combination Item Ledger Entry Type = , Entry Type = Revaluation, and Expected Cost = No is not allowed.",
      ],
    ]);
    expect(testReport(inp, options()).lines.find((l) => l.valueEntryNo === 7)!.description).toBe(
      "Value Entry 7"
    );
  });

  test("Skipped Entries keep the BC sentence first, with what it leaves out after it", () => {
    const inp = input(
      [ve({ entryNo: 1, costAmountActual: 10, postingDate: day("2026-03-01") })],
      { glAccounts: ALL_ACCOUNTS.filter((a) => a !== "7291").map((no) => account(no)) },
      { allowPostingTo: day("2026-02-28") }
    );
    const s = postInventoryCostToGL(inp, options()).skipped[0];
    expect(s.reason).toBe(
      "The Posting Date is not within your range of allowed posting dates. (Posting Date 2026-03-01, allowed ..2026-02-28.) " +
        "G/L Account 7291 does not exist. (Direct Cost Applied Account in General Posting Setup, DOMESTIC RETAIL.)"
    );
  });

  test("per Posting Group the lines are merged as the posting merges them, with the warnings of every contributor", () => {
    const D = day("2026-01-10");
    const inp = input(
      [
        ve({
          entryNo: 1,
          entryType: "Indirect Cost",
          expectedCost: true,
          costAmountActual: 100,
          postingDate: D,
        }),
        ve({ entryNo: 2, entryType: "Indirect Cost", costAmountActual: 50, postingDate: D }),
        ve({
          entryNo: 3,
          entryType: "Indirect Cost",
          costAmountActual: 20,
          postingDate: D,
          locationCode: "RED",
        }),
        ve({ entryNo: 4, entryType: "Indirect Cost", costAmountActual: 7, postingDate: D + 1 }),
        ve({ entryNo: 5, entryType: "Total", costAmountActual: 9, postingDate: D }),
      ],
      {},
      { expectedCostPostingToGL: true }
    );
    const t = testReport(inp, group("INVT-1"));
    const wrongType =
      "Expected Cost must be false, if Entry Type is not Direct Cost or Revaluation.";
    const redMissing =
      "Inventory Posting Setup is missing for Location Code RED and Invt. Posting Group Code RESALE.";
    expect(
      t.lines.map((l) => [l.valueEntryNo, l.valueEntryNos, l.glAccountNo, l.amount, l.warnings])
    ).toEqual([
      [
        5,
        [5],
        "",
        9,
        [
          "The following combination Item Ledger Entry Type = Purchase, Entry Type = Total, and Expected Cost = No is not allowed.",
        ],
      ],
      [0, [1, 2], "2130", 150, [wrongType]],
      [0, [3], "", 20, [redMissing]],
      [0, [1, 2], "7292", -150, [wrongType]],
      [0, [3], "7292", -20, []],
      [0, [4], "2130", 7, []],
      [0, [4], "7292", -7, []],
    ]);
    expect(t.lines[1].description).toBe(
      "Inventory - Overhead Applied, BLUE,RESALE,DOMESTIC,RETAIL"
    );
    expect(t.lines.every((l) => l.documentNo === "INVT-1")).toBe(true);
    expect(t.warnings).toBe(4);
    expect(t.linesWithoutWarnings).toBe(3);
  });
});

test("property: when every entry posts, the per Posting Group test report lines are the G/L entries the posting makes", () => {
  const kinds = [
    { itemLedgerEntryType: "Purchase", entryType: "Direct Cost" },
    { itemLedgerEntryType: "Purchase", entryType: "Indirect Cost" },
    { itemLedgerEntryType: "Sale", entryType: "Direct Cost" },
    { itemLedgerEntryType: "Output", entryType: "Variance", varianceType: "Capacity" },
    { itemLedgerEntryType: "", entryType: "Direct Cost", orderType: "Transfer" },
    { itemLedgerEntryType: "Positive Adjmt.", entryType: "Revaluation" },
  ] as const;
  const entry = fc.record({
    kind: fc.constantFrom(...kinds),
    day: fc.integer({ min: 0, max: 3 }),
    location: fc.constantFrom("BLUE", ""),
    bus: fc.constantFrom("DOMESTIC", ""),
    dim: fc.constantFrom([0, ""] as const, [1, "SALES"] as const),
    amount: fc.integer({ min: -5000, max: 5000 }).filter((a) => a !== 0),
  });
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (rows) => {
      const inp = input(
        rows.map((r, i) =>
          ve({
            entryNo: i + 1,
            ...r.kind,
            postingDate: day("2026-01-10") + r.day,
            locationCode: r.location,
            genBusPostingGroup: r.bus,
            dimensionSetId: r.dim[0],
            globalDimension1Code: r.dim[1],
            costAmountActual: r.amount,
          })
        )
      );
      const posted = postInventoryCostToGL(inp, group("INVT-1"));
      expect(posted.counts.posted).toBe(rows.length);
      const report = testReport(inp, group("INVT-1"));
      expect(
        report.lines.map((l) => [l.postingDate, l.glAccountNo, l.amount, l.description, l.warnings])
      ).toEqual(
        posted.glEntries.map((g) => [g.postingDate, g.glAccountNo, g.amount, g.description, []])
      );
    }),
    { numRuns: 100 }
  );
});

describe("report 1002's amounts", () => {
  test("summed per account type group as UpdateReportAmounts sums them, over posted lines only", () => {
    const inp = input(
      [
        ve({ entryNo: 1, costAmountActual: 100 }),
        ve({ entryNo: 2, itemLedgerEntryType: "Sale", costAmountActual: -80 }),
        ve({ entryNo: 3, expectedCost: true, costAmountExpected: 30 }),
        ve({
          entryNo: 4,
          itemLedgerEntryType: "Output",
          entryType: "Variance",
          varianceType: "Capacity",
          costAmountActual: 5,
        }),
        ve({
          entryNo: 5,
          itemLedgerEntryType: "Output",
          entryType: "Variance",
          varianceType: "Manufacturing Overhead",
          costAmountActual: 2,
        }),
        ve({ entryNo: 6, itemLedgerEntryType: "", orderType: "Production", costAmountActual: 40 }),
        ve({ entryNo: 7, entryType: "Variance", varianceType: "Purchase", costAmountActual: 3 }),
        ve({ entryNo: 8, entryType: "Indirect Cost", costAmountActual: 4 }),
        ve({ entryNo: 9, itemLedgerEntryType: "Positive Adjmt.", costAmountActual: 6 }),
        ve({ entryNo: 10, costAmountActual: 1000, locationCode: "RED" }),
      ],
      {},
      { expectedCostPostingToGL: true }
    );
    const expected = {
      cogs: 80,
      inventoryAdjustment: -36, // Invt. Accrual (Interim) -30 and Inventory Adjmt. -6
      directCostApplied: -140,
      overheadApplied: -4,
      purchaseVariance: -3,
      mfgDirectCostVariance: -5,
      manufacturingOvhdVariance: -2,
      wipInventory: 40,
      inventory: 70, // 100 - 80 + 30 (interim) + 5 + 2 + 3 + 4 + 6
    };
    expect(reportAmounts(postInventoryCostToGL(inp, options()))).toEqual(expected);
    expect(reportAmounts(postInventoryCostToGL(inp, group("INVT-1")))).toEqual(expected);
  });
});
