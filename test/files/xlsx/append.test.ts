import { XlsxBook, XlsxWriteError } from "../../../src/files/xlsx";
import type { AppendWrite, CellValue } from "../../../src/workbook/port";
import { GL_COLUMNS, GL_NAMES, postingWorkbook } from "./fixtures";
import {
  MAIN_NS,
  REL_NS,
  assertWellFormed,
  excelBytes,
  loadExcel,
  minimalPackage,
  partText,
  sharedStringItems,
  unzip,
} from "./helpers";

/** Creation Time "10:15:00" as Excel's time value, a fraction of a day: (10 h 15 min) / 24 h. */
const TEN_FIFTEEN = (10 * 3600 + 15 * 60) / 86400;

type TableModel = {
  table: {
    tableRef: string;
    name: string;
    columns: { name: string }[];
    headerRow: boolean;
    style: { theme: string };
  };
};

function tableOf(
  wb: Awaited<ReturnType<typeof loadExcel>>,
  sheet: string,
  name: string
): TableModel["table"] {
  return (wb.getWorksheet(sheet)!.getTable(name) as unknown as TableModel).table;
}

const rows: CellValue[][] = [
  [3, "2026-01-31", "5410", "165.00", true, "10:15:00"],
  [4, "2026-01-31", "2130", "-165.00", false, "10:15:00"],
];

function append(existing: boolean, r = rows): AppendWrite {
  return {
    kind: "append",
    names: GL_NAMES,
    existing: existing ? { name: "GLEntries", kind: "table", sheet: "G-L Entries" } : undefined,
    columns: GL_COLUMNS,
    rows: r,
  };
}

describe("append to an existing table", () => {
  test("rows go after the last row; ref, autoFilter and dimension grow; styles are copied from the last row", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const out = book.toBytes([append(true)]);
    assertWellFormed(out);

    const re = await XlsxBook.fromBytes(out).readTable({ name: "GLEntries", kind: "table" });
    // Creation Time was missing: added as the last column. User Column is kept (empty in new rows).
    expect(re.header).toEqual([
      "Entry No.",
      "Posting Date",
      "G/L Account No.",
      "Amount",
      "System-Created Entry",
      "User Column",
      "Creation Time",
    ]);
    expect(re.rowNumbers).toEqual([2, 3, 4, 5]);
    expect(re.rows.slice(2)).toEqual([
      [3, 46053, "5410", 165, "Yes", null, TEN_FIFTEEN],
      [4, 46053, "2130", -165, "No", null, TEN_FIFTEEN],
    ]);
    expect(re.rows[0][5]).toBe("extra");

    const wb = await loadExcel(out);
    const t = tableOf(wb, "G-L Entries", "GLEntries");
    expect(t.tableRef).toBe("A1:G5");
    const ws = wb.getWorksheet("G-L Entries")!;
    expect(ws.getCell("B4").numFmt).toBe("yyyy-mm-dd");
    expect(ws.getCell("D5").numFmt).toBe("#,##0.00;[Red]-#,##0.00");
    expect(ws.getCell("D5").value).toBe(-165);
    expect(ws.getCell("H1").value).toBe("Beside the table");
    const sheetXml = partText(out, "xl/worksheets/sheet2.xml");
    expect(sheetXml).toMatch(/<dimension ref="A1:H5"\/>/);
    expect(partText(out, "xl/tables/table2.xml")).toMatch(/<autoFilter ref="A1:G5"/);
  });

  test("a totals row moves down below the new rows", async () => {
    const bytes = await excelBytes((wb) => {
      const ws = wb.addWorksheet("G-L Entries");
      ws.addTable({
        name: "GLEntries",
        ref: "A1",
        totalsRow: true,
        columns: [
          { name: "Entry No.", totalsRowLabel: "Total" },
          { name: "Amount", totalsRowFunction: "sum" },
        ],
        rows: [[1, 10]],
      });
    });
    const out = XlsxBook.fromBytes(bytes).toBytes([
      {
        kind: "append",
        names: GL_NAMES,
        existing: { name: "GLEntries", kind: "table" },
        columns: [
          { name: "Entry No.", format: "integer" },
          { name: "Amount", format: "money" },
        ],
        rows: [
          [2, "5.00"],
          [3, "1.25"],
        ],
      },
    ]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "GLEntries", kind: "table" });
    expect(re.rows).toEqual([
      [1, 10],
      [2, 5],
      [3, 1.25],
    ]);
    const wb = await loadExcel(out);
    expect(tableOf(wb, "G-L Entries", "GLEntries").tableRef).toBe("A1:B5");
    const ws = wb.getWorksheet("G-L Entries")!;
    expect(ws.getCell("A5").value).toBe("Total");
    expect((ws.getCell("B5").value as { formula: string }).formula).toMatch(/SUBTOTAL\(109/);
    expect(partText(out, "xl/tables/table1.xml")).toMatch(/<autoFilter ref="A1:B4"/);
  });

  test("a table cannot grow over cells below it", async () => {
    const bytes = await postingWorkbook();
    const withBlock = await excelBytes(async (wb) => {
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      wb.getWorksheet("G-L Entries")!.getCell("C5").value = "in the way";
    });
    const book = XlsxBook.fromBytes(withBlock);
    expect(() => book.toBytes([append(true)])).toThrow(XlsxWriteError);
    expect(() => book.toBytes([append(true)])).toThrow(/C5/);
  });

  test("zero rows change nothing", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const out = book.toBytes([{ ...append(true, []), columns: GL_COLUMNS.slice(0, 4) }]);
    expect(out).toBe(bytes);
  });
});

