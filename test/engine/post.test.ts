import { AT } from "../../src/engine/accountTypes";
import {
  applyUpdates,
  postInventoryCostToGL,
  relationRows,
  valueEntryUpdates,
} from "../../src/engine/post";
import { checkRunOptions, RunOptionsError } from "../../src/engine/evaluate";
import { testReport } from "../../src/engine/testReport";
import type { GLEntry, PostingInput } from "../../src/engine/types";
import { day, FULL_GEN, FULL_INV, genSetup, group, input, invSetup, options, ve } from "./builders";

/** The fifo-purchase-sale example of rules/examples, typed by hand. Amounts in cents. */
function fifo(): PostingInput {
  const base = {
    itemNo: "1000",
    locationCode: "BLUE",
    inventoryPostingGroup: "RESALE",
    genBusPostingGroup: "DOMESTIC",
    genProdPostingGroup: "RETAIL",
  };
  return input(
    [
      ve({
        ...base,
        entryNo: 1,
        postingDate: day("2020-01-01"),
        itemLedgerEntryType: "Purchase",
        entryType: "Direct Cost",
        sourceNo: "10000",
        documentNo: "107001",
        costAmountActual: 7000,
      }),
      ve({
        ...base,
        entryNo: 2,
        postingDate: day("2020-01-01"),
        itemLedgerEntryType: "Purchase",
        entryType: "Indirect Cost",
        sourceNo: "10000",
        documentNo: "107001",
        costAmountActual: 1000,
      }),
      ve({
        ...base,
        entryNo: 3,
        postingDate: day("2020-01-15"),
        itemLedgerEntryType: "Sale",
        entryType: "Direct Cost",
        sourceNo: "20000",
        documentNo: "103001",
        costAmountActual: -8000,
      }),
    ],
    {
      inventoryPostingSetup: [
        invSetup("BLUE", "RESALE", {
          "Inventory Account": "2130",
          "Inventory Account (Interim)": "2131",
        }),
      ],
      generalPostingSetup: [
        genSetup("DOMESTIC", "RETAIL", {
          "COGS Account": "7290",
          "COGS Account (Interim)": "7281",
          "Inventory Adjmt. Account": "7270",
          "Invt. Accrual Acc. (Interim)": "5510",
          "Direct Cost Applied Account": "7291",
          "Overhead Applied Account": "7292",
          "Purchase Variance Account": "7293",
        }),
      ],
    }
  );
}

const brief = (g: GLEntry) => [g.entryNo, g.documentNo, g.glAccountNo, g.amount];
const sum = (xs: GLEntry[]) => xs.reduce((s, g) => s + g.amount, 0);

