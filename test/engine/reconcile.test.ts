/**
 * Inventory - G/L Reconciliation (rules.md section 9) on hand-built ledgers: the matrix cells as BC's page 5845
 * lays them out (reconciliation-bc.md), each difference's explanation with its amount and entries (checked by
 * hand), and on generated ledgers that the explanations add up exactly to every difference.
 */
import fc from "fast-check";
import { applyUpdates, postInventoryCostToGL } from "../../src/engine/post";
import {
  cellOf,
  FIELDS,
  fieldCaption,
  reconcile,
  ReconcileOptionsError,
  type Bucket,
  type LedgerGLEntry,
  type LedgerRelation,
  type ReconcileOptions,
  type Reconciliation,
} from "../../src/engine/reconcile";
import { AT } from "../../src/engine/accountTypes";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  VARIANCE_TYPES,
  type PostingInput,
  type PostingResult,
  type ValueEntry,
} from "../../src/engine/types";
import { day, FULL_GEN, FULL_INV, genSetup, group, input, invSetup, options, ve } from "./builders";

const NO_FILTER: ReconcileOptions = { dateFilter: "", itemFilter: "", locationFilter: "" };

function ledgerOf(result: PostingResult): {
  glEntries: LedgerGLEntry[];
  relations: LedgerRelation[];
} {
  return {
    glEntries: result.glEntries.map((g) => ({
      entryNo: g.entryNo,
      postingDate: g.postingDate,
      glAccountNo: g.glAccountNo,
      amount: g.amount,
      description: g.description,
      documentNo: g.documentNo,
      inventoryAccountType: g.inventoryAccountType,
      balAccountType: g.balAccountType,
      glRegisterNo: g.glRegisterNo,
    })),
    relations: result.relations.glEntryNo.map((glEntryNo, i) => ({
      glEntryNo,
      valueEntryNo: result.relations.valueEntryNo[i],
      glRegisterNo: result.relations.glRegisterNo,
    })),
  };
}

/** Posts everything, returning the input with its posted columns set and the G/L it now holds. */
function posted(inp: PostingInput, opts = options()) {
  const result = postInventoryCostToGL(inp, opts);
  return { posting: { ...inp, valueEntries: applyUpdates(inp, result) }, ...ledgerOf(result) };
}

const amount = (r: Reconciliation, row: string, column: Parameters<typeof cellOf>[2]) =>
  cellOf(r, row, column).bucket?.amount ?? null;
const explained = (r: Reconciliation) =>
  r.explanations.map((x) => [x.fieldCaption, x.cause, x.amount, x.valueEntryNos, x.glEntryNos]);

const purchase = ve({
  entryNo: 1,
  itemLedgerEntryType: "Purchase",
  entryType: "Direct Cost",
  costAmountActual: 16500,
});

