/**
 * The write path keeps no per-cell objects for new rows (row blocks, rendered while the sheet is
 * serialized), patches updated rows in one pass, and compresses big parts piece by piece (off the main
 * thread in the file adapter). These tests pin its output to what the cell-by-cell writer made before
 * (the expected XML below was produced by it from the same fixtures) and check the pieces.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { inflateRawSync } from "zlib";
import { XlsxBook, XlsxWorkbook } from "../../../src/files/xlsx";
import { nodeZlibCodec } from "../../../src/files/xlsx/xlsxWorkbook";
import {
  PartWriter,
  ZipCodec,
  crc32,
  entryData,
  fflateCodec,
  readZip,
} from "../../../src/files/xlsx/zip";
import type {
  CellValue,
  ColumnSpec,
  OutputTableNames,
  TableWrite,
} from "../../../src/workbook/port";
import {
  MAIN_NS,
  REL_NS,
  assertWellFormed,
  inlinedSheet,
  partText,
  removeDir,
  tempDir,
  unzip,
  writeTemp,
  zipParts,
} from "./helpers";

const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT = (part: string, type: string) =>
  `<Override PartName="/${part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.${type}+xml"/>`;

function pkg(
  sheets: string[],
  extra: Record<string, string>,
  overrides: string,
  workbookRels = ""
): Uint8Array {
  return zipParts({
    "[Content_Types].xml":
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      CT("xl/workbook.xml", "sheet.main") +
      sheets.map((_s, i) => CT(`xl/worksheets/sheet${i + 1}.xml`, "worksheet")).join("") +
      overrides +
      `</Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets.map((s, i) => `<sheet name="${s}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels":
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      sheets
        .map(
          (_s, i) =>
            `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
        )
        .join("") +
      workbookRels +
      `</Relationships>`,
    ...extra,
  });
}

/** A new sheet prints landscape, fit to the page's width (its header row repeats: workbook.xml's Print_Titles). */
const NEW_SHEET_PR = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
const NEW_SHEET_PRINT = '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>';

/** A worksheet as the writer makes it: the parts before sheetData, its rows and what follows. */
function sheet(head: string, rows: string[], tail: string): string {
  return `${DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${head}<sheetData>${rows.join("")}</sheetData>${tail}`;
}

const t = (ref: string, text: string, s = "") =>
  `<c r="${ref}"${s} t="inlineStr"><is><t>${text}</t></is></c>`;

/**
 * Value Entries as a plain sheet whose rows are not all plain (spans, blanks between cells, a cell
 * without r, a formula to overwrite), G/L Entries as a table with a totals row and a cell below it,
 * a stylesheet and a calc chain.
 */
function postingBook(): Uint8Array {
  const valueEntries = sheet(
    '<dimension ref="A1:D5"/>',
    [
      `<row r="1" spans="1:4">${t("A1", "Entry No.")}${t("B1", "Item No.")}${t("C1", "Cost Amount (Actual)")}${t("D1", "Cost Posted to G/L")}</row>\n`,
      `<row r="2" spans="1:4"><c r="A2"><v>1</v></c>${t("B2", "ITEM-1")}<c r="C2" s="1"><v>10.5</v></c><c r="D2" s="1"><v>0</v></c></row>\n`,
      `<row r="3"> <c r="A3"><v>2</v></c> ${t("B3", "ITEM-2")}<c r="D3" s="1"><v>0</v></c></row>\n`,
      `<row r="4"><c r="A4"><v>3</v></c><c t="inlineStr"><is><t>ITEM-3</t></is></c><c r="C4" s="1"><v>7</v></c></row>\n`,
      `<row r="5" spans="1:4"><c r="A5"><v>4</v></c><c r="C5" s="1"><v>-2.25</v></c><c r="D5" s="1"><f>C5</f><v>-2.25</v></c></row>\n`,
    ],
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
  const glEntries = sheet(
    '<dimension ref="A1:D6"/>',
    [
      `<row r="1">${t("A1", "Entry No.")}${t("B1", "Amount")}</row>`,
      `<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>5</v></c></row>`,
      `<row r="3"><c r="A3"><v>2</v></c><c r="B3" s="1"><v>-5</v></c></row>`,
      `<row r="4">${t("A4", "Total")}<c r="B4" s="1"><f>SUBTOTAL(109,GLEntries[Amount])</f><v>0</v></c></row>`,
      `<row r="6">${t("D6", "beside and below")}</row>`,
    ],
    '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
  );
  const table =
    `${DECL}<table xmlns="${MAIN_NS}" id="1" name="GLEntries" displayName="GLEntries" ref="A1:B4" totalsRowCount="1">` +
    `<autoFilter ref="A1:B3"/><tableColumns count="2"><tableColumn id="1" name="Entry No." totalsRowLabel="Total"/><tableColumn id="2" name="Amount" totalsRowFunction="sum"/></tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`;
  const styles =
    `${DECL}<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>` +
    `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;
  return pkg(
    ["Value Entries", "G-L Entries"],
    {
      "xl/worksheets/sheet1.xml": valueEntries,
      "xl/worksheets/sheet2.xml": glEntries,
      "xl/worksheets/_rels/sheet2.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/table" Target="../tables/table1.xml"/></Relationships>`,
      "xl/tables/table1.xml": table,
      "xl/styles.xml": styles,
      "xl/calcChain.xml": `<?xml version="1.0" encoding="UTF-8"?><calcChain xmlns="${MAIN_NS}"><c r="D5" i="1"/><c r="B4" i="2"/></calcChain>`,
    },
    CT("xl/tables/table1.xml", "table") +
      CT("xl/styles.xml", "styles") +
      CT("xl/calcChain.xml", "calcChain"),
    `<Relationship Id="rId3" Type="${REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId4" Type="${REL_NS}/calcChain" Target="calcChain.xml"/>`
  );
}