describe("fifo-purchase-sale example", () => {
  test("per Entry gives the documented G/L entries and posted columns", () => {
    const r = postInventoryCostToGL(fifo(), options());
    expect(r.glEntries.map(brief)).toEqual([
      [1, "107001", "2130", 7000],
      [2, "107001", "7291", -7000],
      [3, "107001", "2130", 1000],
      [4, "107001", "7292", -1000],
      [5, "103001", "2130", -8000],
      [6, "103001", "7290", 8000],
    ]);
    expect(r.glEntries[0].description).toBe("Direct Cost 10000 on 2020-01-01");
    expect(valueEntryUpdates(fifo(), r).map((u) => u.costPostedToGL)).toEqual([7000, 1000, -8000]);
    expect(r.counts).toEqual({
      posted: 3,
      alreadyPosted: 0,
      ignored: 0,
      skipped: 0,
      filteredOut: 0,
    });
    // One transaction per (posting date, document no.).
    expect(r.glEntries.map((g) => g.transactionNo)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(relationRows(r.relations).map((x) => [x.glEntryNo, x.valueEntryNo])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 3],
      [6, 3],
    ]);
    expect(r.register).toMatchObject({
      no: 1,
      fromEntryNo: 1,
      toEntryNo: 6,
      entriesPosted: 3,
      entriesSkipped: 0,
      amountPosted: 16000,
      sourceCode: "INVTPCOST",
      documentNo: "",
    });
  });

  test("per Posting Group merges by the grouping key and orders by it", () => {
    const r = postInventoryCostToGL(fifo(), group("INVT-1"));
    expect(
      r.glEntries.map((g) => [
        g.entryNo,
        g.documentNo,
        g.glAccountNo,
        AT_CAPTION[g.inventoryAccountType],
        AT_CAPTION[g.balAccountType],
        g.amount,
      ])
    ).toEqual([
      [1, "INVT-1", "2130", "Inventory", "Direct Cost Applied", 7000],
      [2, "INVT-1", "2130", "Inventory", "Overhead Applied", 1000],
      [3, "INVT-1", "7291", "Direct Cost Applied", "Inventory", -7000],
      [4, "INVT-1", "7292", "Overhead Applied", "Inventory", -1000],
      [5, "INVT-1", "2130", "Inventory", "COGS", -8000],
      [6, "INVT-1", "7290", "COGS", "Inventory", 8000],
    ]);
    expect(r.glEntries[0].description).toBe(
      "Inventory - Direct Cost Applied, BLUE,RESALE,DOMESTIC,RETAIL"
    );
    expect(r.glEntries[0].externalDocumentNo).toBe("");
    expect(r.register!.documentNo).toBe("INVT-1");
    expect(r.glEntries.map((g) => g.transactionNo)).toEqual([1, 1, 1, 1, 2, 2]);
  });

  test("numbering continues after the existing G/L", () => {
    const inp = {
      ...fifo(),
      existing: { lastGLEntryNo: 100, lastTransactionNo: 40, lastRegisterNo: 7 },
    };
    const r = postInventoryCostToGL(inp, group("INVT-1"));
    expect(r.glEntries[0].entryNo).toBe(101);
    expect(r.glEntries[0].transactionNo).toBe(41);
    expect(r.register!.no).toBe(8);
    expect(r.relations.glRegisterNo).toBe(8);
    expect(relationRows(r.relations).every((x) => x.glRegisterNo === 8)).toBe(true);
  });

  test("a second run posts nothing; a changed amount posts only the difference", () => {
    const inp = fifo();
    const first = postInventoryCostToGL(inp, options());
    const after = applyUpdates(inp, first);
    const second = postInventoryCostToGL({ ...inp, valueEntries: after }, options());
    expect(second.glEntries).toHaveLength(0);
    expect(second.register).toBeNull();
    expect(second.counts.alreadyPosted).toBe(3);
    after[0] = { ...after[0], costAmountActual: 7250 };
    const third = postInventoryCostToGL({ ...inp, valueEntries: after }, options());
    expect(third.glEntries.map((g) => [g.glAccountNo, g.amount])).toEqual([
      ["2130", 250],
      ["7291", -250],
    ]);
  });
});

const AT_CAPTION = Object.fromEntries(Object.entries(AT).map(([k, v]) => [v, k]));

