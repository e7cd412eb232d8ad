import * as ExcelJS from "exceljs";
import { XlsxBook } from "../../../src/files/xlsx";
import type { TableRef } from "../../../src/workbook/port";
import { assertWellFormed, loadExcel } from "./helpers";

const ROWS = 20_000;

async function bigSheet(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Value Entries");
  ws.addRow([
    "Entry No.",
    "Item No.",
    "Posting Date",
    "Cost Amount (Actual)",
    "Cost Posted to G/L",
    "Description",
  ]);
  for (let i = 1; i <= ROWS; i++) {
    ws.addRow([
      i,
      `ITEM-${i % 97}`,
      new Date(Date.UTC(2026, 0, 1 + (i % 28))),
      (i * 7) / 100,
      0,
      i % 1000 === 0 ? null : `entry ${i} <&>`,
    ]);
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

test("a 20,000-row sheet reads correctly and every row can be updated", async () => {
  const bytes = await bigSheet();
  const book = XlsxBook.fromBytes(bytes);
  const ref: TableRef = { name: "Value Entries", kind: "sheet" };

  const t = await book.readTable(ref);
  expect(t.rows.length).toBe(ROWS);
  expect(t.rowNumbers[ROWS - 1]).toBe(ROWS + 1);
  for (let i = 1; i <= ROWS; i += 997) {
    expect(t.rows[i - 1]).toEqual([
      i,
      `ITEM-${i % 97}`,
      25569 + Date.UTC(2026, 0, 1 + (i % 28)) / 86400000,
      (i * 7) / 100,
      0,
      i % 1000 === 0 ? null : `entry ${i} <&>`,
    ]);
  }
  expect(t.rows[999][5]).toBeNull();

  const out = book.toBytes([
    {
      kind: "update",
      table: t.ref,
      columns: [{ name: "Cost Posted to G/L", format: "money" }],
      updates: t.rows.map((r, i) => ({
        row: i,
        values: [(((r[0] as number) * 7) / 100).toFixed(2)],
      })),
    },
  ]);
  assertWellFormed(out);
  const again = await XlsxBook.fromBytes(out).readTable(ref);
  expect(again.rows.map((r) => r[4])).toEqual(t.rows.map((r) => r[3]));
  expect(again.rows.map((r) => r[5])).toEqual(t.rows.map((r) => r[5]));

  const wb = await loadExcel(out);
  const ws = wb.getWorksheet("Value Entries")!;
  expect(ws.rowCount).toBe(ROWS + 1);
  expect(ws.getCell(`E${ROWS + 1}`).value).toBe((ROWS * 7) / 100);
  // Speed is measured by npm run bench, not asserted here.
});
