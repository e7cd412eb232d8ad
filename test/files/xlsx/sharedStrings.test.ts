/**
 * Written text goes into the workbook's shared string table: appended after its items (whose indices the
 * other cells use, so they never move), or in a new part when the workbook has none. Checked through the
 * package's XML and through exceljs, an independent reader.
 */
import { XlsxBook } from "../../../src/files/xlsx";
import type { AppendWrite, CellValue, ColumnSpec } from "../../../src/workbook/port";
import { GL_COLUMNS, GL_NAMES, postingWorkbook } from "./fixtures";
import {
  MAIN_NS,
  REL_NS,
  assertWellFormed,
  loadExcel,
  minimalPackage,
  partText,
  sharedStringItems,
  unzip,
} from "./helpers";

const NOTE: ColumnSpec[] = [
  { name: "No.", format: "integer" },
  { name: "Note", format: "text" },
];
const NOTES = {
  name: "Notes",
  sheetName: "Notes",
  excelTableName: "Notes",
  csvName: "Notes",
};

function appendNotes(rows: CellValue[][], existing = false): AppendWrite {
  return {
    kind: "append",
    names: NOTES,
    ...(existing ? { existing: { name: "Notes", kind: "table" as const } } : {}),
    columns: NOTE,
    rows,
  };
}

