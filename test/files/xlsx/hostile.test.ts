/**
 * Hostile .xlsx input (issue 8): the reader reads what Excel reads, and anything it cannot read that way is
 * a clean error, never a hang, a crash or another number. Fixtures are the bundled sample with some XML
 * bytes patched (or a zip entry replaced), so everything else about them is a real workbook.
 */
import { strToU8, unzipSync, zipSync } from "fflate";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { deflateRawSync, constants as zc } from "zlib";
import { XlsxBook, XlsxFormatError, XlsxWorkbook } from "../../../src/files/xlsx";
import { XlsxCellError } from "../../../src/files/xlsx/errors";
import { readZip, writeZip } from "../../../src/files/xlsx/zip";
import type { TableRef } from "../../../src/workbook/port";
import { minimalPackage, partText, removeDir, tempDir } from "./helpers";
import { CliWorker } from "./watchdog";

const SAMPLE = readFileSync(path.join(__dirname, "../../../samples/bike-chain.xlsx"));
const VE_SHEET = "xl/worksheets/sheet2.xml";
const VE: TableRef = { name: "ValueEntries", kind: "table", sheet: "Value Entries" };
/** Row 3 of Value Entries: entry 2, Cost Amount (Actual) 165 in Q3 (checked in the first test). */
const Q3 = '<c r="Q3" s="3"><v>165</v></c>';

