import { XlsxBook, XlsxFormatError } from "../../../src/files/xlsx";
import { readZip } from "../../../src/files/xlsx/zip";
import { MAIN_NS, REL_NS, excelBytes, minimalPackage, zipParts } from "./helpers";

const SST =
  `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}" count="3" uniqueCount="3">` +
  `<si><t>Line_x000D_Break &amp; _x005F_x0041_</t></si>` +
  `<si><r><rPr><b/></rPr><t>Rich </t></r><r><t xml:space="preserve">text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>` +
  `<si><t/></si></sst>`;

/** A sheet written the way some generators do: x: prefix, rows and cells without r, spans. */
const PREFIXED =
  `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="${MAIN_NS}" xmlns:r="${REL_NS}"><x:dimension ref="A2:E5"/><x:sheetData>` +
  `<x:row r="2" spans="1:5"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>Inline &lt;&amp;&gt;</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c r="E2" t="e"><x:v>#N/A</x:v></x:c></x:row>` +
  `<x:row><x:c r="A3"><x:v>1.5</x:v></x:c><x:c r="B3" t="str"><x:f>A3&amp;"x"</x:f><x:v>1.5x</x:v></x:c><x:c r="C3" t="d"><x:v>2026-01-31T00:00:00</x:v></x:c><x:c r="D3"><x:f>A3*2</x:f><x:v>3</x:v></x:c><x:c r="E3" t="s"><x:v>1</x:v></x:c></x:row>` +
  `<x:row r="4" spans="1:5"><x:c r="A4" s="1"/><x:c r="B4" t="s"><x:v>2</x:v></x:c></x:row>` +
  `<x:row r="5"><x:c r="A5"><x:v>-2E-3</x:v></x:c><x:c r="B5" t="b"><x:v>0</x:v></x:c><x:c r="F5"><x:v>99</x:v></x:c></x:row>` +
  `</x:sheetData></x:worksheet>`;

describe("reading cells", () => {
  test("all cell kinds, prefixes, missing r, entities and _xHHHH_ escapes", async () => {
    const book = XlsxBook.fromBytes(minimalPackage([{ name: "Odd", xml: PREFIXED }], {}, SST));
    expect(await book.listTables()).toEqual([{ name: "Odd", kind: "sheet", sheet: "Odd" }]);
    const t = await book.readTable({ name: "odd", kind: "sheet" });
    expect(t.ref).toEqual({ name: "Odd", kind: "sheet", sheet: "Odd" });
    expect(t.header).toEqual(["Line\rBreak & _x0041_", "Inline <&>", "TRUE", "", "#N/A"]);
    expect(t.rowNumbers).toEqual([3, 4, 5]);
    expect(t.rows).toEqual([
      [1.5, "1.5x", "2026-01-31T00:00:00", 3, "Rich text"],
      [null, null, null, null, null], // styled empty cell and empty shared string: a blank row is kept
      [-0.002, false, null, null, null], // F5 is beyond the header: ignored
    ]);
  });

  test("values written by exceljs: shared and rich strings, numbers, dates, booleans, errors, formulas", async () => {
    const bytes = await excelBytes((wb) => {
      const ws = wb.addWorksheet("Kinds");
      ws.addRow(["Text", "Number", "Date", "Bool", "Error", "Formula", "Rich", "FormulaText"]);
      ws.addRow([
        "a  b ",
        -12.345,
        new Date(Date.UTC(2026, 0, 31)),
        true,
        { error: "#DIV/0!" },
        { formula: "B2*2", result: -24.69 },
        { richText: [{ text: "bold", font: { bold: true } }, { text: " plain" }] },
        { formula: 'A2&"!"', result: "a  b !" },
      ]);
      ws.addRow([]);
      ws.addRow(["last"]);
    });
    const book = XlsxBook.fromBytes(bytes);
    const t = await book.readTable({ name: "Kinds", kind: "sheet" });
    expect(t.header).toEqual([
      "Text",
      "Number",
      "Date",
      "Bool",
      "Error",
      "Formula",
      "Rich",
      "FormulaText",
    ]);
    expect(t.rowNumbers).toEqual([2, 3, 4]);
    expect(t.rows[0]).toEqual([
      "a  b ",
      -12.345,
      46053,
      true,
      "#DIV/0!",
      -24.69,
      "bold plain",
      "a  b !",
    ]);
    expect(t.rows[1].every((v) => v === null)).toBe(true);
    expect(t.rows[2][0]).toBe("last");
  });

  test("1904 date system: date-formatted serials are returned in the 1900 system", async () => {
    const bytes = await excelBytes((wb) => {
      wb.properties.date1904 = true;
      const ws = wb.addWorksheet("D");
      ws.addRow(["Date", "Number"]);
      ws.addRow([new Date(Date.UTC(2026, 0, 31)), 5]);
      ws.getCell("A2").numFmt = "yyyy-mm-dd";
    });
    const t = await XlsxBook.fromBytes(bytes).readTable({ name: "D", kind: "sheet" });
    expect(t.rows[0]).toEqual([46053, 5]);
  });
});