describe("append to a sheet", () => {
  test("a plain sheet of that name: rows go below its last non-empty row, columns mapped by loose name", async () => {
    const bytes = await excelBytes((wb) => {
      const ws = wb.addWorksheet("G-L Entries");
      ws.getCell("B2").value = "entry_no";
      ws.getCell("C2").value = "AMOUNT";
      ws.getCell("B3").value = 1;
      ws.getCell("C3").value = 2.5;
      ws.getCell("C3").numFmt = "0.000";
      ws.getCell("B5").value = 2;
    });
    const out = XlsxBook.fromBytes(bytes).toBytes([
      {
        kind: "append",
        names: GL_NAMES,
        columns: [
          { name: "Entry No.", format: "integer" },
          { name: "Amount", format: "money" },
        ],
        rows: [[3, "7.10"]],
      },
    ]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "G-L Entries", kind: "sheet" });
    expect(re.header).toEqual(["entry_no", "AMOUNT"]);
    expect(re.rows).toEqual([
      [1, 2.5],
      [null, null],
      [2, null],
      [3, 7.1],
    ]);
    expect(re.rowNumbers).toEqual([3, 4, 5, 6]);
    // No cell in the last row's Amount column, so the money style is used.
    const wb = await loadExcel(out);
    expect(wb.getWorksheet("G-L Entries")!.getCell("C6").numFmt).toBe(
      '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)'
    );
    expect(
      Object.keys((wb.getWorksheet("G-L Entries") as unknown as { tables?: object }).tables ?? {})
    ).toEqual([]);
  });
});