const POSTING_WRITES: TableWrite[] = [
  {
    kind: "update",
    table: { name: "Value Entries", kind: "sheet", sheet: "Value Entries" },
    columns: [
      { name: "Cost Posted to G/L", format: "money" },
      { name: "Expected Cost Posted to G/L", format: "money" },
    ],
    updates: [
      { row: 0, values: ["10.50", "0.00"] },
      { row: 1, values: ["0.00", null] },
      { row: 2, values: ["7.00", "-1.25"] },
      { row: 3, values: ["-2.25", "0.00"] },
    ],
  },
  {
    kind: "append",
    names: {
      name: "G/L Entries",
      sheetName: "G-L Entries",
      excelTableName: "GLEntries",
      csvName: "G-L Entries",
    },
    existing: { name: "GLEntries", kind: "table", sheet: "G-L Entries" },
    columns: [
      { name: "Entry No.", format: "integer" },
      { name: "Amount", format: "money" },
      { name: "Posting Date", format: "date" },
    ],
    rows: [
      [3, "1.50", "2026-01-31"],
      [4, "-1.50", "2026-02-01"],
      [5, "0.00", null],
    ],
  },
  {
    kind: "append",
    names: {
      name: "G/L - Item Ledger Relation",
      sheetName: "GL - Item Ledger Relation",
      excelTableName: "GLItemLedgerRelation",
      csvName: "Relation",
    },
    columns: [
      { name: "G/L Entry No.", format: "integer" },
      { name: "Value Entry No.", format: "integer" },
      { name: "Note", format: "text" },
      { name: "Posted", format: "boolean" },
      { name: "Posting Date", format: "date" },
    ],
    rows: [
      [1, 1, "plain", true, "2026-01-31"],
      [1, 2, " <a & b> ", false, "2026-01-31"],
      [2, 3, null, true, null],
      [3, 4, "two  spaces_x0041_", false, "2026-02-28"],
    ],
  },
  {
    kind: "replace",
    names: {
      name: "Skipped Entries",
      sheetName: "Skipped Entries",
      excelTableName: "SkippedEntries",
      csvName: "Skipped Entries",
    },
    columns: [
      { name: "Value Entry No.", format: "integer" },
      { name: "Cost Amount", format: "money" },
      { name: "Reason", format: "text" },
    ],
    rows: [],
  },
];