/** The sample with parts' text replaced (each function gets the part's text). */
function patched(edits: Record<string, (xml: string) => string>): Uint8Array {
  const parts = unzipSync(SAMPLE);
  for (const [name, edit] of Object.entries(edits)) {
    const before = Buffer.from(parts[name]).toString("utf8");
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${name} changed nothing`);
    parts[name] = strToU8(after);
  }
  return zipSync(parts);
}

/** The sample with Q3 (165) replaced. */
const withQ3 = (cell: string) => patched({ [VE_SHEET]: (x) => x.replace(Q3, cell) });

/** Reads every table the run would read; resolves to the Value Entries rows. */
async function readAll(bytes: Uint8Array): Promise<unknown[][]> {
  const book = XlsxBook.fromBytes(bytes, { name: "hostile.xlsx" });
  for (const t of await book.listTables()) await book.readTable(t);
  return (await book.readTable(VE)).rows;
}

async function costOfEntry2(bytes: Uint8Array): Promise<unknown> {
  return (await readAll(bytes))[1][16];
}

let dir: string;
let worker: CliWorker;
beforeAll(() => {
  worker = new CliWorker();
});
afterAll(() => worker.close());
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

/** glpost post on the bytes (in a worker with a watchdog), output to another file. */
async function post(bytes: Uint8Array, name = "in.xlsx", out = "out.xlsx") {
  const input = path.join(dir, name);
  writeFileSync(input, bytes);
  const run = await worker.run(
    ["post", input, "--out", path.join(dir, out), "--document-no", "T1"],
    30_000
  );
  return { ...run, input, output: path.join(dir, out) };
}

test("the fixture: entry 2 has Cost Amount (Actual) 165 in Q3", async () => {
  expect(partText(SAMPLE, VE_SHEET)).toContain(Q3);
  const book = XlsxBook.fromBytes(SAMPLE);
  const t = await book.readTable(VE);
  expect(t.header[16]).toBe("Cost Amount (Actual)");
  expect(t.rowNumbers[1]).toBe(3);
  expect(t.rows[1][16]).toBe(165);
});

describe("a formula without a saved value (openpyxl, exceljs)", () => {
  test("is an error naming table, row and column, never read as blank or 0", async () => {
    const bytes = withQ3('<c r="Q3" s="3"><f>100+65</f></c>');
    const err = await readAll(bytes).then(
      () => null,
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(XlsxCellError);
    const message = (err as Error).message;
    expect(message).toContain('table "ValueEntries" on sheet "Value Entries"');
    expect(message).toContain('row 3, column "Cost Amount (Actual)" (cell Q3)');
    expect(message).toContain(
      "has a formula without a saved value: open and save the workbook in Excel first"
    );
  });

  test("a shared formula without a value too; a formula with its saved value reads the value", async () => {
    await expect(
      readAll(withQ3('<c r="Q3" s="3"><f t="shared" si="0"/></c>'))
    ).rejects.toBeInstanceOf(XlsxCellError);
    expect(await costOfEntry2(withQ3('<c r="Q3" s="3"><f>100+65</f><v>165</v></c>'))).toBe(165);
  });

  test("glpost: exit 1 with the message, nothing written", async () => {
    const run = await post(withQ3('<c r="Q3" s="3"><f>100+65</f></c>'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'row 3, column "Cost Amount (Actual)" (cell Q3) has a formula without a saved value'
    );
    expect(() => readFileSync(run.output)).toThrow();
  });
});

describe("malformed tags are format errors, never a loop", () => {
  const fragments: [string, string][] = [
    ["unquoted attribute (was read as if t were absent)", '<c r="Q3" s="3" t=n><v>165</v></c>'],
    // The value's first character occurs nowhere later in the part: the old scanner looped forever.
    [
      "unquoted attribute whose character does not occur again (looped forever)",
      '<c r="Q3" s="3" t=~><v>165</v></c>',
    ],
    ["unquoted reference", '<c r=Q3 s="3"><v>165</v></c>'],
    ["unterminated quote", '<c r="Q3" s="3><v>165</v></c>'],
    ['"<" inside an attribute value', '<c r="Q3" s="<3"><v>165</v></c>'],
    ["attribute without a value", '<c r="Q3" s><v>165</v></c>'],
    ['missing ">"', '<c r="Q3" s="3"<v>165</v></c>'],
    ["truncated cell", '<c r="Q3" s="3"><v>165</v>'],
    ["unknown cell type", '<c r="Q3" s="3" t="q"><v>165</v></c>'],
    ['a bare "&" in a value', '<c r="Q3" s="3" t="str"><v>A & B</v></c>'],
  ];
  test.each(fragments)("%s", async (_what, cell) => {
    await expect(readAll(withQ3(cell))).rejects.toBeInstanceOf(XlsxFormatError);
  });

  test("a tag cut off at the end of the part", async () => {
    const bytes = patched({ [VE_SHEET]: (x) => x.slice(0, x.indexOf(Q3) + 12) });
    await expect(readAll(bytes)).rejects.toBeInstanceOf(XlsxFormatError);
  });

  test("glpost ends (watchdog: the old scanner looped forever here) with exit 1 naming the part and the row", async () => {
    const run = await post(withQ3('<c r="Q3" s="3" t=~><v>165</v></c>'));
    expect(run.hung).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("xl/worksheets/sheet2.xml");
    expect(run.stderr).toContain("row 3");
    expect(run.stderr).toContain("not in quotes");
  });
});

describe("comments, CDATA and entities read as an XML parser (and Excel) reads them", () => {
  test("a <v> inside a comment is not the value", async () => {
    expect(await costOfEntry2(withQ3('<c r="Q3" s="3"><!-- <v>999</v> --><v>165</v></c>'))).toBe(
      165
    );
    // The comment alone: no value at all.
    expect(await costOfEntry2(withQ3('<c r="Q3" s="3"><!-- <v>999</v> --></c>'))).toBeNull();
  });

  test("a whole row inside a comment is not read", async () => {
    const bytes = patched({
      [VE_SHEET]: (x) =>
        x.replace(
          '<row r="3"',
          '<!-- <row r="3" spans="1:21"><c r="Q3"><v>765</v></c></row> --><row r="3"'
        ),
    });
    expect(await costOfEntry2(bytes)).toBe(165);
  });

  test("CDATA numbers and text read as their text; entities are decoded", async () => {
    expect(await costOfEntry2(withQ3('<c r="Q3" s="3"><v><![CDATA[165]]></v></c>'))).toBe(165);
    expect(await costOfEntry2(withQ3('<c r="Q3" s="3"><v>&#49;65</v></c>'))).toBe(165);
    const text = async (cell: string) => (await readAll(withQ3(cell)))[1][16];
    expect(await text('<c r="Q3" s="3" t="inlineStr"><is><t><![CDATA[x<y]]></t></is></c>')).toBe(
      "x<y"
    );
    expect(await text('<c r="Q3" s="3" t="str"><v>&amp;&#x41;</v></c>')).toBe("&A");
  });

  test("shared strings: CDATA and comments inside an item", async () => {
    const bytes = patched({
      "xl/sharedStrings.xml": (x) =>
        x.replace(
          "<si><t>Description</t></si>",
          "<si><!-- <t>No</t> --><t><![CDATA[Desc]]>ription</t></si>"
        ),
    });
    const book = XlsxBook.fromBytes(bytes);
    expect((await book.readTable(VE)).header[20]).toBe("Description");
  });
});

describe("the package", () => {
  test("case-variant duplicate part names are a format error", async () => {
    const parts = unzipSync(SAMPLE);
    const bad = Buffer.from(parts[VE_SHEET])
      .toString("utf8")
      .replace(Q3, '<c r="Q3" s="3"><v>765</v></c>');
    parts["xl/worksheets/Sheet2.xml"] = strToU8(bad);
    expect(() => XlsxBook.fromBytes(zipSync(parts))).toThrow(
      /xl\/worksheets\/sheet2\.xml and xl\/worksheets\/Sheet2\.xml have the same name/
    );
  });

  test("a flipped byte inside a stored part is a format error naming the part (CRC-32)", async () => {
    const parts = unzipSync(SAMPLE);
    const files: Record<string, [Uint8Array, { level: 0 }]> = {};
    for (const [k, v] of Object.entries(parts)) files[k] = [v, { level: 0 }];
    const stored = Buffer.from(zipSync(files));
    const at = stored.indexOf(Buffer.from("<v>165</v>"));
    expect(at).toBeGreaterThan(0);
    stored[at + 3] = "7".charCodeAt(0); // 765: a valid number, only the checksum tells
    await expect(readAll(stored)).rejects.toThrow(
      /xl\/worksheets\/sheet2\.xml is damaged: its checksum \(CRC-32\) does not match/
    );
  });

  test("a flipped bit inside a deflated part is a format error too", async () => {
    const bytes = Buffer.from(SAMPLE);
    const entry = readZip(bytes).find((e) => e.name === VE_SHEET)!;
    const offset = entry.raw.byteOffset + Math.floor(entry.raw.length / 2);
    bytes[offset] ^= 0x10;
    await expect(readAll(bytes)).rejects.toThrow(/xl\/worksheets\/sheet2\.xml is damaged/);
  });

  test("a 5 MB zip bomb ends in a clean error, whatever size it declares", async () => {
    // Deflate blocks of 1 MB of zeros, repeated: 5 MB of zip inflates to about 5 GB.
    const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zc.Z_FULL_FLUSH });
    const count = Math.ceil((5 << 20) / block.length);
    const raw = [...new Array(count).fill(block), deflateRawSync(Buffer.alloc(0))];
    const entries = readZip(SAMPLE);
    for (const size of [0xffffffff, 400 << 20, 1000]) {
      const bomb = writeZip(
        entries.map((e) =>
          e.name === VE_SHEET ? { name: e.name, part: { crc: 0, size, raw } } : { copy: e }
        )
      );
      expect(bomb.length).toBeGreaterThan(5_000_000);
      await expect(readAll(bomb)).rejects.toBeInstanceOf(XlsxFormatError);
    }
  });
});

describe("Excel's grid", () => {
  test("a cell beyond XFD1048576 is a format error", async () => {
    await expect(readAll(withQ3('<c r="ZZZZZZ3" s="3"><v>165</v></c>'))).rejects.toThrow(
      /ZZZZZZ3 is outside Excel's grid/
    );
    await expect(readAll(withQ3('<c r="XFE3" s="3"><v>165</v></c>'))).rejects.toThrow(
      /outside Excel's grid/
    );
  });

  test("a plain sheet with one cell at ZZZZZZ1 errors cleanly; one far down is read sparsely", async () => {
    const sheet = (cells: string) =>
      minimalPackage([
        {
          name: "Data",
          xml: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData></worksheet>`,
        },
      ]);
    const far = XlsxBook.fromBytes(sheet('<row r="1"><c r="ZZZZZZ1"><v>1</v></c></row>'));
    await expect(far.listTables()).rejects.toBeInstanceOf(XlsxFormatError);
    const down = XlsxBook.fromBytes(
      sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>No.</t></is></c></row><row r="1000000"><c r="A1000000"><v>7</v></c></row>'
      )
    );
    const t = await down.readTable({ name: "Data", kind: "sheet", sheet: "Data" });
    expect(t.rows.length).toBe(999_999);
    expect(t.rows[999_998]).toEqual([7]);
    expect(t.rowNumbers[999_998]).toBe(1_000_000);
    // The blank rows are one shared row, not a million arrays.
    expect(new Set(t.rows.slice(0, 1000)).size).toBe(1);
  });

  test("a row or cell reference that cannot be read is a format error, not a dropped row", async () => {
    const row = (r: string) =>
      patched({ [VE_SHEET]: (x) => x.replace('<row r="3" ', `<row r="${r}" `) });
    await expect(readAll(row("x3"))).rejects.toThrow(/unreadable row number r="x3"/);
    await expect(readAll(row("2"))).rejects.toThrow(/row 2 comes after row 2/);
    await expect(readAll(withQ3('<c r="Q" s="3"><v>165</v></c>'))).rejects.toThrow(
      /unreadable reference r="Q"/
    );
    await expect(readAll(withQ3('<c r="Q4" s="3"><v>165</v></c>'))).rejects.toThrow(
      /Q4 is inside row 3/
    );
  });

  test("a row without r is the next row (legal)", async () => {
    const bytes = patched({ [VE_SHEET]: (x) => x.replace('<row r="3" ', "<row ") });
    expect(await costOfEntry2(bytes)).toBe(165);
  });
});