describe("creating a missing table", () => {
  test("a new sheet with a formatted Excel table that exceljs reads back", async () => {
    const bytes = await postingWorkbook();
    const before = unzip(bytes);
    const names = { ...GL_NAMES, sheetName: "Posted G-L", excelTableName: "PostedGL" };
    const out = XlsxBook.fromBytes(bytes).toBytes([{ ...append(false), names }]);
    assertWellFormed(out);

    const book = XlsxBook.fromBytes(out);
    expect(await book.listTables()).toContainEqual({
      name: "PostedGL",
      kind: "table",
      sheet: "Posted G-L",
    });
    const re = await book.readTable({ name: "PostedGL", kind: "table" });
    expect(re.header).toEqual(GL_COLUMNS.map((c) => c.name));
    expect(re.rows).toEqual([
      [3, 46053, "5410", 165, "Yes", TEN_FIFTEEN],
      [4, 46053, "2130", -165, "No", TEN_FIFTEEN],
    ]);

    const wb = await loadExcel(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Value Entries",
      "G-L Entries",
      "Setup",
      "Posted G-L",
    ]);
    const t = tableOf(wb, "Posted G-L", "PostedGL");
    expect(t.tableRef).toBe("A1:F3");
    expect(t.headerRow).toBe(true);
    expect(t.style.theme).toBe("TableStyleMedium2");
    expect(t.columns.map((c) => c.name)).toEqual(GL_COLUMNS.map((c) => c.name));
    const ws = wb.getWorksheet("Posted G-L")!;
    expect(ws.getCell("B2").numFmt).toBe("yyyy-mm-dd");
    expect(ws.getCell("D2").numFmt).toBe('_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)');
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1, topLeftCell: "A2" });
    expect(ws.getColumn(1).width).toBeGreaterThan(8);

    // The other parts are untouched; the package registers the new parts.
    const after = unzip(out);
    for (const n of [
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/sheet3.xml",
      "xl/tables/table1.xml",
      "xl/tables/table2.xml",
      "docProps/app.xml",
    ]) {
      expect(Buffer.from(after[n]).equals(Buffer.from(before[n]))).toBe(true);
    }
    // The shared strings keep their items at their indices (the other sheets refer to them); the new
    // sheet's texts that were not there are appended.
    const items = sharedStringItems(bytes);
    expect(sharedStringItems(out).slice(0, items.length)).toEqual(items);
    expect(sharedStringItems(out).length).toBeGreaterThan(items.length);
    expect(partText(out, "[Content_Types].xml")).toContain(
      '<Override PartName="/xl/worksheets/sheet4.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    );
    expect(partText(out, "[Content_Types].xml")).toContain(
      '<Override PartName="/xl/tables/table3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>'
    );
    expect(partText(out, "xl/tables/table3.xml")).toMatch(/ id="3" name="PostedGL"/);
    assertElementOrder(partText(out, "xl/worksheets/sheet4.xml"));
  });

  test("writes of one run see each other: create, then append to the created table", async () => {
    const bytes = await postingWorkbook();
    const names = { ...GL_NAMES, sheetName: "New GL", excelTableName: "NewGL" };
    const out = XlsxBook.fromBytes(bytes).toBytes([
      { ...append(false), names },
      { ...append(false, [[5, "2026-02-01", "1", "1.00", true, null]]), names },
    ]);
    const re = await XlsxBook.fromBytes(out).readTable({ name: "NewGL", kind: "table" });
    expect(re.rows.map((r) => r[0])).toEqual([3, 4, 5]);
    expect(re.rowNumbers).toEqual([2, 3, 4]);
  });

  test("no rows: one empty data row (Excel needs it), later appends fill it first", async () => {
    const bytes = await postingWorkbook();
    const names = { ...GL_NAMES, sheetName: "Empty GL", excelTableName: "EmptyGL" };
    const first = XlsxBook.fromBytes(bytes).toBytes([{ ...append(false, []), names }]);
    assertWellFormed(first);
    const wb = await loadExcel(first);
    expect(tableOf(wb, "Empty GL", "EmptyGL").tableRef).toBe("A1:F2");
    const book = XlsxBook.fromBytes(first);
    expect((await book.readTable({ name: "EmptyGL", kind: "table" })).rows).toEqual([
      [null, null, null, null, null, null],
    ]);

    const second = book.toBytes([{ ...append(false), names }]);
    const re = await XlsxBook.fromBytes(second).readTable({ name: "EmptyGL", kind: "table" });
    expect(re.rows.map((r) => r[0])).toEqual([3, 4]);
    expect(re.rowNumbers).toEqual([2, 3]);
    expect(tableOf(await loadExcel(second), "Empty GL", "EmptyGL").tableRef).toBe("A1:F3");
  });

  test("table names are made unique against tables and defined names; an empty sheet of that name is used", async () => {
    const bytes = await excelBytes((wb) => {
      wb.addWorksheet("G-L Entries"); // empty
      const s = wb.addWorksheet("Other");
      s.getCell("A1").value = 1;
      wb.definedNames.add("Other!$A$1", "GLEntries");
    });
    const out = XlsxBook.fromBytes(bytes).toBytes([append(false)]);
    assertWellFormed(out);
    const book = XlsxBook.fromBytes(out);
    expect((await book.listTables()).filter((t) => t.kind === "table")).toEqual([
      { name: "GLEntries_2", kind: "table", sheet: "G-L Entries" },
    ]);
    const wb = await loadExcel(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["G-L Entries", "Other"]);
    expect(tableOf(wb, "G-L Entries", "GLEntries_2").tableRef).toBe("A1:F3");
  });

  test("a workbook without styles.xml gets one, registered", async () => {
    const sheet = `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData/></worksheet>`;
    const out = XlsxBook.fromBytes(minimalPackage([{ name: "Data", xml: sheet }])).toBytes([
      append(false),
    ]);
    assertWellFormed(out);
    expect(partText(out, "xl/_rels/workbook.xml.rels")).toMatch(
      /relationships\/styles" Target="styles.xml"/
    );
    expect(partText(out, "[Content_Types].xml")).toContain("/xl/styles.xml");
    const wb = await loadExcel(out);
    expect(wb.getWorksheet("G-L Entries")!.getCell("D2").numFmt).toBe(
      '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)'
    );
  });
});

const WORKSHEET_ORDER = [
  "sheetPr",
  "dimension",
  "sheetViews",
  "sheetFormatPr",
  "cols",
  "sheetData",
  "sheetCalcPr",
  "sheetProtection",
  "protectedRanges",
  "scenarios",
  "autoFilter",
  "sortState",
  "dataConsolidate",
  "customSheetViews",
  "mergeCells",
  "phoneticPr",
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

/** The worksheet's top-level elements appear in schema order. */
export function assertElementOrder(xml: string): void {
  const body = xml.slice(xml.indexOf(">", xml.indexOf("<worksheet")) + 1);
  const names: string[] = [];
  let depth = 0;
  const re = /<(\/?)([\w:]+)[^>]*?(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const local = m[2].replace(/^\w+:/, "");
    if (m[1]) depth--;
    else {
      if (depth === 0 && local !== "worksheet") names.push(local);
      if (!m[3]) depth++;
    }
  }
  const ranks = names.map((n) => WORKSHEET_ORDER.indexOf(n));
  expect(ranks.every((r) => r >= 0)).toBe(true);
  expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
}