// What the cell-by-cell writer made of these fixtures.
const EXPECTED_VALUE_ENTRIES = sheet(
  '<dimension ref="A1:E5"/>',
  [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Entry No.</t></is></c><c r="B1" t="inlineStr"><is><t>Item No.</t></is></c><c r="C1" t="inlineStr"><is><t>Cost Amount (Actual)</t></is></c><c r="D1" t="inlineStr"><is><t>Cost Posted to G/L</t></is></c><c r="E1" t="inlineStr"><is><t>Expected Cost Posted to G/L</t></is></c></row>\n',
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>ITEM-1</t></is></c><c r="C2" s="1"><v>10.5</v></c><c r="D2" s="1"><v>10.5</v></c><c r="E2" s="2"><v>0</v></c></row>\n',
    '<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="inlineStr"><is><t>ITEM-2</t></is></c><c r="D3" s="1"><v>0</v></c><c r="E3" s="2"/></row>\n',
    '<row r="4"><c r="A4"><v>3</v></c><c t="inlineStr" r="B4"><is><t>ITEM-3</t></is></c><c r="C4" s="1"><v>7</v></c><c r="D4" s="2"><v>7</v></c><c r="E4" s="2"><v>-1.25</v></c></row>\n',
    '<row r="5"><c r="A5"><v>4</v></c><c r="C5" s="1"><v>-2.25</v></c><c r="D5" s="1"><v>-2.25</v></c><c r="E5" s="2"><v>0</v></c></row>\n',
  ],
  '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
);
const EXPECTED_GL_ENTRIES = sheet(
  '<dimension ref="A1:D7"/>',
  [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Entry No.</t></is></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c><c r="C1" t="inlineStr"><is><t>Posting Date</t></is></c></row>',
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="1"><v>5</v></c></row>',
    '<row r="3"><c r="A3"><v>2</v></c><c r="B3" s="1"><v>-5</v></c></row>',
    '<row r="4"><c r="A4"><v>3</v></c><c r="B4" s="1"><v>1.5</v></c><c r="C4" s="3"><v>46053</v></c></row>',
    '<row r="5"><c r="A5"><v>4</v></c><c r="B5" s="1"><v>-1.5</v></c><c r="C5" s="3"><v>46054</v></c></row>',
    '<row r="6"><c r="A6"><v>5</v></c><c r="B6" s="1"><v>0</v></c><c r="C6" s="3"/><c r="D6" t="inlineStr"><is><t>beside and below</t></is></c></row>',
    '<row r="7"><c r="A7" t="inlineStr"><is><t>Total</t></is></c><c r="B7" s="1"><f>SUBTOTAL(109,GLEntries[Amount])</f><v>0</v></c></row>',
  ],
  '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
);
const EXPECTED_RELATION = sheet(
  NEW_SHEET_PR +
    '<dimension ref="A1:E5"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="17.7" customWidth="1"/><col min="2" max="2" width="19.7" customWidth="1"/><col min="3" max="3" width="19.7" customWidth="1"/><col min="4" max="4" width="10.7" customWidth="1"/><col min="5" max="5" width="16.7" customWidth="1"/></cols>',
  [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>G/L Entry No.</t></is></c><c r="B1" t="inlineStr"><is><t>Value Entry No.</t></is></c><c r="C1" t="inlineStr"><is><t>Note</t></is></c><c r="D1" t="inlineStr"><is><t>Posted</t></is></c><c r="E1" t="inlineStr"><is><t>Posting Date</t></is></c></row>',
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>plain</t></is></c><c r="D2" t="inlineStr"><is><t>Yes</t></is></c><c r="E2" s="3"><v>46053</v></c></row>',
    '<row r="3"><c r="A3"><v>1</v></c><c r="B3"><v>2</v></c><c r="C3" t="inlineStr"><is><t xml:space="preserve"> &lt;a &amp; b&gt; </t></is></c><c r="D3" t="inlineStr"><is><t>No</t></is></c><c r="E3" s="3"><v>46053</v></c></row>',
    '<row r="4"><c r="A4"><v>2</v></c><c r="B4"><v>3</v></c><c r="D4" t="inlineStr"><is><t>Yes</t></is></c><c r="E4" s="3"/></row>',
    '<row r="5"><c r="A5"><v>3</v></c><c r="B5"><v>4</v></c><c r="C5" t="inlineStr"><is><t xml:space="preserve">two  spaces_x005F_x0041_</t></is></c><c r="D5" t="inlineStr"><is><t>No</t></is></c><c r="E5" s="3"><v>46081</v></c></row>',
  ],
  '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    NEW_SHEET_PRINT +
    '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
);
const EXPECTED_SKIPPED = sheet(
  NEW_SHEET_PR +
    '<dimension ref="A1:C1"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="19.7" customWidth="1"/><col min="2" max="2" width="15.7" customWidth="1"/><col min="3" max="3" width="10.7" customWidth="1"/></cols>',
  [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Value Entry No.</t></is></c><c r="B1" t="inlineStr"><is><t>Cost Amount</t></is></c><c r="C1" t="inlineStr"><is><t>Reason</t></is></c></row>',
    '<row r="2"><c r="B2" s="2"/></row>',
  ],
  '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    NEW_SHEET_PRINT +
    '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
);
const EXPECTED_REWRITTEN = sheet(
  NEW_SHEET_PR +
    '<dimension ref="A1:D6"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="7.7" customWidth="1"/><col min="2" max="2" width="13.7" customWidth="1"/><col min="3" max="3" width="8.7" customWidth="1"/></cols>',
  [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>No.</t></is></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c><c r="C1" t="inlineStr"><is><t>Note</t></is></c><c r="D1" t="inlineStr"><is><t>Checked</t></is></c></row>',
    '<row r="2"><c r="A2"><v>7</v></c><c r="B2" s="1"><v>7</v></c></row>',
    '<row r="3"><c r="A3"><v>8</v></c><c r="B3" s="1"/></row>',
  ],
  '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    NEW_SHEET_PRINT +
    '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
);

