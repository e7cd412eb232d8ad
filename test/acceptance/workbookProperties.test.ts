/**
 * The invariants on generated *workbooks* (fast-check), through the whole run: cells as a user types them
 * (amounts as numbers or text, dates as Excel serials or ISO text, blank rows), read, posted, written back into
 * an in-memory workbook. Every run's G/L entries sum to exactly 0 overall and per posting date, a second run
 * on the written workbook posts nothing, and the outcome counts add up to the value entries.
 */
import fc from "fast-check";
import { postWorkbook, type RunSummary } from "../../src/app/run";
import { MemoryWorkbook } from "../workbook/memory";
import type { CellValue } from "../../src/workbook/port";
import { cents } from "./formats";

const HEADER = [
  "Entry No.",
  "Posting Date",
  "Item No.",
  "Item Ledger Entry Type",
  "Entry Type",
  "Expected Cost",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Document No.",
  "Cost Amount (Actual)",
  "Cost Amount (Expected)",
  "Cost Posted to G/L",
  "Expected Cost Posted to G/L",
];

const KINDS = [
  ["Purchase", "Direct Cost"],
  ["Purchase", "Indirect Cost"],
  ["Sale", "Direct Cost"],
  ["Positive Adjmt.", "Direct Cost"],
  ["Negative Adjmt.", "Revaluation"],
  ["Consumption", "Direct Cost"],
  ["Sale", "Indirect Cost"], // no row in the account matrix: skipped
] as const;

const centsArb = fc.integer({ min: -5_000_000, max: 5_000_000 });
/** An amount cell as a user might have it: a number, text with thousands separators, or blank for 0. */
const amountCell = (c: number): fc.Arbitrary<CellValue> =>
  fc.constantFrom<CellValue>(
    c / 100,
    (c / 100).toFixed(2),
    c < 0
      ? `(${(-c / 100).toLocaleString("en", { minimumFractionDigits: 2 })})`
      : (c / 100).toLocaleString("en", { minimumFractionDigits: 2 }),
    c === 0 ? null : c / 100
  );

const rowArb = (entryNo: number) =>
  fc
    .record({
      kind: fc.constantFrom(...KINDS),
      day: fc.integer({ min: 1, max: 20 }),
      serial: fc.boolean(),
      loc: fc.constantFrom("BLUE", "RED"),
      expected: fc.boolean(),
      act: centsArb,
      exp: centsArb,
      posted: fc.oneof(fc.constant(0), centsArb),
    })
    .chain((r) =>
      fc
        .tuple(amountCell(r.act), amountCell(r.expected ? r.exp : 0), amountCell(r.posted))
        .map(([act, exp, posted]): CellValue[] => [
          entryNo,
          r.serial ? 46022 + r.day : `2026-01-${String(r.day).padStart(2, "0")}`,
          "ITEM",
          r.kind[0],
          r.kind[1],
          r.expected ? "Yes" : "No",
          r.loc,
          "RESALE",
          "DOMESTIC",
          "RETAIL",
          `DOC-${entryNo}`,
          r.expected ? 0 : act,
          exp,
          posted,
          0,
        ])
    );

const workbookArb = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(i + 1))),
      fc.boolean(),
      fc.array(fc.nat(n), { maxLength: 3 })
    )
  )
  .map(([rows, expectedOn, blanks]) => {
    const withBlanks: CellValue[][] = [...rows];
    for (const b of blanks)
      withBlanks.splice(
        b,
        0,
        HEADER.map(() => null)
      ); // blank rows anywhere
    return {
      entries: rows.length,
      book: () =>
        new MemoryWorkbook({
          "Value Entries": { header: HEADER, rows: withBlanks.map((r) => [...r]) },
          "Inventory Posting Setup": {
            header: [
              "Location Code",
              "Invt. Posting Group Code",
              "Inventory Account",
              "Inventory Account (Interim)",
              "WIP Account",
            ],
            rows: [["BLUE", "RESALE", "2130", "2131", "2140"]],
          },
          "General Posting Setup": {
            header: [
              "Gen. Bus. Posting Group",
              "Gen. Prod. Posting Group",
              "COGS Account",
              "COGS Account (Interim)",
              "Inventory Adjmt. Account",
              "Invt. Accrual Acc. (Interim)",
              "Direct Cost Applied Account",
              "Overhead Applied Account",
            ],
            rows: [["DOMESTIC", "RETAIL", "7290", "7281", "7270", "5510", "7291", "7292"]],
          },
          Settings: {
            header: ["Setting", "Value"],
            rows: [["Expected Cost Posting to G/L", expectedOn ? "Yes" : "No"]],
          },
        }),
    };
  });

function glAmounts(book: MemoryWorkbook): { date: CellValue; amount: number }[] {
  const t = [...book.tables.entries()].find(
    ([name]) => name.replace(/[^a-z]/gi, "").toLowerCase() === "glentries"
  )?.[1];
  if (!t) return [];
  const a = t.header.indexOf("Amount");
  const d = t.header.indexOf("Posting Date");
  return t.rows.map((r) => ({ date: r[d], amount: cents(String(r[a])) }));
}

describe("posting invariants on generated workbooks", () => {
  test("balanced, idempotent, and every value entry accounted for", async () => {
    let runsThatPosted = 0;
    let runsWithSkips = 0;
    await fc.assert(
      fc.asyncProperty(workbookArb, fc.boolean(), async ({ entries, book }, perGroup) => {
        const wb = book();
        const request = {
          postingMethod: perGroup ? ("per Posting Group" as const) : ("per Entry" as const),
          documentNo: perGroup ? "INVT-1" : "",
          post: true,
          now: new Date(2026, 1, 1),
        };
        const first = await postWorkbook(wb, request);
        expect(first.kind).toBe("done");
        const s = (first as { summary: RunSummary }).summary;
        expect(
          s.entries.posted + s.entries.alreadyPosted + s.entries.ignored + s.entries.skipped
        ).toBe(entries);
        const gl = glAmounts(wb);
        expect(gl).toHaveLength(s.glEntries);
        expect(gl.reduce((x, g) => x + g.amount, 0)).toBe(0);
        for (const date of new Set(gl.map((g) => g.date)))
          expect(gl.filter((g) => g.date === date).reduce((x, g) => x + g.amount, 0)).toBe(0);
        expect(cents(s.totals.debit)).toBe(cents(s.totals.credit));
        if (s.glEntries > 0) runsThatPosted++;
        if (s.entries.skipped > 0) runsWithSkips++;

        const second = await postWorkbook(wb, { ...request, documentNo: perGroup ? "INVT-2" : "" });
        expect(second.kind).toBe("done");
        const s2 = (second as { summary: RunSummary }).summary;
        expect(s2.glEntries).toBe(0);
        expect(s2.entries.posted).toBe(0);
        expect(glAmounts(wb)).toHaveLength(s.glEntries);
      }),
      { numRuns: 60 }
    );
    // The generator is not degenerate: most workbooks post something, many skip something (RED has no setup).
    expect(runsThatPosted).toBeGreaterThan(30);
    expect(runsWithSkips).toBeGreaterThan(10);
  });
});
