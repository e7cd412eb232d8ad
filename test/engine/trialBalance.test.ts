/**
 * The trial balance of a run (issue 12): per G/L account and per posting date, "balanced" checked on the entries.
 */
import fc from "fast-check";
import { postInventoryCostToGL } from "../../src/engine/post";
import { trialBalance } from "../../src/engine/trialBalance";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  type GLEntry,
  type PostingInput,
} from "../../src/engine/types";
import { day, FULL_GEN, FULL_INV, genSetup, group, input, invSetup, options, ve } from "./builders";

const D0 = day("2026-01-01");

test("hand-made run: sums per account and per date, debit and credit as G/L Entries show them", () => {
  // Purchase 70.00 + overhead 10.00 on Jan 5, sale 80.00 on Jan 6 (fifo-purchase-sale, per Entry).
  const inp = input([
    ve({
      entryNo: 1,
      postingDate: day("2026-01-05"),
      itemLedgerEntryType: "Purchase",
      entryType: "Direct Cost",
      locationCode: "BLUE",
      inventoryPostingGroup: "RESALE",
      genBusPostingGroup: "DOMESTIC",
      costAmountActual: 7000,
    }),
    ve({
      entryNo: 2,
      postingDate: day("2026-01-05"),
      itemLedgerEntryType: "Purchase",
      entryType: "Indirect Cost",
      locationCode: "BLUE",
      inventoryPostingGroup: "RESALE",
      genBusPostingGroup: "DOMESTIC",
      costAmountActual: 1000,
    }),
    ve({
      entryNo: 3,
      postingDate: day("2026-01-06"),
      itemLedgerEntryType: "Sale",
      entryType: "Direct Cost",
      locationCode: "BLUE",
      inventoryPostingGroup: "RESALE",
      genBusPostingGroup: "DOMESTIC",
      costAmountActual: -8000,
    }),
  ]);
  const r = postInventoryCostToGL(inp, options());
  const tb = trialBalance(r.glEntries);
  // Inventory (FULL_INV's Inventory Account) gets +70 +10 -80; Direct Cost Applied -70, Overhead Applied -10, COGS +80.
  const inv = FULL_INV["Inventory Account"];
  expect(tb.accounts.map((a) => [a.no, a.debit, a.credit, a.net])).toEqual(
    [
      [inv, 8000, 8000, 0],
      ["7290", 8000, 0, 8000],
      ["7291", 0, 7000, -7000],
      ["7292", 0, 1000, -1000],
    ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1))
  );
  expect(tb.byDate).toEqual([
    { date: day("2026-01-05"), debit: 8000, credit: 8000, net: 0 },
    { date: day("2026-01-06"), debit: 8000, credit: 8000, net: 0 },
  ]);
  expect(tb.totals).toEqual({ debit: 16000, credit: 16000, net: 0 });
  expect(tb.balanced).toBe(true);
});

test("an unbalanced set of entries is reported as not balanced (checked, not assumed)", () => {
  const g = (postingDate: number, glAccountNo: string, amount: number) =>
    ({
      postingDate,
      glAccountNo,
      glAccountName: "",
      amount,
      additionalCurrencyAmount: 0,
    }) as GLEntry;
  // Totals balance, but each date does not: not balanced.
  const tb = trialBalance([g(D0, "1", 100), g(D0 + 1, "2", -100)]);
  expect(tb.totals).toEqual({ debit: 100, credit: 100, net: 0 });
  expect(tb.balanced).toBe(false);
  expect(tb.problem).toContain("sum to 100");
  expect(trialBalance([g(D0, "1", 100)]).balanced).toBe(false);
  expect(trialBalance([]).balanced).toBe(true);
});

const entry = (entryNo: number) =>
  fc
    .record({
      ile: fc.constantFrom(...ITEM_LEDGER_ENTRY_TYPES),
      et: fc.constantFrom(...ENTRY_TYPES),
      day: fc.integer({ min: 0, max: 10 }),
      location: fc.constantFrom("BLUE", ""),
      expectedCost: fc.boolean(),
      act: fc.integer({ min: -1e7, max: 1e7 }),
      exp: fc.integer({ min: -1e7, max: 1e7 }),
    })
    .map((r) =>
      ve({
        entryNo,
        postingDate: D0 + r.day,
        itemLedgerEntryType: r.ile,
        entryType: r.et,
        locationCode: r.location,
        inventoryPostingGroup: "RESALE",
        genBusPostingGroup: "DOMESTIC",
        expectedCost: r.expectedCost,
        costAmountActual: r.act,
        costAmountExpected: r.exp,
      })
    );

const ledger = fc
  .integer({ min: 0, max: 30 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entry(i + 1))))
  .map((entries): PostingInput =>
    input(
      entries,
      {
        inventoryPostingSetup: [
          invSetup("BLUE", "RESALE", FULL_INV),
          invSetup("", "RESALE", FULL_INV),
        ],
        generalPostingSetup: [genSetup("DOMESTIC", "RETAIL", FULL_GEN)],
      },
      { expectedCostPostingToGL: true }
    )
  );

test("property: per-account and per-date totals equal the sums of the G/L entries, and every run is balanced", () => {
  fc.assert(
    fc.property(ledger, fc.boolean(), (inp, perGroup) => {
      const r = postInventoryCostToGL(inp, perGroup ? group() : options());
      const tb = trialBalance(r.glEntries);
      for (const a of tb.accounts) {
        const mine = r.glEntries.filter((g) => g.glAccountNo === a.no);
        expect(a.net).toBe(mine.reduce((s, g) => s + g.amount, 0));
        expect(a.debit).toBe(mine.reduce((s, g) => s + Math.max(g.amount, 0), 0));
        expect(a.credit).toBe(mine.reduce((s, g) => s - Math.min(g.amount, 0), 0));
      }
      expect(new Set(tb.accounts.map((a) => a.no))).toEqual(
        new Set(r.glEntries.map((g) => g.glAccountNo))
      );
      for (const d of tb.byDate) expect(d.net).toBe(0);
      expect(tb.totals.debit).toBe(r.totals.debit);
      expect(tb.totals.credit).toBe(r.totals.credit);
      expect(tb.balanced).toBe(true);
    }),
    { numRuns: 100 }
  );
});
