import { XlsxBook } from "../../../src/files/xlsx";
import type { CellValue, ColumnSpec, ReplaceWrite } from "../../../src/workbook/port";
import { SKIPPED_NAMES } from "./fixtures";
import { assertWellFormed, excelBytes, loadExcel, partText } from "./helpers";

const COLUMNS: ColumnSpec[] = [
  { name: "Value Entry No.", format: "integer" },
  { name: "Cost Amount", format: "money" },
  { name: "Reason", format: "text" },
];

function replace(rows: CellValue[][], existing = true): ReplaceWrite {
  return {
    kind: "replace",
    names: SKIPPED_NAMES,
    existing: existing ? { name: "SkippedEntries", kind: "table" } : undefined,
    columns: COLUMNS,
    rows,
  };
}

/** Skipped Entries with 3 rows, an extra user column, a note beside the table and a styled amount column. */
async function skippedBook(totals = false): Promise<Uint8Array> {
  return excelBytes((wb) => {
    const ws = wb.addWorksheet("Skipped Entries");
    ws.addTable({
      name: "SkippedEntries",
      ref: "A1",
      totalsRow: totals,
      columns: [
        { name: "Value Entry No.", totalsRowLabel: "Count" },
        { name: "Cost Amount", totalsRowFunction: "sum" },
        { name: "Reason" },
        { name: "Checked By" },
      ],
      rows: [
        [1, 10, "a", "me"],
        [2, 20, "b", "me"],
        [3, 30, "c", "you"],
      ],
    });
    for (let r = 2; r <= 4; r++) ws.getCell(`B${r}`).numFmt = "0.00";
    ws.getCell("F3").value = "note beside";
  });
}

type TableModel = { table: { tableRef: string } };
const refOf = async (bytes: Uint8Array) =>
  (
    (await loadExcel(bytes))
      .getWorksheet("Skipped Entries")!
      .getTable("SkippedEntries") as unknown as TableModel
  ).table.tableRef;

describe("replace", () => {
  test("shrinking: fewer rows, the ref shrinks, rows no longer covered are cleared (cells beside stay)", async () => {
    const out = XlsxBook.fromBytes(await skippedBook()).toBytes([
      replace([[9, "1.50", "only one"]]),
    ]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "SkippedEntries", kind: "table" });
    expect(re.header).toEqual(["Value Entry No.", "Cost Amount", "Reason", "Checked By"]);
    expect(re.rows).toEqual([[9, 1.5, "only one", null]]);
    expect(await refOf(out)).toBe("A1:D2");
    const wb = await loadExcel(out);
    const ws = wb.getWorksheet("Skipped Entries")!;
    expect(ws.getCell("A3").value).toBeNull();
    expect(ws.getCell("D4").value).toBeNull();
    expect(ws.getCell("F3").value).toBe("note beside");
    // The column keeps its formatting (style of the first old data row).
    expect(ws.getCell("B2").numFmt).toBe("0.00");
    expect(partText(out, "xl/tables/table1.xml")).toMatch(/<autoFilter ref="A1:D2"/);
  });

  test("growing: more rows, the ref grows, styles follow the column", async () => {
    const rows: CellValue[][] = [];
    for (let i = 1; i <= 6; i++) rows.push([i, `${i}.25`, `reason ${i}`]);
    const out = XlsxBook.fromBytes(await skippedBook()).toBytes([replace(rows)]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "SkippedEntries", kind: "table" });
    expect(re.rows).toEqual(rows.map((r, i) => [i + 1, i + 1.25, r[2], null]));
    expect(await refOf(out)).toBe("A1:D7");
    const ws = (await loadExcel(out)).getWorksheet("Skipped Entries")!;
    expect(ws.getCell("B7").numFmt).toBe("0.00");
    expect(ws.getCell("F3").value).toBe("note beside");
  });

  test("zero rows leave one empty data row", async () => {
    const out = XlsxBook.fromBytes(await skippedBook()).toBytes([replace([])]);
    assertWellFormed(out);
    expect(await refOf(out)).toBe("A1:D2");
    const re = await XlsxBook.fromBytes(out).readTable({ name: "SkippedEntries", kind: "table" });
    expect(re.rows).toEqual([[null, null, null, null]]);
  });

  test("a totals row follows the data up and down", async () => {
    const book = XlsxBook.fromBytes(await skippedBook(true));
    const shrunk = book.toBytes([replace([[1, "1.00", "x"]])]);
    assertWellFormed(shrunk);
    expect(await refOf(shrunk)).toBe("A1:D3");
    let ws = (await loadExcel(shrunk)).getWorksheet("Skipped Entries")!;
    expect(ws.getCell("A3").value).toBe("Count");
    expect(ws.getCell("A5").value).toBeNull();
    expect(
      (await XlsxBook.fromBytes(shrunk).readTable({ name: "SkippedEntries", kind: "table" })).rows
    ).toEqual([[1, 1, "x", null]]);

    const grown = book.toBytes([
      replace([
        [1, "1.00", "x"],
        [2, "2.00", "y"],
        [3, "3.00", "z"],
        [4, "4.00", "w"],
      ]),
    ]);
    expect(await refOf(grown)).toBe("A1:D6");
    ws = (await loadExcel(grown)).getWorksheet("Skipped Entries")!;
    expect(ws.getCell("A6").value).toBe("Count");
    expect(ws.getCell("A5").value).toBe(4);
  });

  test("a missing table is created; replacing it again works on the created table", async () => {
    const bytes = await excelBytes((wb) => {
      wb.addWorksheet("Data").getCell("A1").value = "x";
    });
    const first = XlsxBook.fromBytes(bytes).toBytes([
      replace(
        [
          [1, "1.00", "a"],
          [2, "2.00", "b"],
        ],
        false
      ),
    ]);
    assertWellFormed(first);
    expect(await refOf(first)).toBe("A1:C3");
    const book = XlsxBook.fromBytes(first);
    const [found] = (await book.listTables()).filter((t) => t.kind === "table");
    expect(found).toEqual({ name: "SkippedEntries", kind: "table", sheet: "Skipped Entries" });
    const second = book.toBytes([{ ...replace([[3, "3.00", "c"]]), existing: found }]);
    expect(await refOf(second)).toBe("A1:C2");
    expect((await XlsxBook.fromBytes(second).readTable(found)).rows).toEqual([[3, 3, "c"]]);
  });

  test("a plain sheet: rows below the header are replaced", async () => {
    const bytes = await excelBytes((wb) => {
      const ws = wb.addWorksheet("Skipped Entries");
      ws.addRow(["Value Entry No.", "Cost Amount", "Reason"]);
      ws.addRow([1, 1, "a"]);
      ws.addRow([2, 2, "b"]);
      ws.addRow([3, 3, "c"]);
    });
    const out = XlsxBook.fromBytes(bytes).toBytes([replace([[7, "7.00", "g"]], false)]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "Skipped Entries", kind: "sheet" });
    expect(re.rows).toEqual([[7, 7, "g"]]);
    expect(re.rowNumbers).toEqual([2]);
  });
});
