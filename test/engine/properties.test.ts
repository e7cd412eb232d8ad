/**
 * The invariants of rules.md sections 3-6 on generated ledgers (fast-check):
 * balance to exactly 0 (LCY, ACY, per posting date), idempotent re-runs, per Entry = per Posting Group per
 * (G/L account, posting date), date-split runs = one run, and every entry has exactly one outcome.
 */
import fc from "fast-check";
import { applyUpdates, postInventoryCostToGL } from "../../src/engine/post";
import { dayToIso } from "../../src/engine/dates";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  VARIANCE_TYPES,
  type GLEntry,
  type PostingInput,
  type ValueEntry,
} from "../../src/engine/types";
import { day, FULL_GEN, FULL_INV, genSetup, group, input, invSetup, options, ve } from "./builders";

const D0 = day("2026-01-01");
const amount = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -100000, max: 100000 }),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
);

const entryArb = (entryNo: number) =>
  fc
    .record({
      // Mostly valid combinations, sometimes anything.
      kind: fc.oneof(
        fc.constantFrom(
          ["Purchase", "Direct Cost", "", ""],
          ["Purchase", "Indirect Cost", "", ""],
          ["Purchase", "Variance", "Purchase", ""],
          ["Sale", "Direct Cost", "", ""],
          ["Positive Adjmt.", "Direct Cost", "", ""],
          ["Transfer", "Revaluation", "", ""],
          ["Consumption", "Direct Cost", "", "Production"],
          ["Output", "Direct Cost", "", "Production"],
          ["Output", "Variance", "Capacity", "Production"],
          ["Output", "Revaluation", "", ""],
          ["Output", "Direct Cost - Non Inventory", "", ""],
          ["Assembly Output", "Indirect Cost", "", "Assembly"],
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
      location: fc.constantFrom("BLUE", "BLUE", "", "RED"),
      ipg: fc.constantFrom("RESALE", "RESALE", "RAW"),
      bus: fc.constantFrom("DOMESTIC", "DOMESTIC", "", "EXPORT"),
      expectedCost: fc.boolean(),
      inventoriable: fc.oneof(fc.constant(true), fc.constant(true), fc.boolean()),
      act: amount,
      exp: amount,
      postedAct: fc.oneof(fc.constant(null), amount),
      postedExp: fc.oneof(fc.constant(null), amount),
      actAcy: amount,
      expAcy: amount,
      dims: fc.constantFrom([0, ""], [1, "SALES"], [2, "ADM"]),
      sourceItem: fc.boolean(),
    })
    .map((r): ValueEntry => {
      const [ile, et, vt, ot] = r.kind as [never, never, never, never];
      return ve({
        entryNo,
        itemNo: r.sourceItem ? "LINK" : "CHAIN",
        sourceType: "Item",
        sourceNo: "CHAIN",
        postingDate: D0 + r.day,
        itemLedgerEntryType: ile,
        entryType: et,
        varianceType: vt,
        orderType: ot,
        locationCode: r.location,
        inventoryPostingGroup: r.ipg,
        genBusPostingGroup: r.bus,
        expectedCost: r.expectedCost,
        inventoriable: r.inventoriable,
        costAmountActual: r.act,
        costAmountExpected: r.exp,
        costPostedToGL: r.postedAct === null ? 0 : r.postedAct,
        expectedCostPostedToGL: r.postedExp === null ? 0 : r.postedExp,
        costAmountActualACY: r.actAcy,
        costAmountExpectedACY: r.expAcy,
        dimensionSetId: r.dims[0] as number,
        globalDimension1Code: r.dims[1] as string,
      });
    });

const ledgerArb = fc
  .record({
    count: fc.integer({ min: 0, max: 60 }),
    expected: fc.boolean(),
    acy: fc.boolean(),
    nonInventory: fc.boolean(),
    closed: fc.boolean(),
    seed: fc.integer(),
  })
  .chain((s) =>
    fc.tuple(
      fc.constant(s),
      fc.tuple(...Array.from({ length: s.count }, (_, i) => entryArb(i + 1))),
      fc.shuffledSubarray([0, 1, 2, 3], { minLength: 0, maxLength: 4 })
    )
  )
  .map(([s, entries, order]): PostingInput =>
    input(
      // Unsorted input: the run takes entries in Entry No. order whatever the row order.
      order.length % 2 === 0 ? entries : [...entries].reverse(),
      {
        inventoryPostingSetup: [
          invSetup("BLUE", "RESALE", FULL_INV),
          invSetup("", "RESALE", FULL_INV),
          invSetup("BLUE", "RAW", FULL_INV),
          invSetup("BLUE", "FINISHED", FULL_INV),
        ],
        generalPostingSetup: [
          genSetup("DOMESTIC", "RETAIL", FULL_GEN),
          genSetup("", "RETAIL", FULL_GEN),
        ],
        items: [{ no: "CHAIN", inventoryPostingGroup: "FINISHED" }],
      },
      {
        expectedCostPostingToGL: s.expected,
        additionalReportingCurrency: s.acy ? "EUR" : "",
        includeNonInventoryCostInProduction: s.nonInventory,
        allowPostingTo: s.closed ? D0 + 30 : null,
      }
    )
  );

function totalsBy(entries: GLEntry[], key: (g: GLEntry) => string): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const g of entries) {
    const k = key(g);
    const t = m.get(k) ?? [0, 0];
    t[0] += g.amount;
    t[1] += g.additionalCurrencyAmount;
    m.set(k, t);
  }
  for (const [k, t] of m) if (t[0] === 0 && t[1] === 0) m.delete(k);
  return m;
}