describe("the same sheets as the cell-by-cell writer", () => {
  test("update (plain and irregular rows), append to a table with a totals row, new tables with and without rows", () => {
    const out = XlsxBook.fromBytes(postingBook()).toBytes(POSTING_WRITES);
    assertWellFormed(out);
    // Written text goes into the shared string table (new here: the book had none); read back inline,
    // the sheets are what the cell-by-cell writer made. Cells the write did not touch stay inline.
    expect(inlinedSheet(out, "xl/worksheets/sheet1.xml")).toBe(EXPECTED_VALUE_ENTRIES);
    expect(inlinedSheet(out, "xl/worksheets/sheet2.xml")).toBe(EXPECTED_GL_ENTRIES);
    expect(inlinedSheet(out, "xl/worksheets/sheet3.xml")).toBe(EXPECTED_RELATION);
    expect(inlinedSheet(out, "xl/worksheets/sheet4.xml")).toBe(EXPECTED_SKIPPED);
    expect(partText(out, "xl/worksheets/sheet3.xml")).not.toContain("inlineStr");
    // Each text once, in the order the cells were written: the headers of the added columns (Value
    // Entries' E, G-L Entries' C) and the new tables as the writes were planned, then the rows as the
    // sheets were serialized.
    expect(partText(out, "xl/sharedStrings.xml")).toBe(
      `${DECL}<sst xmlns="${MAIN_NS}" uniqueCount="13">` +
        [
          "Expected Cost Posted to G/L",
          "Posting Date",
          "G/L Entry No.",
          "Value Entry No.",
          "Note",
          "Posted",
          "Cost Amount",
          "Reason",
          "plain",
          "Yes",
          '<t xml:space="preserve"> &lt;a &amp; b&gt; </t>',
          "No",
          '<t xml:space="preserve">two  spaces_x005F_x0041_</t>',
        ]
          .map((x) => `<si>${x.startsWith("<t") ? x : `<t>${x}</t>`}</si>`)
          .join("") +
        "</sst>"
    );
    expect(partText(out, "[Content_Types].xml")).toContain(
      CT("xl/sharedStrings.xml", "sharedStrings")
    );
    expect(partText(out, "xl/_rels/workbook.xml.rels")).toContain(
      `Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`
    );
    // The overwritten formula made the calc chain stale: it is dropped.
    expect(Object.keys(unzip(out))).not.toContain("xl/calcChain.xml");
    expect(partText(out, "xl/styles.xml")).toMatch(/<cellXfs count="4">/);
  });

  test("a new table written over again in the same run: update, append and replace on its rows", () => {
    const names: OutputTableNames = {
      name: "Relation",
      sheetName: "Relation",
      excelTableName: "Relation",
      csvName: "Relation",
    };
    const columns: ColumnSpec[] = [
      { name: "No.", format: "integer" },
      { name: "Amount", format: "money" },
      { name: "Note", format: "text" },
    ];
    const book = pkg(
      ["Sheet1"],
      {
        "xl/worksheets/sheet1.xml": `${DECL}<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1">${t("A1", "x")}</row></sheetData></worksheet>`,
      },
      ""
    );
    const out = XlsxBook.fromBytes(book).toBytes([
      {
        kind: "append",
        names,
        columns,
        rows: [
          [1, "1.00", "a"],
          [2, "2.50", null],
          [3, "-0.00", "c"],
          [4, "4", "d"],
        ],
      },
      {
        kind: "update",
        table: { name: "Relation", kind: "table" },
        columns: [
          { name: "Amount", format: "money" },
          { name: "Checked", format: "boolean" },
        ],
        updates: [
          { row: 1, values: ["9.99", true] },
          { row: 3, values: [null, false] },
        ],
      },
      {
        kind: "append",
        names,
        existing: { name: "Relation", kind: "table" },
        columns,
        rows: [[5, "5.125", "e"]],
      },
      {
        kind: "replace",
        names,
        existing: { name: "Relation", kind: "table" },
        columns: columns.slice(0, 2),
        rows: [
          [7, "7.00"],
          [8, null],
        ],
      },
    ]);
    assertWellFormed(out);
    expect(inlinedSheet(out, "xl/worksheets/sheet2.xml")).toBe(EXPECTED_REWRITTEN);
  });
});