describe("outcomes and skip reasons (rules.md section 4)", () => {
  test("ignored: not inventoriable, all amounts 0, non-inventory cost while setting 8 is off", () => {
    const r = postInventoryCostToGL(
      input([
        ve({ entryNo: 1, inventoriable: false, costAmountActual: 500 }),
        ve({ entryNo: 2 }),
        ve({
          entryNo: 3,
          itemLedgerEntryType: "Output",
          entryType: "Direct Cost - Non Inventory",
          costAmountActual: 500,
        }),
        ve({
          entryNo: 4,
          itemLedgerEntryType: "Output",
          entryType: "Variance",
          varianceType: "Material - Non Inventory",
          costAmountActual: 500,
        }),
      ]),
      options()
    );
    expect(r.outcomes).toEqual(["ignored", "ignored", "ignored", "ignored"]);
    expect(r.glEntries).toHaveLength(0);
  });

  test("non-inventory cost posts with setting 8", () => {
    const r = postInventoryCostToGL(
      input(
        [
          ve({
            entryNo: 3,
            itemLedgerEntryType: "Output",
            entryType: "Direct Cost - Non Inventory",
            costAmountActual: 500,
          }),
        ],
        {},
        { includeNonInventoryCostInProduction: true }
      ),
      options()
    );
    expect(r.glEntries.map((g) => [g.glAccountNo, g.amount])).toEqual([
      ["2130", 500],
      ["7296", -500],
    ]);
  });

  test("each reason code, in precedence order", () => {
    const inp = input(
      [
        ve({
          entryNo: 1,
          itemLedgerEntryType: "Sale",
          entryType: "Indirect Cost",
          costAmountActual: 100,
        }),
        ve({ entryNo: 2, entryType: "Indirect Cost", expectedCost: true, costAmountActual: 100 }),
        ve({ entryNo: 3, expectedCost: true, costAmountExpected: 100 }),
        ve({ entryNo: 4, costAmountActual: 100, postingDate: day("2025-12-31") }),
        ve({ entryNo: 5, costAmountActual: 100, locationCode: "RED" }),
        ve({ entryNo: 6, costAmountActual: 100, genBusPostingGroup: "EXPORT" }),
        ve({ entryNo: 7, costAmountActual: 100, genBusPostingGroup: "BLOCKED" }),
        ve({ entryNo: 8, costAmountActual: 100, genBusPostingGroup: "NOACC" }),
        ve({ entryNo: 9, costAmountActual: 100, genBusPostingGroup: "GONE" }),
        ve({ entryNo: 10, costAmountActual: 100, genBusPostingGroup: "BLK" }),
        ve({ entryNo: 11, costAmountActual: 100, genBusPostingGroup: "HEAD" }),
        ve({ entryNo: 12, costAmountActual: 100 }),
      ],
      {
        generalPostingSetup: [
          genSetup("DOMESTIC", "RETAIL", FULL_GEN),
          genSetup("BLOCKED", "RETAIL", FULL_GEN, true),
          genSetup("NOACC", "RETAIL", { ...FULL_GEN, "Direct Cost Applied Account": "" }),
          genSetup("GONE", "RETAIL", { ...FULL_GEN, "Direct Cost Applied Account": "9999" }),
          genSetup("BLK", "RETAIL", { ...FULL_GEN, "Direct Cost Applied Account": "9001" }),
          genSetup("HEAD", "RETAIL", { ...FULL_GEN, "Direct Cost Applied Account": "9002" }),
        ],
        glAccounts: [
          ...["2130", "2131", "7291"].map((no) => ({
            no,
            name: `Account ${no}`,
            accountType: "Posting" as const,
            blocked: false,
          })),
          { no: "9001", name: "Blocked", accountType: "Posting", blocked: true },
          { no: "9002", name: "Heading", accountType: "Heading", blocked: false },
        ],
      },
      { allowPostingFrom: day("2026-01-01"), allowPostingTo: day("2026-01-31") }
    );
    const r = postInventoryCostToGL(inp, options());
    expect(r.skipped.map((s) => [s.valueEntryNo, s.reasonCode])).toEqual([
      [1, "INVALID_COMBINATION"],
      [2, "EXPECTED_ON_WRONG_TYPE"],
      [3, "EXPECTED_COST_POSTING_OFF"],
      [4, "POSTING_DATE_NOT_ALLOWED"],
      [5, "INVENTORY_POSTING_SETUP_MISSING"],
      [6, "GENERAL_POSTING_SETUP_MISSING"],
      [7, "GENERAL_POSTING_SETUP_BLOCKED"],
      [8, "ACCOUNT_MISSING"],
      [9, "GL_ACCOUNT_NOT_FOUND"],
      [10, "GL_ACCOUNT_BLOCKED"],
      [11, "GL_ACCOUNT_NOT_POSTING"],
    ]);
    expect(r.outcomes[11]).toBe("posted");
    expect(r.glEntries.map((g) => g.glAccountName)).toEqual(["Account 2130", "Account 7291"]);
    // A skipped entry's posted columns do not change.
    expect(valueEntryUpdates(inp, r).map((u) => u.index)).toEqual([11]);
    const s8 = r.skipped[7];
    expect(s8.reason).toBe(
      "Direct Cost Applied Account is missing in General Posting Setup, NOACC RETAIL."
    );
    expect(s8.howToFix).toBe(
      "Fill in Direct Cost Applied Account on the General Posting Setup row NOACC RETAIL."
    );
  });

  test("the first failure gives the code; the text lists every failure", () => {
    const r = postInventoryCostToGL(
      input(
        [
          ve({
            entryNo: 1,
            costAmountActual: 100,
            locationCode: "RED",
            genBusPostingGroup: "EXPORT",
            postingDate: day("2027-01-01"),
          }),
        ],
        {},
        { allowPostingTo: day("2026-12-31") }
      ),
      options()
    );
    const s = r.skipped[0];
    expect(s.reasonCode).toBe("POSTING_DATE_NOT_ALLOWED");
    expect(s.problems.map((p) => p.code)).toEqual([
      "POSTING_DATE_NOT_ALLOWED",
      "INVENTORY_POSTING_SETUP_MISSING",
      "GENERAL_POSTING_SETUP_MISSING",
    ]);
    expect(s.reason).toContain("Location Code RED");
    expect(s.reason).toContain("Gen. Bus. Posting Group EXPORT");
    expect(s.costAmount).toBe(100);
  });

  test("an entry is skipped as a whole: no line of it posts", () => {
    // Expected cost posts fine (interim accounts exist), the actual part lacks Direct Cost Applied.
    const r = postInventoryCostToGL(
      input(
        [ve({ entryNo: 1, costAmountActual: 100, costAmountExpected: -100 })],
        {
          generalPostingSetup: [
            genSetup("DOMESTIC", "RETAIL", { ...FULL_GEN, "Direct Cost Applied Account": "" }),
          ],
        },
        { expectedCostPostingToGL: true }
      ),
      options()
    );
    expect(r.glEntries).toHaveLength(0);
    expect(r.skipped[0].reasonCode).toBe("ACCOUNT_MISSING");
    expect([...r.postedParts]).toEqual([0]);
  });

  test("already posted; and a difference no pair can post is nothing to post", () => {
    const r = postInventoryCostToGL(
      input(
        [
          ve({ entryNo: 1, costAmountActual: 100, costPostedToGL: 100 }),
          ve({
            entryNo: 2,
            itemLedgerEntryType: "Consumption",
            costAmountExpected: 100,
            costAmountActual: 0,
          }),
        ],
        {},
        { expectedCostPostingToGL: true }
      ),
      options()
    );
    expect(r.outcomes).toEqual(["alreadyPosted", "alreadyPosted"]);
  });

  test("filtered out entries are not counted anywhere else", () => {
    const r = postInventoryCostToGL(
      input([
        ve({ entryNo: 1, itemNo: "A", costAmountActual: 100 }),
        ve({ entryNo: 2, itemNo: "B", costAmountActual: 100 }),
        ve({ entryNo: 3, itemNo: "C", costAmountActual: 100, postingDate: day("2026-02-01") }),
      ]),
      options({ itemFilter: "a|c", dateFilter: "..2026-01-31" })
    );
    expect(r.outcomes).toEqual(["posted", "filteredOut", "filteredOut"]);
    expect(r.counts.filteredOut).toBe(2);
  });
});