const byAccountDate = (g: GLEntry) => `${g.glAccountNo}@${dayToIso(g.postingDate)}`;
const RUNS = { numRuns: 150 };

describe("posting invariants", () => {
  test("every run sums to exactly 0 in LCY and ACY, and per posting date", () => {
    fc.assert(
      fc.property(ledgerArb, fc.boolean(), (inp, perGroup) => {
        const r = postInventoryCostToGL(inp, perGroup ? group() : options());
        let lcy = 0;
        let acy = 0;
        for (const g of r.glEntries) {
          lcy += g.amount;
          acy += g.additionalCurrencyAmount;
          expect(Number.isSafeInteger(g.amount)).toBe(true);
        }
        expect(lcy).toBe(0);
        expect(acy).toBe(0);
        for (const [, t] of totalsBy(r.glEntries, (g) => String(g.postingDate)))
          expect(t).toEqual([0, 0]);
        expect(r.totals.debit).toBe(r.totals.credit);
      }),
      RUNS
    );
  });

  test("a second run posts nothing", () => {
    fc.assert(
      fc.property(ledgerArb, fc.boolean(), (inp, perGroup) => {
        const opts = perGroup ? group() : options();
        const first = postInventoryCostToGL(inp, opts);
        const second = postInventoryCostToGL(
          { ...inp, valueEntries: applyUpdates(inp, first) },
          opts
        );
        expect(second.glEntries).toEqual([]);
        expect(second.register).toBeNull();
        expect(second.counts.posted).toBe(0);
        // A posted entry is already posted now (or ignored, when posting brought all four amounts to 0).
        expect(second.counts.alreadyPosted + second.counts.ignored).toBe(
          first.counts.alreadyPosted + first.counts.posted + first.counts.ignored
        );
        expect(second.skipped.map((s) => s.valueEntryNo)).toEqual(
          first.skipped.map((s) => s.valueEntryNo)
        );
      }),
      RUNS
    );
  });

  test("per Posting Group and per Entry give the same total per (G/L account, posting date)", () => {
    fc.assert(
      fc.property(ledgerArb, (inp) => {
        const a = postInventoryCostToGL(inp, options());
        const b = postInventoryCostToGL(inp, group());
        expect(totalsBy(b.glEntries, byAccountDate)).toEqual(totalsBy(a.glEntries, byAccountDate));
        expect(b.postedParts).toEqual(a.postedParts);
        expect(b.glEntries.length).toBeLessThanOrEqual(a.glEntries.length);
        // Relations name every posted value entry, in both methods.
        expect(new Set(b.relations.valueEntryNo)).toEqual(new Set(a.relations.valueEntryNo));
      }),
      RUNS
    );
  });

  test("two runs split by date equal one run", () => {
    fc.assert(
      fc.property(
        ledgerArb,
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (inp, split, perGroup) => {
          const opts = perGroup ? group() : options();
          const cut = dayToIso(D0 + split);
          const next = dayToIso(D0 + split + 1);
          const one = postInventoryCostToGL(inp, opts);
          const a = postInventoryCostToGL(inp, { ...opts, dateFilter: `..${cut}` });
          const after = {
            ...inp,
            valueEntries: applyUpdates(inp, a),
            existing: {
              lastGLEntryNo: a.glEntries.length,
              lastTransactionNo: 99,
              lastRegisterNo: a.register ? 1 : 0,
            },
          };
          const b = postInventoryCostToGL(after, { ...opts, dateFilter: `${next}..` });
          expect(totalsBy([...a.glEntries, ...b.glEntries], byAccountDate)).toEqual(
            totalsBy(one.glEntries, byAccountDate)
          );
          expect(applyUpdates(after, b)).toEqual(applyUpdates(inp, one));
          // Entry numbers continue without gaps across the two runs.
          expect([...a.glEntries, ...b.glEntries].map((g) => g.entryNo)).toEqual(
            Array.from({ length: a.glEntries.length + b.glEntries.length }, (_, i) => i + 1)
          );
        }
      ),
      RUNS
    );
  });

  test("posted + already posted + ignored + skipped + filtered out = the number of value entries", () => {
    fc.assert(
      fc.property(
        ledgerArb,
        fc.constantFrom("", "LINK", "CHAIN|X", "A..D"),
        fc.constantFrom("", "2026-01-05..2026-01-20", "..2026-01-03"),
        (inp, itemFilter, dateFilter) => {
          const r = postInventoryCostToGL(inp, options({ itemFilter, dateFilter }));
          const c = r.counts;
          expect(c.posted + c.alreadyPosted + c.ignored + c.skipped + c.filteredOut).toBe(
            inp.valueEntries.length
          );
          expect(r.outcomes.filter((o) => o === "skipped").length).toBe(r.skipped.length);
          expect(r.postedParts.filter((p) => p !== 0).length).toBe(c.posted);
          expect(r.outcomes.every((o) => o !== undefined)).toBe(true);
        }
      ),
      RUNS
    );
  });
});