/** A workbook with a `rows`-row table Data (a sheet of about 210 bytes a row), written by the writer itself. */
function bigBook(rows: number): Uint8Array {
  const columns: ColumnSpec[] = [
    { name: "Entry No.", format: "integer" },
    { name: "Posting Date", format: "date" },
    { name: "Description", format: "text" },
    { name: "Amount", format: "money" },
    { name: "Posted", format: "money" },
    { name: "Flag", format: "boolean" },
  ];
  const data: CellValue[][] = [];
  for (let i = 1; i <= rows; i++)
    data.push([
      i,
      `2026-01-${String(1 + (i % 28)).padStart(2, "0")}`,
      `entry ${i} <&> ü€😀`,
      `${i}.${String(i % 100).padStart(2, "0")}`,
      "0.00",
      i % 3 === 0,
    ]);
  const empty = pkg(
    ["Sheet1"],
    { "xl/worksheets/sheet1.xml": `${DECL}<worksheet xmlns="${MAIN_NS}"><sheetData/></worksheet>` },
    ""
  );
  return XlsxBook.fromBytes(empty).toBytes([
    {
      kind: "append",
      names: { name: "Data", sheetName: "Data", excelTableName: "Data", csvName: "Data" },
      columns,
      rows: data,
    },
  ]);
}

/** Every entry's content matches its CRC and size (what unzip tools check). */
function checkEntries(bytes: Uint8Array): void {
  for (const e of readZip(bytes)) {
    const data = entryData(e);
    expect([e.name, data.length, crc32(data)]).toEqual([e.name, e.size, e.crc]);
  }
}

describe("big parts, written in pieces", () => {
  const ROWS = 24_000;
  let base: Uint8Array;
  beforeAll(() => {
    base = bigBook(ROWS);
  });

  test("a sheet over 4 MB is compressed as a stream, with the right CRC, and reads back", async () => {
    checkEntries(base);
    expect(unzip(base)["xl/worksheets/sheet2.xml"].length).toBeGreaterThan(4_500_000);
    const t = await XlsxBook.fromBytes(base).readTable({ name: "Data", kind: "table" });
    expect(t.rows.length).toBe(ROWS);
    expect(t.rows[ROWS - 1]).toEqual([
      ROWS,
      46023 + (ROWS % 28),
      `entry ${ROWS} <&> ü€😀`,
      ROWS + (ROWS % 100) / 100,
      0,
      ROWS % 3 === 0 ? "Yes" : "No",
    ]);
  });

  test("one updated row of a big sheet: everything else is the original text", () => {
    const out = XlsxBook.fromBytes(base).toBytes([
      {
        kind: "update",
        table: { name: "Data", kind: "table" },
        columns: [{ name: "Posted", format: "money" }],
        updates: [{ row: 14_999, values: ["12.50"] }],
      },
    ]);
    const before = partText(base, "xl/worksheets/sheet2.xml");
    const cell = /<c r="E15001"[^>]*><v>0<\/v><\/c>/.exec(before)![0];
    expect(partText(out, "xl/worksheets/sheet2.xml")).toBe(
      before.replace(cell, cell.replace("<v>0</v>", "<v>12.5</v>"))
    );
  });

  test("the file adapter (compressing off the main thread), toBytes with node:zlib and with fflate give the same workbook", async () => {
    const writes: TableWrite[] = [
      {
        kind: "update",
        table: { name: "Data", kind: "table" },
        columns: [{ name: "Posted", format: "money" }],
        updates: Array.from({ length: ROWS }, (_v, i) => ({ row: i, values: [`${i % 50}.25`] })),
      },
      {
        kind: "append",
        names: { name: "Data", sheetName: "Data", excelTableName: "Data", csvName: "Data" },
        existing: { name: "Data", kind: "table" },
        columns: [
          { name: "Entry No.", format: "integer" },
          { name: "Description", format: "text" },
        ],
        rows: Array.from({ length: 5000 }, (_v, i) => [ROWS + i + 1, `more ${i}`]),
      },
    ];
    const viaNode = XlsxBook.fromBytes(base, { codec: nodeZlibCodec }).toBytes(writes);
    const viaFflate = XlsxBook.fromBytes(base).toBytes(writes);
    const dir = tempDir();
    try {
      const file = writeTemp(dir, "big.xlsx", base);
      const book = await XlsxWorkbook.open(file, { outputPath: path.join(dir, "out.xlsx") });
      await book.write(writes, null);
      const viaFile = new Uint8Array(readFileSync(path.join(dir, "out.xlsx")));
      expect(Buffer.from(viaFile).equals(Buffer.from(viaNode))).toBe(true);
    } finally {
      removeDir(dir);
    }
    checkEntries(viaNode);
    checkEntries(viaFflate);
    const a = unzip(viaNode);
    const b = unzip(viaFflate);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a))
      expect([k, Buffer.from(a[k]).equals(Buffer.from(b[k]))]).toEqual([k, true]);
    const re = await XlsxBook.fromBytes(viaNode).readTable({ name: "Data", kind: "table" });
    expect(re.rows.length).toBe(ROWS + 5000);
    expect(re.rows[ROWS - 1][4]).toBe(49.25);
    expect(re.rows[ROWS + 4999]).toEqual([ROWS + 5000, null, "more 4999", null, null, null]);
  });
});