/** The text of each <si> item (plain items only; entities and _xHHHH_ decoded) — this test's own reading. */
function itemTexts(bytes: Uint8Array): string[] {
  return sharedStringItems(bytes).map((item) => {
    const m = /^<t(?: xml:space="preserve")?>([\s\S]*)<\/t>$/.exec(item);
    if (!m) return `(not plain: ${item})`;
    return m[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/_x([0-9A-F]{4})_/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  });
}

/** Every cell of a sheet part: its reference (or position) and raw start tag and content. */
function cellsOf(bytes: Uint8Array, sheetPart: string): { tag: string; v: string | undefined }[] {
  return [
    ...partText(bytes, sheetPart).matchAll(/<c(?=[ />])([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g),
  ].map((m) => ({ tag: m[1], v: /<v>([^<]*)<\/v>/.exec(m[2] ?? "")?.[1] }));
}

describe("shared strings", () => {
  test("a new sheet's texts resolve through sharedStrings.xml; the existing items and the cells using them are unchanged", async () => {
    const bytes = await postingWorkbook();
    const before = sharedStringItems(bytes);
    const out = XlsxBook.fromBytes(bytes).toBytes([
      {
        kind: "append",
        names: { ...GL_NAMES, sheetName: "Posted G-L", excelTableName: "PostedGL" },
        columns: GL_COLUMNS,
        rows: [
          [3, "2026-01-31", "5410", "165.00", true, null],
          [4, "2026-01-31", "2130", "-165.00", false, null],
          [5, "2026-01-31", "ITEM-1", "1.00", true, null],
        ],
      },
    ]);
    assertWellFormed(out);
    const items = sharedStringItems(out);
    expect(items.slice(0, before.length)).toEqual(before);
    // The untouched sheets are the same bytes: their t="s" indices still mean what they meant.
    const a = unzip(bytes);
    const b = unzip(out);
    for (const n of ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
      expect(Buffer.from(b[n]).equals(Buffer.from(a[n]))).toBe(true);

    // Every text cell of the new sheet is a shared string, and the index names the written text.
    const texts = itemTexts(out);
    const sheet = "xl/worksheets/sheet4.xml";
    expect(partText(out, sheet)).not.toContain("inlineStr");
    const shared = cellsOf(out, sheet).filter((c) => / t="s"/.test(c.tag));
    expect(shared.map((c) => texts[Number(c.v)])).toEqual([
      ...GL_COLUMNS.map((c) => c.name),
      "5410",
      "Yes",
      "2130",
      "No",
      "ITEM-1",
      "Yes",
    ]);
    // "ITEM-1" and the header texts the workbook already had are referred to where they are.
    const oldTexts = itemTexts(bytes);
    for (const t of ["ITEM-1", "Entry No.", "Posting Date", "Amount", "System-Created Entry"]) {
      expect(oldTexts).toContain(t);
      expect(texts.indexOf(t)).toBe(oldTexts.indexOf(t));
      expect(texts.lastIndexOf(t)).toBe(oldTexts.indexOf(t));
    }
    // Each new text once, after the old items.
    const added = texts.slice(before.length);
    expect(new Set(added).size).toBe(added.length);
    expect(added).toEqual(expect.arrayContaining(["5410", "No", "Creation Time"]));

    const wb = await loadExcel(out);
    const ws = wb.getWorksheet("Posted G-L")!;
    expect([1, 2, 3, 4].map((r) => ws.getRow(r).getCell(3).value)).toEqual([
      "G/L Account No.",
      "5410",
      "2130",
      "ITEM-1",
    ]);
    expect(ws.getCell("E3").value).toBe("No");
    // The input's own cells read as before.
    const ve = wb.getWorksheet("Value Entries")!;
    expect(ve.getCell("B2").value).toBe("ITEM-1");
    expect(ve.getCell("G3").value).toBe("note 2");
  });

  test("a workbook without a shared string part gets one, with its content type and relationship", async () => {
    const sheet = `<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`;
    const bytes = minimalPackage([{ name: "Sheet1", xml: sheet }]);
    expect(Object.keys(unzip(bytes))).not.toContain("xl/sharedStrings.xml");
    const out = XlsxBook.fromBytes(bytes).toBytes([
      appendNotes([
        [1, "first"],
        [2, "second"],
        [3, "first"],
      ]),
    ]);
    assertWellFormed(out);
    expect(itemTexts(out)).toEqual(["No.", "Note", "first", "second"]);
    expect(partText(out, "xl/sharedStrings.xml")).toMatch(
      new RegExp(`^<\\?xml[^>]*\\?>\\s*<sst xmlns="${MAIN_NS}" uniqueCount="4">`)
    );
    expect(partText(out, "[Content_Types].xml")).toContain(
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    );
    const rels = partText(out, "xl/_rels/workbook.xml.rels");
    expect(rels.match(new RegExp(`Type="${REL_NS}/sharedStrings"`, "g"))).toHaveLength(1);
    expect(rels).toContain('Target="sharedStrings.xml"');

    const wb = await loadExcel(out);
    const ws = wb.getWorksheet("Notes")!;
    expect([1, 2, 3, 4].map((r) => ws.getCell(`B${r}`).value)).toEqual([
      "Note",
      "first",
      "second",
      "first",
    ]);
    // Read again by our reader, and written to again: the part is appended to, not made twice.
    const book = XlsxBook.fromBytes(out);
    expect((await book.readTable({ name: "Notes", kind: "table" })).rows).toEqual([
      [1, "first"],
      [2, "second"],
      [3, "first"],
    ]);
    const again = book.toBytes([appendNotes([[4, "third"]], true)]);
    expect(itemTexts(again)).toEqual(["No.", "Note", "first", "second", "third"]);
    expect(partText(again, "xl/_rels/workbook.xml.rels").match(/\/sharedStrings"/g)).toHaveLength(
      1
    );
  });

  test("texts with XML's special characters, edge spaces, line breaks and control characters read back the same through exceljs", async () => {
    const texts = [
      `<a href="x">&amp; 'q'</a>`,
      "  two leading spaces",
      "trailing space ",
      "in  between",
      "line\nbreak",
      "tab\there",
      "bell\u0007 and escape\u001b",
      "_x0041_ literally",
      "Ünïcödé € 😀",
    ];
    const bytes = await postingWorkbook();
    const out = XlsxBook.fromBytes(bytes).toBytes([appendNotes(texts.map((t, i) => [i + 1, t]))]);
    assertWellFormed(out);
    expect(partText(out, "xl/worksheets/sheet4.xml")).not.toContain("inlineStr");
    // Edge and doubled spaces, tabs and line breaks keep their whitespace with xml:space="preserve".
    const items = sharedStringItems(out);
    for (const t of ["  two leading spaces", "trailing space ", "in  between", "line\nbreak"])
      expect(items).toContain(`<t xml:space="preserve">${t}</t>`);
    expect(items).toContain("<t>bell_x0007_ and escape_x001B_</t>");

    const wb = await loadExcel(out);
    const ws = wb.getWorksheet("Notes")!;
    expect(texts.map((_t, i) => ws.getCell(`B${i + 2}`).value)).toEqual(texts);
    // And our own reader.
    const re = await XlsxBook.fromBytes(out).readTable({ name: "Notes", kind: "table" });
    expect(re.rows.map((r) => r[1])).toEqual(texts);
  });

  test("appending to an existing sheet again reuses the texts the first run added", async () => {
    const bytes = await postingWorkbook();
    const first = XlsxBook.fromBytes(bytes).toBytes([
      appendNotes([
        [1, "alpha"],
        [2, "beta"],
      ]),
    ]);
    const afterFirst = itemTexts(first);
    const second = XlsxBook.fromBytes(first).toBytes([
      appendNotes(
        [
          [3, "beta"],
          [4, "alpha"],
          [5, "gamma"],
        ],
        true
      ),
    ]);
    const afterSecond = itemTexts(second);
    expect(afterSecond.slice(0, afterFirst.length)).toEqual(afterFirst);
    expect(afterSecond.slice(afterFirst.length)).toEqual(["gamma"]);
    const re = await XlsxBook.fromBytes(second).readTable({ name: "Notes", kind: "table" });
    expect(re.rows).toEqual([
      [1, "alpha"],
      [2, "beta"],
      [3, "beta"],
      [4, "alpha"],
      [5, "gamma"],
    ]);
    const ws = (await loadExcel(second)).getWorksheet("Notes")!;
    expect([2, 3, 4, 5, 6].map((r) => ws.getCell(`B${r}`).value)).toEqual([
      "alpha",
      "beta",
      "beta",
      "alpha",
      "gamma",
    ]);
  });

  test("a rich-text item is not taken for a plain text; the table's extLst stays last", async () => {
    const sst =
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}" count="3" uniqueCount="2">` +
      `<si><r><rPr><b/></rPr><t>bold</t></r></si><si><t>plain</t></si>` +
      `<extLst><ext uri="{X}"/></extLst></sst>`;
    const sheet = `<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`;
    const bytes = minimalPackage([{ name: "Sheet1", xml: sheet }], {}, sst);
    const out = XlsxBook.fromBytes(bytes).toBytes([
      appendNotes([
        [1, "bold"],
        [2, "plain"],
      ]),
    ]);
    assertWellFormed(out);
    const xml = partText(out, "xl/sharedStrings.xml");
    // Items 0 and 1 as they were; "bold" added as a plain item; "plain" referred to at 1.
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}" uniqueCount="5">` +
        `<si><r><rPr><b/></rPr><t>bold</t></r></si><si><t>plain</t></si>` +
        `<si><t>No.</t></si><si><t>Note</t></si><si><t>bold</t></si>` +
        `<extLst><ext uri="{X}"/></extLst></sst>`
    );
    const notes = cellsOf(out, "xl/worksheets/sheet2.xml").filter((c) => / t="s"/.test(c.tag));
    expect(notes.map((c) => c.v)).toEqual(["2", "3", "4", "1"]);
    // exceljs cannot read a table with an extLst at all: it reads the same table without one.
    const noExt = minimalPackage(
      [{ name: "Sheet1", xml: sheet }],
      {},
      sst.replace(/<extLst>.*<\/extLst>/, "")
    );
    const wb = await loadExcel(
      XlsxBook.fromBytes(noExt).toBytes([
        appendNotes([
          [1, "bold"],
          [2, "plain"],
        ]),
      ])
    );
    expect(wb.getWorksheet("Notes")!.getCell("B2").value).toBe("bold");
    expect(wb.getWorksheet("Notes")!.getCell("B3").value).toBe("plain");
    expect(wb.getWorksheet("Sheet1")!.getCell("B1").value).toBe("plain");
    expect(wb.getWorksheet("Sheet1")!.getCell("A1").value).toEqual({
      richText: [{ font: { bold: true }, text: "bold" }],
    });
  });

  test("a prefixed table (x:sst) gets prefixed items; a self-closing one is opened", async () => {
    const sheet = `<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
    const prefixed =
      `<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="${MAIN_NS}" count="1" uniqueCount="1">` +
      `<x:si><x:t>Note</x:t></x:si></x:sst>`;
    const out = XlsxBook.fromBytes(
      minimalPackage([{ name: "Sheet1", xml: sheet }], {}, prefixed)
    ).toBytes([appendNotes([[1, "x < y"]])]);
    assertWellFormed(out);
    expect(partText(out, "xl/sharedStrings.xml")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="${MAIN_NS}" uniqueCount="3">` +
        `<x:si><x:t>Note</x:t></x:si><x:si><x:t>No.</x:t></x:si><x:si><x:t>x &lt; y</x:t></x:si></x:sst>`
    );
    const re = await XlsxBook.fromBytes(out).readTable({ name: "Notes", kind: "table" });
    expect(re.header).toEqual(["No.", "Note"]);
    expect(re.rows).toEqual([[1, "x < y"]]);
    expect(
      (await XlsxBook.fromBytes(out).readTable({ name: "Sheet1", kind: "sheet" })).header
    ).toEqual(["Note"]);

    const empty = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}" count="0" uniqueCount="0"/>`;
    const sheet2 = `<worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`;
    const out2 = XlsxBook.fromBytes(
      minimalPackage([{ name: "Sheet1", xml: sheet2 }], {}, empty)
    ).toBytes([appendNotes([[1, "n"]])]);
    assertWellFormed(out2);
    expect(partText(out2, "xl/sharedStrings.xml")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}" uniqueCount="3">` +
        `<si><t>No.</t></si><si><t>Note</t></si><si><t>n</t></si></sst>`
    );
    const ws = (await loadExcel(out2)).getWorksheet("Notes")!;
    expect([ws.getCell("A1").value, ws.getCell("B1").value, ws.getCell("B2").value]).toEqual([
      "No.",
      "Note",
      "n",
    ]);
  });
});