describe("tables", () => {
  async function tableBook(): Promise<XlsxBook> {
    const bytes = await excelBytes((wb) => {
      const ws = wb.addWorksheet("Entries");
      ws.getCell("A1").value = "Report title";
      ws.addTable({
        name: "ValueEntries",
        ref: "B3",
        headerRow: true,
        totalsRow: true,
        columns: [
          { name: "Entry No.", totalsRowLabel: "Total" },
          { name: "Amount", totalsRowFunction: "sum" },
        ],
        rows: [
          [1, 10],
          [null, null],
          [3, 30],
        ],
      });
      wb.addWorksheet("Empty");
      const other = wb.addWorksheet("Other");
      other.addTable({ name: "Small", ref: "A1", columns: [{ name: "X" }], rows: [["x"]] });
    });
    return XlsxBook.fromBytes(bytes);
  }

  test("listTables: every table and every non-empty sheet", async () => {
    const book = await tableBook();
    expect(await book.listTables()).toEqual([
      { name: "ValueEntries", kind: "table", sheet: "Entries" },
      { name: "Small", kind: "table", sheet: "Other" },
      { name: "Entries", kind: "sheet", sheet: "Entries" },
      { name: "Other", kind: "sheet", sheet: "Other" },
    ]);
  });

  test("readTable: header row, data rows without the totals row, blank rows kept, sheet row numbers", async () => {
    const book = await tableBook();
    const t = await book.readTable({ name: "valueentries", kind: "table" });
    expect(t.ref).toEqual({ name: "ValueEntries", kind: "table", sheet: "Entries" });
    expect(t.header).toEqual(["Entry No.", "Amount"]);
    expect(t.rows).toEqual([
      [1, 10],
      [null, null],
      [3, 30],
    ]);
    expect(t.rowNumbers).toEqual([4, 5, 6]);
  });

  test("a table without a header row takes its names from the table columns", async () => {
    const table = `<?xml version="1.0" encoding="UTF-8"?><table xmlns="${MAIN_NS}" id="1" name="NoHeader" displayName="NoHeader" ref="A1:B2" headerRowCount="0"><tableColumns count="2"><tableColumn id="1" name="Code"/><tableColumn id="2" name="Line_x000a_Two"/></tableColumns></table>`;
    const sheet = `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>A</t></is></c><c r="B1"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>B</t></is></c><c r="B2"><v>2</v></c></row></sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`;
    const bytes = minimalPackage([{ name: "S", xml: sheet }], {
      "xl/tables/table1.xml": table,
      "xl/worksheets/_rels/sheet1.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/table" Target="../tables/table1.xml"/></Relationships>`,
    });
    const t = await XlsxBook.fromBytes(bytes).readTable({ name: "NoHeader", kind: "table" });
    expect(t.header).toEqual(["Code", "Line\nTwo"]);
    expect(t.rows).toEqual([
      ["A", 1],
      ["B", 2],
    ]);
    expect(t.rowNumbers).toEqual([1, 2]);
  });

  test("an unknown table or sheet is an error naming it", async () => {
    const book = await tableBook();
    await expect(book.readTable({ name: "Nope", kind: "table" })).rejects.toThrow(/Nope/);
    await expect(book.readTable({ name: "Nope", kind: "sheet" })).rejects.toThrow(/Nope/);
  });

  test("an empty sheet reads as an empty table", async () => {
    const book = await tableBook();
    expect(await book.readTable({ name: "Empty", kind: "sheet" })).toEqual({
      ref: { name: "Empty", kind: "sheet", sheet: "Empty" },
      header: [],
      rows: [],
      rowNumbers: [],
    });
  });
});

function corruptWorkbookPart(): Uint8Array {
  const bytes = minimalPackage([
    { name: "S", xml: `<worksheet xmlns="${MAIN_NS}"><sheetData/></worksheet>` },
  ]);
  const entry = readZip(bytes).find((e) => e.name === "xl/workbook.xml")!;
  const copy = bytes.slice();
  copy.fill(0xff, entry.raw.byteOffset, entry.raw.byteOffset + Math.min(12, entry.raw.length));
  return copy;
}

describe("not a workbook", () => {
  test.each([
    ["an empty file", new Uint8Array(0), /empty/],
    ["text", new TextEncoder().encode("Entry No.,Amount\n1,2\n"), /not a readable zip/],
    [
      "an OLE file (old .xls or encrypted)",
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
      /OLE/,
    ],
    ["a zip that is not a workbook", zipParts({ "hello.txt": "hi" }), /Content_Types/],
    [
      "a package without a workbook part",
      zipParts({
        "[Content_Types].xml":
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      }),
      /no workbook part/,
    ],
    [
      "a truncated zip",
      zipParts({ "[Content_Types].xml": "x".repeat(1000) }).slice(0, 60),
      /not a readable zip/,
    ],
    [
      "a zip with a corrupt workbook part",
      corruptWorkbookPart(),
      /cannot be read|not a readable zip/,
    ],
  ])("%s gives XlsxFormatError naming the file", (_what, bytes, detail) => {
    let err: unknown;
    try {
      XlsxBook.fromBytes(bytes, { name: "C:\\data\\book.xlsx" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XlsxFormatError);
    expect((err as Error).message).toMatch(/^C:\\data\\book\.xlsx is not a valid \.xlsx workbook/);
    expect((err as Error).message).toMatch(detail);
  });
});
