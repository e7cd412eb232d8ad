import { XlsxBook, XlsxWriteError } from "../../../src/files/xlsx";
import type { TableRef } from "../../../src/workbook/port";
import { POSTED, postingWorkbook } from "./fixtures";
import {
  MAIN_NS,
  REL_NS,
  assertWellFormed,
  loadExcel,
  minimalPackage,
  partText,
  unzip,
} from "./helpers";

const VE: TableRef = { name: "ValueEntries", kind: "table", sheet: "Value Entries" };

describe("update in place", () => {
  test("writes the posted columns, keeps each cell style and every other column", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const before = await loadExcel(bytes);
    const out = book.toBytes([
      {
        kind: "update",
        table: VE,
        columns: POSTED,
        updates: [
          { row: 0, values: ["100.50", "0.00"] },
          { row: 2, values: ["-300.05", "12.10"] },
        ],
      },
    ]);
    assertWellFormed(out);

    const re = await XlsxBook.fromBytes(out).readTable(VE);
    expect(re.rows.map((r) => [r[4], r[5]])).toEqual([
      [100.5, 0],
      [0, 0],
      [-300.05, 12.1],
    ]);
    expect(re.rows.map((r) => r[6])).toEqual(["note 1", "note 2", "note 3"]);

    const wb = await loadExcel(out);
    const ws = wb.getWorksheet("Value Entries")!;
    const old = before.getWorksheet("Value Entries")!;
    for (const addr of ["E2", "E4", "F2", "D3", "C2"]) {
      expect(ws.getCell(addr).style).toEqual(old.getCell(addr).style);
    }
    expect(ws.getCell("E4").numFmt).toBe("#,##0.00");
    expect(ws.getCell("E4").fill).toEqual({
      type: "pattern",
      pattern: "solid",
      fgColor: { argb: "FFFFFF00" },
    });
    // Exact number text: no float formatting round trip.
    expect(partText(out, "xl/worksheets/sheet1.xml")).toContain("<v>-300.05</v>");
    expect(partText(out, "xl/worksheets/sheet1.xml")).toContain("<v>12.1</v>");
  });

  test("a posted column the table lacks is added after its last column (header, table column, ref)", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const out = book.toBytes([
      {
        kind: "update",
        table: VE,
        columns: [
          { name: "cost_posted_to_gl", format: "money" },
          { name: "Cost Posted to G/L (ACY)", format: "money" },
        ],
        updates: [{ row: 1, values: ["5.00", "4.50"] }],
      },
    ]);
    assertWellFormed(out);
    const re = await XlsxBook.fromBytes(out).readTable(VE);
    expect(re.header).toEqual([
      "Entry No.",
      "Item No.",
      "Posting Date",
      "Cost Amount (Actual)",
      "Cost Posted to G/L",
      "Expected Cost Posted to G/L",
      "My Notes",
      "Cost Posted to G/L (ACY)",
    ]);
    expect(re.rows.map((r) => r[7])).toEqual([null, 4.5, null]);
    expect(re.rows[1][4]).toBe(5);

    const wb = await loadExcel(out);
    const table = wb.getWorksheet("Value Entries")!.getTable("ValueEntries") as unknown as {
      table: { tableRef: string; columns: { name: string }[] };
    };
    expect(table.table.tableRef).toBe("A1:H4");
    expect(table.table.columns.map((c) => c.name)).toContain("Cost Posted to G/L (ACY)");
    // The new money cell has no cell above to copy, so it gets the accounting format.
    expect(wb.getWorksheet("Value Entries")!.getCell("H3").numFmt).toBe(
      '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)'
    );
    expect(partText(out, "xl/tables/table1.xml")).toMatch(/<autoFilter ref="A1:H4"/);
  });

  test("missing cells are inserted in column order; rows and cells without r stay right", async () => {
    const sheet =
      `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="A1:D3"/><sheetData>` +
      `<row r="1" spans="1:4"><c t="inlineStr"><is><t>No.</t></is></c><c t="inlineStr"><is><t>Posted</t></is></c><c t="inlineStr"><is><t>Other</t></is></c><c t="inlineStr"><is><t>Last</t></is></c></row>` +
      `<row><c><v>1</v></c><c r="C2"><v>7</v></c><c><v>8</v></c></row>` +
      `<row r="3"><c r="A3"><v>2</v></c><c r="D3"><v>9</v></c></row>` +
      `</sheetData></worksheet>`;
    const book = XlsxBook.fromBytes(minimalPackage([{ name: "S", xml: sheet }]));
    const ref: TableRef = { name: "S", kind: "sheet", sheet: "S" };
    const out = book.toBytes([
      {
        kind: "update",
        table: ref,
        columns: [{ name: "posted", format: "money" }],
        updates: [
          { row: 0, values: ["1.10"] },
          { row: 1, values: ["2.20"] },
        ],
      },
    ]);
    assertWellFormed(out);
    const xml = partText(out, "xl/worksheets/sheet1.xml");
    expect(xml).toContain(
      '<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>1.1</v></c><c r="C2"><v>7</v></c><c r="D2"><v>8</v></c></row>'
    );
    expect(xml).toContain(
      '<row r="3"><c r="A3"><v>2</v></c><c r="B3" s="1"><v>2.2</v></c><c r="D3"><v>9</v></c></row>'
    );
    const re = await XlsxBook.fromBytes(out).readTable(ref);
    expect(re.rows).toEqual([
      [1, 1.1, 7, 8],
      [2, 2.2, null, 9],
    ]);
  });

  test("null clears a value but keeps the cell style", async () => {
    const bytes = await postingWorkbook();
    const out = XlsxBook.fromBytes(bytes).toBytes([
      { kind: "update", table: VE, columns: [POSTED[0]], updates: [{ row: 0, values: [null] }] },
    ]);
    const xml = partText(out, "xl/worksheets/sheet1.xml");
    expect(xml).toMatch(/<c r="E2" s="\d+"\/>/);
  });

  test("a row index outside the table is refused", async () => {
    const book = XlsxBook.fromBytes(await postingWorkbook());
    expect(() =>
      book.toBytes([
        { kind: "update", table: VE, columns: POSTED, updates: [{ row: 3, values: ["1", "1"] }] },
      ])
    ).toThrow(XlsxWriteError);
  });

  test("a value that is not a decimal is refused", async () => {
    const book = XlsxBook.fromBytes(await postingWorkbook());
    expect(() =>
      book.toBytes([
        { kind: "update", table: VE, columns: POSTED, updates: [{ row: 0, values: ["1,5", "0"] }] },
      ])
    ).toThrow(/Cost Posted to G\/L/);
  });

  test("a column cannot be added over cells that are in the way", async () => {
    const sheet = `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>No.</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>note</t></is></c></row></sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`;
    const bytes = minimalPackage([{ name: "S", xml: sheet }], {
      "xl/tables/table1.xml": `<table xmlns="${MAIN_NS}" id="1" name="T" displayName="T" ref="A1:A2"><autoFilter ref="A1:A2"/><tableColumns count="1"><tableColumn id="1" name="No."/></tableColumns></table>`,
      "xl/worksheets/_rels/sheet1.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/table" Target="../tables/table1.xml"/></Relationships>`,
    });
    const book = XlsxBook.fromBytes(bytes);
    expect(() =>
      book.toBytes([
        { kind: "update", table: { name: "T", kind: "table" }, columns: [POSTED[0]], updates: [] },
      ])
    ).toThrow(/B2 .*in the way/);
  });

  test("a column added to a table filled by a query becomes an unbound query field", async () => {
    const sheet = `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Entry No.</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`;
    const bytes = minimalPackage([{ name: "VE", xml: sheet }], {
      "xl/tables/table1.xml": `<table xmlns="${MAIN_NS}" id="1" name="VE" displayName="VE" ref="A1:A2" tableType="queryTable"><autoFilter ref="A1:A2"/><tableColumns count="1"><tableColumn id="1" uniqueName="1" name="Entry No." queryTableFieldId="1"/></tableColumns><tableStyleInfo name="TableStyleMedium7" showRowStripes="1"/></table>`,
      "xl/tables/_rels/table1.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/queryTable" Target="../queryTables/queryTable1.xml"/></Relationships>`,
      "xl/queryTables/queryTable1.xml": `<queryTable xmlns="${MAIN_NS}" name="Query" connectionId="1" autoFormatId="16" applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="0"><queryTableRefresh nextId="2"><queryTableFields count="1"><queryTableField id="1" name="Entry No." tableColumnId="1"/></queryTableFields></queryTableRefresh></queryTable>`,
      "xl/worksheets/_rels/sheet1.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/table" Target="../tables/table1.xml"/></Relationships>`,
    });
    const out = XlsxBook.fromBytes(bytes).toBytes([
      {
        kind: "update",
        table: { name: "VE", kind: "table" },
        columns: [POSTED[0]],
        updates: [{ row: 0, values: ["2.00"] }],
      },
    ]);
    assertWellFormed(out);
    expect(partText(out, "xl/tables/table1.xml")).toContain(
      '<tableColumns count="2"><tableColumn id="1" uniqueName="1" name="Entry No." queryTableFieldId="1"/><tableColumn id="2" name="Cost Posted to G/L" queryTableFieldId="2"/></tableColumns>'
    );
    expect(partText(out, "xl/queryTables/queryTable1.xml")).toContain(
      '<queryTableRefresh nextId="3" unboundColumnsRight="1"><queryTableFields count="2"><queryTableField id="1" name="Entry No." tableColumnId="1"/><queryTableField id="2" dataBound="0" tableColumnId="2"/></queryTableFields></queryTableRefresh>'
    );
    expect((await XlsxBook.fromBytes(out).readTable({ name: "VE", kind: "table" })).rows).toEqual([
      [1, 2],
    ]);
  });

  test("overwriting a formula cell drops the stale calc chain; a shared formula master is refused", async () => {
    const sheet = (f: string) =>
      `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Posted</t></is></c><c r="B1" t="inlineStr"><is><t>Other</t></is></c></row>` +
      `<row r="2"><c r="A2">${f}<v>2</v></c><c r="B2"><f t="shared" si="0"/><v>3</v></c></row></sheetData></worksheet>`;
    const pkg = (f: string) =>
      minimalPackage(
        [{ name: "S", xml: sheet(f) }],
        { "xl/calcChain.xml": `<calcChain xmlns="${MAIN_NS}"><c r="A2" i="1"/></calcChain>` },
        undefined,
        {
          workbookRels: `<Relationship Id="rIdCalc" Type="${REL_NS}/calcChain" Target="calcChain.xml"/>`,
          overrides:
            '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>',
        }
      );
    const ref: TableRef = { name: "S", kind: "sheet" };
    const write = [
      {
        kind: "update" as const,
        table: ref,
        columns: [{ name: "Posted", format: "money" as const }],
        updates: [{ row: 0, values: ["1"] }],
      },
    ];

    // Untouched formulas keep the calc chain.
    const other = XlsxBook.fromBytes(pkg("")).toBytes(write);
    expect(Object.keys(unzip(other))).toContain("xl/calcChain.xml");

    const plain = XlsxBook.fromBytes(pkg("<f>1+1</f>")).toBytes(write);
    assertWellFormed(plain);
    expect(partText(plain, "xl/worksheets/sheet1.xml")).toContain('<c r="A2"><v>1</v></c>');
    expect(Object.keys(unzip(plain))).not.toContain("xl/calcChain.xml");
    expect(partText(plain, "xl/_rels/workbook.xml.rels")).not.toContain("calcChain");
    expect(partText(plain, "[Content_Types].xml")).not.toContain("calcChain");
    await loadExcel(plain); // still a readable package

    expect(() =>
      XlsxBook.fromBytes(pkg('<f t="shared" ref="A2:B2" si="0">1+1</f>')).toBytes(write)
    ).toThrow(/shared formula/);
  });
});
