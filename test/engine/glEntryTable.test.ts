/**
 * The run's G/L entries as columns (issue 13): what the writers and checks read (the table) and the objects a
 * caller may ask for (glEntries) are the same G/L entries. The values themselves are checked by hand in
 * post.test.ts and the examples; here: positions, numbering, the per-entry sources and the two readers of the
 * table (its columns, its objects).
 */
import { GLEntryTable } from "../../src/engine/glEntryTable";
import { postInventoryCostToGL } from "../../src/engine/post";
import { trialBalance } from "../../src/engine/trialBalance";
import { day, group, input, options, ve } from "./builders";

const entries = () => [
  // Purchase, Direct Cost 70.00 on the 10th (2 lines).
  ve({ entryNo: 1, costAmountActual: 7000, jobNo: "J1", jobTaskNo: "T1", reasonCode: "R1" }),
  // A production output on the 11th, Order Type Production (2 lines).
  ve({
    entryNo: 2,
    postingDate: day("2026-01-11"),
    itemLedgerEntryType: "Output",
    costAmountActual: 3000,
    orderType: "Production",
    orderNo: "PO-7",
    documentNo: "DOC2",
  }),
];
const existing = { lastGLEntryNo: 100, lastTransactionNo: 40, lastRegisterNo: 6 };

test("per Entry: rows by position as Array.prototype.at, numbered on from the ledger, sources copied", () => {
  const r = postInventoryCostToGL(input(entries(), { existing }), options());
  const t = r.glEntryTable!;
  expect(t).toBeInstanceOf(GLEntryTable);
  expect(t.length).toBe(4);
  expect(r.glEntries).toEqual(t.toArray());
  expect(t.at(-1)).toEqual(t.at(3));
  expect(t.at(4)).toBeUndefined();
  expect(t.at(-5)).toBeUndefined();
  expect(r.glEntries.map((g) => g.entryNo)).toEqual([101, 102, 103, 104]);
  // A new transaction per value entry here (its date and document change), continuing the ledger's.
  expect(r.glEntries.map((g) => g.transactionNo)).toEqual([41, 41, 42, 42]);
  expect(r.glEntries.map((g) => g.glRegisterNo)).toEqual([7, 7, 7, 7]);
  const [a, , c] = r.glEntries;
  expect([a.jobNo, a.jobTaskNo, a.reasonCode, a.prodOrderNo]).toEqual(["J1", "T1", "R1", ""]);
  expect([c.documentNo, c.prodOrderNo, c.jobNo]).toEqual(["DOC2", "PO-7", ""]);
  expect(c.description).toBe("Direct Cost on 2026-01-11");
  expect(r.relations.glEntryNo).toEqual([101, 102, 103, 104]);
  expect(r.relations.valueEntryNo).toEqual([1, 1, 2, 2]);
});

test("per Posting Group: the run's Document No., blank per-entry fields, one row per group", () => {
  const r = postInventoryCostToGL(input(entries(), { existing }), group("INVT-9"));
  const t = r.glEntryTable!;
  expect(t.length).toBe(r.glEntries.length);
  expect(r.glEntries).toEqual(t.toArray());
  for (const g of r.glEntries) {
    expect(g.documentNo).toBe("INVT-9");
    expect([g.externalDocumentNo, g.jobNo, g.jobTaskNo, g.reasonCode, g.prodOrderNo]).toEqual([
      "",
      "",
      "",
      "",
      "",
    ]);
  }
  expect(r.glEntries[0].entryNo).toBe(101);
});

test("range(): the rows of a part of the table, with their own entry numbers", () => {
  const t = postInventoryCostToGL(input(entries()), options()).glEntryTable!;
  const part = t.range(1, 3);
  expect(part.length).toBe(2);
  expect(part.toArray()).toEqual(t.toArray().slice(1, 3));
  expect(part.at(0)!.entryNo).toBe(2);
});

test("a run that posts nothing has an empty table", () => {
  const r = postInventoryCostToGL(input([ve({ entryNo: 1 })]), options());
  expect(r.glEntryTable!.length).toBe(0);
  expect(r.glEntryTable!.at(-1)).toBeUndefined();
  expect(r.glEntries).toEqual([]);
});

test("the trial balance from the table's columns is the one from its objects", () => {
  const r = postInventoryCostToGL(
    input([
      ...entries(),
      ve({
        entryNo: 3,
        itemLedgerEntryType: "Sale",
        entryType: "Direct Cost",
        costAmountActual: -2500,
      }),
    ]),
    options()
  );
  const fromColumns = trialBalance(r.glEntryTable!);
  const fromObjects = trialBalance(r.glEntries.map((g) => ({ ...g })));
  expect(fromColumns).toEqual(fromObjects);
  expect(fromColumns.balanced).toBe(true);
  expect(fromColumns.totals.debit).toBe(7000 + 3000 + 2500);
});