describe("expected cost (rules.md section 3)", () => {
  const receipt = () => ve({ entryNo: 1, expectedCost: true, costAmountExpected: 15000 });
  const invoice = () => ve({ entryNo: 2, costAmountActual: 16500, costAmountExpected: -15000 });
  test("with setting 1 on, expected and actual post, and the posted columns record both", () => {
    const inp = input([receipt(), invoice()], {}, { expectedCostPostingToGL: true });
    const r = postInventoryCostToGL(inp, options());
    expect(r.glEntries.map((g) => [g.entryNo, g.glAccountNo, g.amount])).toEqual([
      [1, "2131", 15000],
      [2, "5510", -15000],
      // account type order: Inventory (Interim) 0, Invt. Accrual (Interim) 1, Inventory 2, Direct Cost Applied 5
      [3, "2131", -15000],
      [4, "5510", 15000],
      [5, "2130", 16500],
      [6, "7291", -16500],
    ]);
    // Entry 1 posted its expected part only, entry 2 both (bits: 1 actual, 2 expected).
    expect([...r.postedParts]).toEqual([2, 3]);
    expect(
      valueEntryUpdates(inp, r).map((u) => [u.costPostedToGL, u.expectedCostPostedToGL])
    ).toEqual([
      [0, 15000],
      [16500, -15000],
    ]);
  });
  test("with setting 1 off, the receipt is skipped and the invoice posts only its actual part", () => {
    const inp = input([receipt(), invoice()]);
    const r = postInventoryCostToGL(inp, options());
    expect(r.skipped.map((s) => s.reasonCode)).toEqual(["EXPECTED_COST_POSTING_OFF"]);
    expect(r.glEntries.map((g) => [g.glAccountNo, g.amount])).toEqual([
      ["2130", 16500],
      ["7291", -16500],
    ]);
    expect(valueEntryUpdates(inp, r)).toEqual([
      expect.objectContaining({ index: 1, costPostedToGL: 16500, expectedCostPostedToGL: 0 }),
    ]);
  });
  test("expected cost already posted while the setting was on stays; the entry is not skipped", () => {
    const r = postInventoryCostToGL(
      input([
        ve({
          entryNo: 1,
          expectedCost: true,
          costAmountExpected: 15000,
          expectedCostPostedToGL: 15000,
        }),
      ]),
      options()
    );
    expect(r.outcomes).toEqual(["alreadyPosted"]);
  });
});