describe("writing", () => {
  test("an .xlsm (macro content type) named .xlsx is refused with what to do", async () => {
    const macro = patched({
      "[Content_Types].xml": (x) =>
        x
          .replace("spreadsheetml.sheet.main+xml", "MACRO")
          .replace(
            "application/vnd.openxmlformats-officedocument.MACRO",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
          ),
    });
    const file = path.join(dir, "book.xlsx");
    writeFileSync(file, macro);
    await expect(XlsxWorkbook.open(file)).rejects.toThrow(
      /holds a macro-enabled workbook \(\.xlsm\) under a \.xlsx name/
    );
    const run = await post(macro);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Excel refuses to open");
    // A plain .xlsx written to an .xlsm name is refused too.
    const plain = path.join(dir, "plain.xlsx");
    writeFileSync(plain, SAMPLE);
    await expect(
      XlsxWorkbook.open(plain, { outputPath: path.join(dir, "out.xlsm") })
    ).rejects.toThrow(/Name the output \.xlsx/);
  });

  test("a posting into a workbook with formulas sets fullCalcOnLoad, so Excel recalculates them", async () => {
    expect(partText(SAMPLE, "xl/workbook.xml")).not.toContain("fullCalcOnLoad");
    const run = await post(SAMPLE);
    expect(run.code).toBe(0);
    const wb = partText(readFileSync(run.output), "xl/workbook.xml");
    expect(wb).toMatch(/<calcPr calcId="171027" fullCalcOnLoad="1"\/>/);
  });

  test("a workbook without formulas gets no calcPr", async () => {
    const bytes = minimalPackage([
      {
        name: "T",
        xml: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>No.</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>`,
      },
    ]);
    const book = XlsxBook.fromBytes(bytes);
    const out = book.toBytes([
      {
        kind: "update",
        table: { name: "T", kind: "sheet", sheet: "T" },
        columns: [{ name: "No.", format: "integer" }],
        updates: [{ row: 0, values: [2] }],
      },
    ]);
    expect(partText(out, "xl/workbook.xml")).not.toContain("calcPr");
  });

  test("names: a header the reader matches loosely (OData escapes) is written to, not added again; a non-ASCII column stays", async () => {
    // "Cost_x0020_Posted_x0020_to_x0020_G_x002F_L" as cell text (OData's escape of the caption), beside
    // "Kostenbetrag für Prüfung".
    const odata = "Cost_x005F_x0020_Posted_x005F_x0020_to_x005F_x0020_G_x005F_x002F_L";
    const bytes = patched({
      "xl/sharedStrings.xml": (x) =>
        x
          .replace("<si><t>Cost Posted to G/L</t></si>", `<si><t>${odata}</t></si>`)
          .replace("<si><t>Description</t></si>", "<si><t>Kostenbetrag für Prüfung</t></si>"),
      "xl/tables/table1.xml": (x) =>
        x
          .replace('name="Cost Posted to G/L"', `name="${odata}"`)
          .replace('name="Description"', 'name="Kostenbetrag für Prüfung"'),
    });
    const book = XlsxBook.fromBytes(bytes);
    const before = await book.readTable(VE);
    expect(before.header[18]).toBe("Cost_x0020_Posted_x0020_to_x0020_G_x002F_L");
    const out = book.toBytes([
      {
        kind: "update",
        table: VE,
        columns: [{ name: "Cost Posted to G/L", format: "money" }],
        updates: [{ row: 1, values: ["165.00"] }],
      },
    ]);
    const after = await XlsxBook.fromBytes(out).readTable(VE);
    expect(after.header).toEqual(before.header);
    expect(after.header[20]).toBe("Kostenbetrag für Prüfung");
    expect(after.rows[1][18]).toBe(165);
  });
});