describe("PartWriter", () => {
  const inflate = (raw: Uint8Array[]) =>
    new Uint8Array(inflateRawSync(Buffer.concat(raw.map((r) => Buffer.from(r)))));
  const fakeAsync: ZipCodec = {
    ...nodeZlibCodec,
    // Pieces finish out of order: the result must still be in order.
    deflateRawAsync: (data, level, final) =>
      new Promise((resolve) =>
        setTimeout(
          () => resolve(nodeZlibCodec.deflateRawStream!(level).push(data, final)[0]),
          Math.random() * 5
        )
      ),
  };

  test("a part of a few bytes is compressed in one go, as before", () => {
    const w = new PartWriter(fflateCodec);
    w.write('<?xml version="1.0"?>');
    w.write("<a>é</a>");
    const part = w.finish();
    const bytes = new TextEncoder().encode('<?xml version="1.0"?><a>é</a>');
    expect(part.raw).toEqual([fflateCodec.deflateRaw(bytes, 6)]);
    expect([part.size, part.crc]).toEqual([bytes.length, crc32(bytes)]);
  });

  test("a UTF-16 declaration becomes UTF-8", () => {
    const w = new PartWriter(fflateCodec);
    w.write('<?xml version="1.0" encoding="UTF-16"?><a/>');
    expect(new TextDecoder().decode(inflate(w.finish().raw))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><a/>'
    );
  });

  test.each([
    ["fflate", fflateCodec, false],
    ["node:zlib", nodeZlibCodec, false],
    ["node:zlib off the main thread", nodeZlibCodec, true],
    ["pieces finishing out of order", fakeAsync, true],
  ] as const)(
    "a big part through %s: pieces of any size, surrogate pairs across pieces, CRC of the whole",
    async (_name, codec, offThread) => {
      // A long text is encoded 349,524 characters at a time: there, in `unit`, is the second half of a
      // surrogate pair, which must not be cut off its first half.
      const unit = "x".repeat(349_523) + "😀";
      const rest = `${unit.repeat(5)}ü</root>`;
      const text = `<?xml version="1.0"?><root>${unit.repeat(6)}${rest}`;
      const w = new PartWriter(codec, offThread);
      w.write('<?xml version="1.0"?><root>');
      w.write(unit.repeat(6));
      // Then pieces of all sizes.
      for (let i = 0, k = 0; i < rest.length; k++) {
        const n = [1, 100, 70_000, 1_000_000][k % 4];
        w.write(rest.slice(i, i + n));
        i += n;
        const room = w.room();
        if (room) await room;
      }
      const part = offThread ? await w.finishAsync() : w.finish();
      const expected = new TextEncoder().encode(text);
      const got = inflate(part.raw);
      expect(got.length).toBe(expected.length);
      expect(Buffer.from(got).equals(Buffer.from(expected))).toBe(true);
      expect([part.size, part.crc]).toEqual([expected.length, crc32(expected)]);
    }
  );
});