describe("the matrix (BC page 5845 layout)", () => {
  test("an unposted purchase invoice: inventory side only, every difference unposted actual cost", () => {
    const r = reconcile({ posting: input([purchase]), glEntries: [], relations: [] }, NO_FILTER);
    // Direct Cost Applied = -Actual, shown in the Inventory column (Direct Cost Applied Actual) and Total.
    expect(amount(r, "Direct Cost Applied", "Inventory")).toBe(-16500);
    expect(amount(r, "Direct Cost Applied", "Total")).toBe(-16500);
    expect(amount(r, "Direct Cost Applied", "G/L Total")).toBe(0);
    expect(amount(r, "Direct Cost Applied", "Difference")).toBe(16500);
    expect(amount(r, "Total", "Inventory")).toBe(16500);
    expect(amount(r, "G/L Total", "Inventory")).toBe(0);
    expect(amount(r, "Difference", "Inventory")).toBe(-16500);
    expect(amount(r, "Total", "Total")).toBeNull();
    expect(explained(r)).toEqual([
      ["Inventory", "NOT_POSTED_ACTUAL", -16500, [1], []],
      ["Direct Cost Applied", "NOT_POSTED_ACTUAL", 16500, [1], []],
    ]);
    expect(r.totalAbsoluteDifference).toBe(33000);
    expect(r.warnings.get("Direct Cost Applied")).toBe("Post Cost to G/L");
    expect(r.warnings.get("Difference")).toBe("Inventory: Post Cost to G/L");
  });

  test("after posting no difference, and G/L Total equals Total", () => {
    const r = reconcile(posted(input([purchase])), NO_FILTER);
    expect(r.explanations).toEqual([]);
    expect(r.totalAbsoluteDifference).toBe(0);
    expect(amount(r, "G/L Total", "Inventory")).toBe(16500);
    expect(amount(r, "Direct Cost Applied", "G/L Total")).toBe(-16500);
    expect(amount(r, "Direct Cost Applied", "Difference")).toBe(0);
  });

  test("capacity cost splits Direct Cost Applied between the Inventory and WIP columns; Inventory To WIP shows the transfer", () => {
    const entries = [
      purchase,
      ve({
        entryNo: 2,
        itemNo: "",
        itemLedgerEntryType: "",
        entryType: "Direct Cost",
        orderType: "Production",
        locationCode: "",
        inventoryPostingGroup: "",
        costAmountActual: 12000,
      }),
      ve({
        entryNo: 3,
        itemLedgerEntryType: "Consumption",
        entryType: "Direct Cost",
        orderType: "Production",
        costAmountActual: -15000,
      }),
    ];
    const r = reconcile(
      {
        posting: input(entries, { items: [{ no: "ITEM", inventoryPostingGroup: "RESALE" }] }),
        glEntries: [],
        relations: [],
      },
      NO_FILTER
    );
    expect(amount(r, "Direct Cost Applied", "Inventory")).toBe(-16500);
    expect(amount(r, "Direct Cost Applied", "WIP Inventory")).toBe(-12000);
    expect(amount(r, "Direct Cost Applied", "Total")).toBe(-28500);
    // Inventory To WIP = +Actual of consumption: WIP column +value, Inventory column -value; no G/L side.
    expect(amount(r, "Inventory To WIP", "WIP Inventory")).toBe(-15000);
    expect(amount(r, "Inventory To WIP", "Inventory")).toBe(15000);
    expect(amount(r, "Inventory To WIP", "G/L Total")).toBeNull();
    expect(amount(r, "Inventory To WIP", "Difference")).toBeNull();
    // WIP Inventory: +150 consumed + 120 capacity.
    expect(amount(r, "Total", "WIP Inventory")).toBe(27000);
    expect(amount(r, "Total", "Inventory")).toBe(1500);
  });

  test("a G/L entry made by hand on an inventory account is a direct posting with its amount", () => {
    const p = posted(input([purchase]));
    const manual: LedgerGLEntry = {
      entryNo: 100,
      postingDate: day("2026-01-15"),
      glAccountNo: "2130",
      amount: 5000,
      description: "manual",
      documentNo: "GJ-1",
      inventoryAccountType: -1,
      balAccountType: -1,
      glRegisterNo: 9,
    };
    const r = reconcile({ ...p, glEntries: [...p.glEntries, manual] }, NO_FILTER);
    expect(explained(r)).toEqual([["Inventory", "DIRECT_POSTING", 5000, [], [100]]]);
    expect(amount(r, "Difference", "Inventory")).toBe(5000);
    expect(r.warnings.get("Difference")).toBe("Inventory: Direct Posting");
  });

  test("expected cost posting off: the receipt's expected cost is explained as such", () => {
    const receipt = ve({
      entryNo: 1,
      itemLedgerEntryType: "Purchase",
      entryType: "Direct Cost",
      expectedCost: true,
      costAmountExpected: 15000,
    });
    const r = reconcile(
      {
        posting: input([receipt], {}, { expectedCostPostingToGL: false }),
        glEntries: [],
        relations: [],
      },
      NO_FILTER
    );
    expect(amount(r, "Invt. Accrual (Interim)", "Inventory (Interim)")).toBe(-15000);
    expect(explained(r)).toEqual([
      ["Inventory (Interim)", "EXPECTED_COST_POSTING_OFF", -15000, [1], []],
      ["Invt. Accrual (Interim)", "EXPECTED_COST_POSTING_OFF", 15000, [1], []],
    ]);
    expect(r.warnings.get("Invt. Accrual (Interim)")).toBe("Expected Cost Setup");
  });

  test("expected cost posting on: unposted expected cost is its own cause", () => {
    const receipt = ve({
      entryNo: 1,
      itemLedgerEntryType: "Purchase",
      entryType: "Direct Cost",
      expectedCost: true,
      costAmountExpected: 15000,
    });
    const r = reconcile(
      {
        posting: input([receipt], {}, { expectedCostPostingToGL: true }),
        glEntries: [],
        relations: [],
      },
      NO_FILTER
    );
    expect(explained(r)).toEqual([
      ["Inventory (Interim)", "NOT_POSTED_EXPECTED", -15000, [1], []],
      ["Invt. Accrual (Interim)", "NOT_POSTED_EXPECTED", 15000, [1], []],
    ]);
  });

  test("a skipped entry is explained by its reason code", () => {
    const noSetup = ve({
      entryNo: 2,
      genBusPostingGroup: "EXPORT",
      itemLedgerEntryType: "Sale",
      entryType: "Direct Cost",
      costAmountActual: -4000,
    });
    const r = reconcile({ posting: input([noSetup]), glEntries: [], relations: [] }, NO_FILTER);
    expect(explained(r)).toEqual([
      ["Inventory", "SKIPPED_GENERAL_POSTING_SETUP_MISSING", 4000, [2], []],
      ["COGS", "SKIPPED_GENERAL_POSTING_SETUP_MISSING", -4000, [2], []],
    ]);
  });

  test("a G/L entry dated outside the date filter while its value entry is inside: posting-date mismatch", () => {
    const p = posted(input([purchase]));
    // The G/L entries moved to February (as a G/L posted in another period would be).
    const moved = {
      ...p,
      glEntries: p.glEntries.map((g) => ({ ...g, postingDate: day("2026-02-03") })),
    };
    const r = reconcile(moved, { ...NO_FILTER, dateFilter: "2026-01-01..2026-01-31" });
    expect(explained(r)).toEqual([
      ["Inventory", "POSTING_DATE_MISMATCH", -16500, [1], []],
      ["Direct Cost Applied", "POSTING_DATE_MISMATCH", 16500, [1], []],
    ]);
    // Without the filter both sides hold it.
    expect(reconcile(moved, NO_FILTER).explanations).toEqual([]);
  });

  test("an account named for two account types: the other type's G/L entries are similar-account differences", () => {
    const sale = ve({
      entryNo: 3,
      itemLedgerEntryType: "Sale",
      entryType: "Direct Cost",
      costAmountActual: -4000,
    });
    const inp = input([sale], {
      generalPostingSetup: [
        genSetup("DOMESTIC", "RETAIL", { ...FULL_GEN, "Inventory Adjmt. Account": "7290" }),
      ],
    });
    const r = reconcile(posted(inp), NO_FILTER);
    // COGS 7290 reconciles; Inventory Adjmt. reads 7290 too and sees the COGS line.
    expect(r.fields.get(AT["COGS"])!.difference).toBe(0);
    const gl = posted(inp).glEntries.find((g) => g.glAccountNo === "7290")!;
    expect(explained(r)).toEqual([
      ["Inventory Adjmt.", "SIMILAR_ACCOUNTS", 4000, [], [gl.entryNo]],
    ]);
  });

  test('posted columns that no G/L entry records are "other"', () => {
    const p = posted(input([purchase]));
    const r = reconcile({ ...p, glEntries: [], relations: [] }, NO_FILTER);
    expect(explained(r)).toEqual([
      ["Inventory", "OTHER", -16500, [1], []],
      ["Direct Cost Applied", "OTHER", 16500, [1], []],
    ]);
  });

  test("an Item or Location filter leaves out the G/L side (as BC) and filters value entries", () => {
    const other = ve({ entryNo: 2, itemNo: "OTHER", locationCode: "", costAmountActual: 700 });
    const inp = input([purchase, other]);
    const byItem = reconcile(
      { posting: inp, glEntries: [], relations: [] },
      { ...NO_FILTER, itemFilter: "OTHER" }
    );
    expect(byItem.glSide).toBe(false);
    expect(amount(byItem, "Total", "Inventory")).toBe(700);
    expect(amount(byItem, "Direct Cost Applied", "G/L Total")).toBeNull();
    expect(byItem.explanations).toEqual([]);
    const byLocation = reconcile(
      { posting: inp, glEntries: [], relations: [] },
      { ...NO_FILTER, locationFilter: "BLUE" }
    );
    expect(amount(byLocation, "Total", "Inventory")).toBe(16500);
  });

  test("a filter that does not read is refused naming it", () => {
    expect(() =>
      reconcile(
        { posting: input([]), glEntries: [], relations: [] },
        { ...NO_FILTER, dateFilter: "2026-13-01" }
      )
    ).toThrow(ReconcileOptionsError);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated ledgers: the explanations add up to every difference, and every drill-down to its figure.

const D0 = day("2026-01-01");
const money = fc.oneof(fc.constant(0), fc.integer({ min: -100000, max: 100000 }));
const entryArb = (entryNo: number) =>
  fc
    .record({
      kind: fc.oneof(
        fc.constantFrom(
          ["Purchase", "Direct Cost", "", ""],
          ["Purchase", "Indirect Cost", "", ""],
          ["Sale", "Direct Cost", "", ""],
          ["Sale", "Revaluation", "", ""],
          ["Negative Adjmt.", "Direct Cost", "", ""],
          ["Consumption", "Direct Cost", "", "Production"],
          ["Output", "Direct Cost", "", "Production"],
          ["Output", "Variance", "Material", "Production"],
          ["Output", "Direct Cost - Non Inventory", "", ""],
          ["", "Direct Cost", "", "Production"],
          ["", "Indirect Cost", "", "Assembly"]
        ),
        fc.tuple(
          fc.constantFrom(...ITEM_LEDGER_ENTRY_TYPES),
          fc.constantFrom(...ENTRY_TYPES),
          fc.constantFrom(...VARIANCE_TYPES),
          fc.constantFrom(...ORDER_TYPES)
        )
      ),
      day: fc.integer({ min: 0, max: 40 }),
      bus: fc.constantFrom("DOMESTIC", "DOMESTIC", "EXPORT"),
      expectedCost: fc.boolean(),
      inventoriable: fc.oneof(fc.constant(true), fc.boolean()),
      act: money,
      exp: money,
      postedAct: fc.oneof(fc.constant(0), fc.constant(0), money),
    })
    .map((r): ValueEntry => {
      const [ile, et, vt, ot] = r.kind as [never, never, never, never];
      return ve({
        entryNo,
        postingDate: D0 + r.day,
        itemLedgerEntryType: ile,
        entryType: et,
        varianceType: vt,
        orderType: ot,
        genBusPostingGroup: r.bus,
        expectedCost: r.expectedCost,
        inventoriable: r.inventoriable,
        costAmountActual: r.act,
        costAmountExpected: r.exp,
        costPostedToGL: r.postedAct,
      });
    });

const scenarioArb = fc
  .record({
    count: fc.integer({ min: 0, max: 30 }),
    expected: fc.boolean(),
    nonInventory: fc.boolean(),
    sharedAccount: fc.boolean(),
    perEntry: fc.boolean(),
  })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      entries: fc.tuple(...Array.from({ length: s.count }, (_, i) => entryArb(i + 1))),
      postUpTo: fc.integer({ min: -1, max: 40 }),
      direct: fc.array(
        fc.record({
          account: fc.constantFrom("2130", "2131", "2140", "7290", "5510", "9999"),
          day: fc.integer({ min: 0, max: 40 }),
          amount: money,
        }),
        { maxLength: 4 }
      ),
      shiftEvery: fc.integer({ min: 0, max: 5 }),
      dropRelationEvery: fc.integer({ min: 0, max: 5 }),
      filterFrom: fc.integer({ min: 0, max: 40 }),
      filterLength: fc.integer({ min: -1, max: 40 }),
    })
  );

function checkSums(r: Reconciliation): void {
  const parts = (b: Bucket) =>
    b.valueEntryAmounts.reduce((a, x) => a + x, 0) + b.glEntryAmounts.reduce((a, x) => a + x, 0);
  let abs = 0;
  for (const f of FIELDS) {
    const d = r.fields.get(f)!.difference;
    abs += Math.abs(d);
    const sum = r.explanations.filter((x) => x.field === f).reduce((a, x) => a + x.amount, 0);
    if (sum !== d) throw new Error(`${fieldCaption(f)}: explanations ${sum} != difference ${d}`);
    expect(r.fields.get(f)!.gl - r.fields.get(f)!.inventory).toBe(d);
  }
  expect(r.totalAbsoluteDifference).toBe(abs);
  for (const x of r.explanations) expect(parts(x)).toBe(x.amount);
  for (const c of r.cells) if (c.bucket !== null) expect(parts(c.bucket)).toBe(c.bucket.amount);
}

test("on generated ledgers the explanations add up exactly to every difference, and every drill-down to its cell", () => {
  fc.assert(
    fc.property(
      scenarioArb,
      ({
        s,
        entries,
        postUpTo,
        direct,
        shiftEvery,
        dropRelationEvery,
        filterFrom,
        filterLength,
      }) => {
        const gen = s.sharedAccount
          ? { ...FULL_GEN, "Inventory Adjmt. Account": "7290" }
          : FULL_GEN;
        const inp = input(
          entries,
          {
            inventoryPostingSetup: [invSetup("BLUE", "RESALE", FULL_INV)],
            generalPostingSetup: [genSetup("DOMESTIC", "RETAIL", gen)],
          },
          {
            expectedCostPostingToGL: s.expected,
            includeNonInventoryCostInProduction: s.nonInventory,
          }
        );
        // Post part of the ledger (up to a day), then disturb the G/L: direct postings, shifted dates, lost relation rows.
        const dateFilter = postUpTo < 0 ? "" : `..${isoOf(D0 + postUpTo)}`;
        const p = posted(
          inp,
          s.perEntry ? options({ dateFilter }) : group("INV-1", { dateFilter })
        );
        const glEntries = p.glEntries.map((g, i) =>
          shiftEvery > 0 && i % (shiftEvery + 1) === 0
            ? { ...g, postingDate: g.postingDate + 20 }
            : g
        );
        direct.forEach((d, i) =>
          glEntries.push({
            entryNo: 10000 + i,
            postingDate: D0 + d.day,
            glAccountNo: d.account,
            amount: d.amount,
            description: "",
            documentNo: "GJ",
            inventoryAccountType: -1,
            balAccountType: -1,
            glRegisterNo: 99,
          })
        );
        const relations = p.relations.filter(
          (_, i) => dropRelationEvery === 0 || i % (dropRelationEvery + 2) !== 1
        );
        const filter =
          filterLength < 0
            ? ""
            : `${isoOf(D0 + filterFrom)}..${isoOf(D0 + filterFrom + filterLength)}`;
        checkSums(
          reconcile(
            { posting: p.posting, glEntries, relations },
            { ...NO_FILTER, dateFilter: filter }
          )
        );
      }
    ),
    { numRuns: 60 }
  );
});

test("on generated ledgers a complete run leaves only skipped entries and expected cost posting off to explain", () => {
  fc.assert(
    fc.property(scenarioArb, ({ s, entries }) => {
      const fresh = entries.map((e) => ({ ...e, costPostedToGL: 0 }));
      const inp = input(
        fresh,
        {
          inventoryPostingSetup: [invSetup("BLUE", "RESALE", FULL_INV)],
          generalPostingSetup: [genSetup("DOMESTIC", "RETAIL", FULL_GEN)],
        },
        { expectedCostPostingToGL: s.expected, includeNonInventoryCostInProduction: s.nonInventory }
      );
      const r = reconcile(posted(inp, s.perEntry ? options() : group("INV-1")), NO_FILTER);
      checkSums(r);
      expect(
        r.explanations
          .filter((x) => !x.cause.startsWith("SKIPPED_") && x.cause !== "EXPECTED_COST_POSTING_OFF")
          .map((x) => [x.fieldCaption, x.cause, x.amount])
      ).toEqual([]);
    }),
    { numRuns: 60 }
  );
});

function isoOf(d: number): string {
  return new Date(d * 86400000).toISOString().slice(0, 10);
}