describe("ACY (setting 7)", () => {
  test("ACY columns are ignored without an Additional Reporting Currency", () => {
    const r = postInventoryCostToGL(
      input([ve({ entryNo: 1, costAmountActual: 100, costAmountActualACY: 90 })]),
      options()
    );
    expect(r.glEntries.map((g) => g.additionalCurrencyAmount)).toEqual([0, 0]);
  });
  test("with a currency, ACY posts beside LCY; an ACY-only difference still posts", () => {
    const inp = input(
      [
        ve({ entryNo: 1, costAmountActual: 100, costAmountActualACY: 90 }),
        ve({
          entryNo: 2,
          costAmountActual: 100,
          costPostedToGL: 100,
          costAmountActualACY: 91,
          costPostedToGLACY: 90,
        }),
      ],
      {},
      { additionalReportingCurrency: "EUR" }
    );
    const r = postInventoryCostToGL(inp, options());
    expect(r.glEntries.map((g) => [g.amount, g.additionalCurrencyAmount])).toEqual([
      [100, 90],
      [-100, -90],
      [0, 1],
      [0, -1],
    ]);
    expect(valueEntryUpdates(inp, r).map((u) => [u.costPostedToGL, u.costPostedToGLACY])).toEqual([
      [100, 90],
      [100, 91],
    ]);
    expect(r.totals).toEqual({ debit: 100, credit: 100, debitACY: 91, creditACY: 91 });
  });
  test("per Posting Group: a line is negative when LCY or ACY is below 0", () => {
    const inp = input(
      [
        ve({ entryNo: 1, costAmountActual: 100, costAmountActualACY: 90 }),
        ve({ entryNo: 2, costAmountActual: 100, costAmountActualACY: -5 }),
      ],
      {},
      { additionalReportingCurrency: "EUR" }
    );
    const r = postInventoryCostToGL(inp, group());
    // Inventory: entry 1 (not negative), entry 2 (negative via ACY) stay apart; then the balancing lines.
    expect(r.glEntries.map((g) => [g.glAccountNo, g.amount, g.additionalCurrencyAmount])).toEqual([
      ["2130", 100, 90],
      ["2130", 100, -5],
      ["7291", -200, -85],
    ]);
  });
});

describe("WIP rule (rules.md section 1)", () => {
  const inp = (items: PostingInput["items"]) =>
    input(
      [
        ve({
          entryNo: 1,
          itemNo: "LINK",
          itemLedgerEntryType: "Consumption",
          sourceType: "Item",
          sourceNo: "CHAIN",
          inventoryPostingGroup: "RAW",
          costAmountActual: -100,
        }),
      ],
      {
        inventoryPostingSetup: [
          invSetup("BLUE", "RAW", { "Inventory Account": "2130", "WIP Account": "2140" }),
          invSetup("BLUE", "FINISHED", { "Inventory Account": "2120", "WIP Account": "2145" }),
        ],
        items,
      }
    );
  test("the WIP line uses the produced item's group", () => {
    const r = postInventoryCostToGL(
      inp([{ no: "CHAIN", inventoryPostingGroup: "FINISHED" }]),
      options()
    );
    expect(r.glEntries.map((g) => [g.glAccountNo, g.inventoryPostingGroup, g.amount])).toEqual([
      ["2130", "RAW", -100],
      ["2145", "FINISHED", 100],
    ]);
  });
  test("without the produced item in Items, the entry's own group", () => {
    const r = postInventoryCostToGL(inp([]), options());
    expect(r.glEntries.map((g) => g.glAccountNo)).toEqual(["2130", "2140"]);
  });
});

describe("run options (rules.md section 5)", () => {
  test("document no. rules in BC wording", () => {
    expect(
      checkRunOptions({
        postingMethod: "per Posting Group",
        documentNo: "",
        itemFilter: "",
        dateFilter: "",
      })
    ).toBe("Please enter a Document No. when posting per Posting Group.");
    expect(
      checkRunOptions({
        postingMethod: "per Entry",
        documentNo: "X",
        itemFilter: "",
        dateFilter: "",
      })
    ).toBe("Do not enter a Document No. when posting per Entry.");
    expect(() => postInventoryCostToGL(fifo(), options({ documentNo: "X" }))).toThrow(
      RunOptionsError
    );
  });
  test("a bad filter is refused", () => {
    expect(
      checkRunOptions({
        postingMethod: "per Entry",
        documentNo: "",
        itemFilter: "",
        dateFilter: "2026-13-01..",
      })
    ).toMatch(/not a valid date/);
  });
});

describe("dimensions", () => {
  const inp = () =>
    input(
      [ve({ entryNo: 1, costAmountActual: 100, dimensionSetId: 5, globalDimension1Code: "SALES" })],
      {
        defaultDimensions: [
          {
            no: "2130",
            dimensionCode: "AREA",
            dimensionValueCode: "",
            valuePosting: "Code Mandatory",
          },
          {
            no: "2130",
            dimensionCode: "DEPARTMENT",
            dimensionValueCode: "ADM",
            valuePosting: "Same Code",
          },
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
  test("posting overrides dimension rules and counts them; the test report warns about each", () => {
    const r = postInventoryCostToGL(inp(), options());
    expect(r.glEntries).toHaveLength(2);
    // AREA is not a global dimension and the entry has a dimension set: it cannot be judged.
    expect(r.overriddenDimensionErrors).toBe(2);
    const t = testReport(inp(), options());
    expect(t.lines.map((l) => l.warnings.length)).toEqual([1, 1]);
    expect(t.lines[0].warnings[0]).toContain(
      "Select Dimension Value Code ADM for the Dimension Code DEPARTMENT"
    );
  });
});

describe("test report (rules.md section 7)", () => {
  test("lists every line with every warning and never changes anything", () => {
    const inp = input(
      [
        ve({ entryNo: 1, costAmountActual: 100 }),
        ve({
          entryNo: 2,
          costAmountActual: 100,
          locationCode: "RED",
          postingDate: day("2027-01-01"),
        }),
        ve({
          entryNo: 3,
          itemLedgerEntryType: "Sale",
          entryType: "Indirect Cost",
          costAmountActual: 5,
        }),
      ],
      {
        inventoryPostingSetup: [
          invSetup("BLUE", "RESALE", { ...FULL_INV, "Inventory Account": "" }),
        ],
      },
      { allowPostingTo: day("2026-12-31") }
    );
    const t = testReport(inp, options());
    expect(
      t.lines.map((l) => [l.valueEntryNo, l.glAccountNo, l.amount, l.warnings.length])
    ).toEqual([
      [1, "", 100, 1],
      [1, "7291", -100, 0],
      [2, "", 100, 2],
      [2, "7291", -100, 1],
      [3, "", 5, 1],
    ]);
    expect(t.lines[0].warnings[0]).toBe(
      "Inventory Account is missing in Inventory Posting Setup, BLUE RESALE."
    );
    expect(t.warnings).toBe(5);
    const only = testReport(inp, options(), true);
    expect(only.lines.map((l) => l.valueEntryNo)).toEqual([1, 2, 2, 3]);
    expect(inp.valueEntries[0].costPostedToGL).toBe(0);
  });
});

test("every run balances to zero per posting date", () => {
  const r = postInventoryCostToGL(fifo(), group("X"));
  expect(sum(r.glEntries)).toBe(0);
  for (const d of new Set(r.glEntries.map((g) => g.postingDate)))
    expect(sum(r.glEntries.filter((g) => g.postingDate === d))).toBe(0);
});

describe("automatic cost posting options (rules.md section 8)", () => {
  test("entryNos: only those entries take part; dimension rules enforced make a problem, not an override", () => {
    const inp = input(
      [ve({ entryNo: 1, costAmountActual: 100 }), ve({ entryNo: 2, costAmountActual: 200 })],
      {
        defaultDimensions: [
          {
            no: "7291",
            dimensionCode: "DEPARTMENT",
            dimensionValueCode: "",
            valuePosting: "Code Mandatory",
          },
        ],
      }
    );
    const batch = postInventoryCostToGL(inp, options());
    expect(batch.overriddenDimensionErrors).toBe(2);
    expect(batch.counts.posted).toBe(2);
    const auto = postInventoryCostToGL(
      inp,
      options({ entryNos: new Set([2]), dimensionRules: "enforce" })
    );
    expect(auto.outcomes).toEqual(["filteredOut", "skipped"]);
    expect(auto.skipped[0].reasonCode).toBe("DIMENSION_RULE");
    expect(auto.skipped[0].reason).toContain("DEPARTMENT");
    expect(auto.glEntries).toHaveLength(0);
  });
});

describe("per Posting Group grouping key and order (rules.md section 6)", () => {
  test("merges only lines with the whole key equal; orders by the key; never nets debits and credits", () => {
    const d = day("2026-01-10");
    const inp = input(
      [
        ve({
          entryNo: 1,
          postingDate: d,
          costAmountActual: 100,
          dimensionSetId: 10,
          globalDimension1Code: "SALES",
        }),
        ve({
          entryNo: 2,
          postingDate: d,
          costAmountActual: 200,
          dimensionSetId: 2,
          globalDimension1Code: "ADM",
        }),
        ve({
          entryNo: 3,
          postingDate: d,
          costAmountActual: 300,
          dimensionSetId: 10,
          globalDimension1Code: "SALES",
        }),
        ve({
          entryNo: 4,
          postingDate: d,
          costAmountActual: -50,
          dimensionSetId: 10,
          globalDimension1Code: "SALES",
        }),
        ve({ entryNo: 5, postingDate: d, costAmountActual: 7, locationCode: "" }),
        ve({ entryNo: 6, postingDate: day("2026-01-09"), costAmountActual: 1 }),
      ],
      {}
    );
    const r = postInventoryCostToGL(inp, group("G"));
    // By hand: date 01-09 first; then Inventory (2) lines: location '' < 'BLUE'; within BLUE, Dimension Set ID
    // 0 < 2 < 10 (as numbers), and for set 10 the positive line before the negative one; then the balancing
    // Direct Cost Applied (5) lines in the same order with the signs flipped.
    expect(
      r.glEntries.map((g) => [
        g.postingDate === d ? 10 : 9,
        g.glAccountNo,
        g.locationCode,
        g.dimensionSetId,
        g.amount,
      ])
    ).toEqual([
      [9, "2130", "BLUE", 0, 1],
      [9, "7291", "BLUE", 0, -1],
      [10, "2130", "", 0, 7],
      [10, "2130", "BLUE", 2, 200],
      [10, "2130", "BLUE", 10, 400],
      [10, "2130", "BLUE", 10, -50],
      [10, "7291", "", 0, -7],
      [10, "7291", "BLUE", 2, -200],
      [10, "7291", "BLUE", 10, 50],
      [10, "7291", "BLUE", 10, -400],
    ]);
    expect(
      relationRows(r.relations)
        .filter((x) => x.glEntryNo === 5)
        .map((x) => x.valueEntryNo)
    ).toEqual([1, 3]);
    expect(r.glEntries[4].globalDimension1Code).toBe("SALES");
    // One transaction per posting date (the document no. is the run's).
    expect(r.glEntries.map((g) => g.transactionNo)).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
  });
});
