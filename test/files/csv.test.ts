import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { CsvFolderWorkbook, detectSeparator, encodeCsvField, parseCsv } from "../../src/files/csv";
import { ConcurrentChangeError, type TableWrite } from "../../src/workbook/port";
import { OUTPUT_TABLES } from "../../src/workbook/outputSchema";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function tempFolder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "csvwb-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files))
    await fs.writeFile(path.join(dir, name), content);
  return dir;
}
const read = (dir: string, file: string) => fs.readFile(path.join(dir, file), "utf8");

describe("parseCsv", () => {
  test("RFC 4180 quoting, escaped quotes, separators and line breaks inside quotes, line numbers", () => {
    const p = parseCsv('a,b,c\n1,"x, y","say ""hi"""\n2,"line1\nline2\nline3",z\n3,,\n');
    expect(p.header).toEqual(["a", "b", "c"]);
    expect(p.rows).toEqual([
      ["1", "x, y", 'say "hi"'],
      ["2", "line1\nline2\nline3", "z"],
      ["3", null, null],
    ]);
    // The header is line 1; the record after a 3-line field starts on line 6.
    expect(p.rowNumbers).toEqual([2, 3, 6]);
    expect(p.style).toEqual({ bom: false, separator: ",", eol: "\n", finalEol: true });
  });

  test("BOM, semicolons, CRLF, no final line end, blank lines kept as blank rows", () => {
    const p = parseCsv('\ufeffEntry No.;Amount\r\n1;"1,5"\r\n\r\n2;3');
    expect(p.header).toEqual(["Entry No.", "Amount"]);
    expect(p.rows).toEqual([["1", "1,5"], [], ["2", "3"]]);
    expect(p.rowNumbers).toEqual([2, 3, 4]);
    expect(p.style).toEqual({
      bom: true,
      separator: ";",
      eol: "\r\n",
      finalEol: false,
      decimalComma: true,
    });
  });

  test("separator detection ignores quoted text; ties go to comma", () => {
    expect(detectSeparator('"a;b;c",d\n')).toBe(",");
    expect(detectSeparator("a;b,c;d\n")).toBe(";");
    expect(detectSeparator("a\tb\tc\n")).toBe("\t");
    expect(detectSeparator("single\n")).toBe(",");
  });

  test("empty file and header only", () => {
    expect(parseCsv("").header).toEqual([]);
    const h = parseCsv("a,b\n");
    expect(h.header).toEqual(["a", "b"]);
    expect(h.rows).toEqual([]);
  });

  test("lenient: an unterminated quote runs to the end, a stray quote in an unquoted field is text", () => {
    expect(parseCsv('a,b\n1,"open\n').rows).toEqual([["1", "open\n"]]);
    expect(parseCsv('a,b\n1,5" pipe\n').rows).toEqual([["1", '5" pipe']]);
  });

  test("encodeCsvField", () => {
    expect(encodeCsvField("plain", ",")).toBe("plain");
    expect(encodeCsvField("a,b", ",")).toBe('"a,b"');
    expect(encodeCsvField("a,b", ";")).toBe("a,b");
    expect(encodeCsvField('say "x"', ",")).toBe('"say ""x"""');
    expect(encodeCsvField("two\nlines", ",")).toBe('"two\nlines"');
    expect(encodeCsvField(true, ",")).toBe("Yes");
    expect(encodeCsvField(false, ",")).toBe("No");
    expect(encodeCsvField(12, ",")).toBe("12");
    expect(encodeCsvField(null, ",")).toBe("");
  });
});

describe("CsvFolderWorkbook", () => {
  const VE =
    'Entry No.,Note,Cost Posted to G/L,Cost Amount (Actual)\n1,"quoted, kept",0,70\n2,"multi\nline",0,10\n3,plain,5,5\n';

  test("lists the CSV files as tables and reads them with CSV line numbers", async () => {
    const dir = await tempFolder({
      "Value Entries.csv": VE,
      "notes.txt": "x",
      "Items.CSV": "No.\nA\n",
    });
    const wb = await CsvFolderWorkbook.open(dir);
    expect(await wb.listTables()).toEqual([
      { name: "Items", kind: "csv" },
      { name: "Value Entries", kind: "csv" },
    ]);
    const t = await wb.readTable({ name: "Value Entries", kind: "csv" });
    expect(t.header).toEqual(["Entry No.", "Note", "Cost Posted to G/L", "Cost Amount (Actual)"]);
    expect(t.rowNumbers).toEqual([2, 3, 5]);
    expect(t.rows[1]).toEqual(["2", "multi\nline", "0", "10"]);
  });

  test("update rewrites only the written fields, keeping quoting, other columns and line ends", async () => {
    const dir = await tempFolder({ "Value Entries.csv": VE });
    const wb = await CsvFolderWorkbook.open(dir);
    await wb.write(
      [
        {
          kind: "update",
          table: { name: "Value Entries", kind: "csv" },
          columns: [{ name: "Cost_Posted_to_G_L", format: "money" }],
          updates: [
            { row: 0, values: ["70.00"] },
            { row: 1, values: ["10.00"] },
          ],
        },
      ],
      null
    );
    expect(await read(dir, "Value Entries.csv")).toBe(
      'Entry No.,Note,Cost Posted to G/L,Cost Amount (Actual)\n1,"quoted, kept",70.00,70\n2,"multi\nline",10.00,10\n3,plain,5,5\n'
    );
  });

  test("update with a new column adds it after the last column and pads every record; semicolons, BOM and CRLF kept", async () => {
    const dir = await tempFolder({
      "Value Entries.csv": "\ufeffEntry No.;Cost Posted to G/L\r\n1;0\r\n2;0\r\n",
    });
    const wb = await CsvFolderWorkbook.open(dir);
    await wb.write(
      [
        {
          kind: "update",
          table: { name: "Value Entries", kind: "csv" },
          columns: [
            { name: "Cost Posted to G/L", format: "money" },
            { name: "Expected Cost Posted to G/L", format: "money" },
          ],
          updates: [{ row: 1, values: ["-80.00", "5.00"] }],
        },
      ],
      null
    );
    expect(await read(dir, "Value Entries.csv")).toBe(
      "\ufeffEntry No.;Cost Posted to G/L;Expected Cost Posted to G/L\r\n1;0;\r\n2;-80.00;5.00\r\n"
    );
  });

  test("append creates the file with a header in the folder style, then extends it; replace keeps header and extra columns", async () => {
    const dir = await tempFolder({ "Value Entries.csv": "Entry No.;X\r\n1;a\r\n" });
    const wb = await CsvFolderWorkbook.open(dir);
    const t = OUTPUT_TABLES.glItemLedgerRelation;
    const append = (rows: (number | string)[][]): TableWrite => ({
      kind: "append",
      names: t.names,
      columns: [...t.columns],
      rows,
    });
    await wb.write(
      [
        append([
          [1, 1, 1],
          [2, 1, 1],
        ]),
      ],
      null
    );
    expect(await read(dir, "GL - Item Ledger Relation.csv")).toBe(
      "G/L Entry No.;Value Entry No.;G/L Register No.\r\n1;1;1\r\n2;1;1\r\n"
    );
    // The adapter now knows the new file; the next append (as planned after a re-read) finds it.
    const ref = (await wb.listTables()).find((r) => r.name === "GL - Item Ledger Relation")!;
    await wb.write([{ ...append([[3, 2, 2]]), existing: ref } as TableWrite], null);
    expect(await read(dir, "GL - Item Ledger Relation.csv")).toBe(
      "G/L Entry No.;Value Entry No.;G/L Register No.\r\n1;1;1\r\n2;1;1\r\n3;2;2\r\n"
    );

    // Replace: the user's extra column "Comment" and the header line stay; data rows are replaced.
    await fs.writeFile(
      path.join(dir, "Skipped Entries.csv"),
      "Value Entry No.;Comment;Reason Code\r\n9;old;X\r\n8;old;Y\r\n"
    );
    const wb2 = await CsvFolderWorkbook.open(dir);
    const s = OUTPUT_TABLES.skippedEntries;
    await wb2.write(
      [
        {
          kind: "replace",
          names: s.names,
          existing: { name: "Skipped Entries", kind: "csv" },
          columns: [
            { name: "Value Entry No.", format: "integer" },
            { name: "Reason Code", format: "text" },
            { name: "Reason", format: "text" },
          ],
          rows: [[3, "ACCOUNT_MISSING", "Inventory Account is missing; fix it"]],
        },
      ],
      null
    );
    expect(await read(dir, "Skipped Entries.csv")).toBe(
      'Value Entry No.;Comment;Reason Code;Reason\r\n3;;ACCOUNT_MISSING;"Inventory Account is missing; fix it"\r\n'
    );
    await wb2.write(
      [
        {
          kind: "replace",
          names: s.names,
          existing: { name: "Skipped Entries", kind: "csv" },
          columns: [...s.columns],
          rows: [],
        },
      ],
      null
    );
    expect((await read(dir, "Skipped Entries.csv")).split("\r\n")).toHaveLength(2);
  });

  test("append to a file without a final line end and with trailing blank lines", async () => {
    const dir = await tempFolder({
      "Value Entries.csv": "a\n1\n",
      "GL Registers.csv": "No.,User ID\n1,ANNA\n\n\n",
    });
    const wb = await CsvFolderWorkbook.open(dir);
    const r = OUTPUT_TABLES.glRegisters;
    await wb.write(
      [
        {
          kind: "append",
          names: r.names,
          existing: { name: "GL Registers", kind: "csv" },
          columns: [
            { name: "No.", format: "integer" },
            { name: "User ID", format: "text" },
          ],
          rows: [[2, "BEN"]],
        },
      ],
      null
    );
    expect(await read(dir, "GL Registers.csv")).toBe("No.,User ID\n1,ANNA\n2,BEN\n");

    const dir2 = await tempFolder({ "GL Registers.csv": "No.,User ID\n1,ANNA" });
    const wb2 = await CsvFolderWorkbook.open(dir2);
    await wb2.write(
      [
        {
          kind: "append",
          names: r.names,
          existing: { name: "GL Registers", kind: "csv" },
          columns: [{ name: "No.", format: "integer" }],
          rows: [[2]],
        },
      ],
      null
    );
    expect(await read(dir2, "GL Registers.csv")).toBe("No.,User ID\n1,ANNA\n2,");
  });

  test("a file changed since it was read: ConcurrentChangeError and nothing written", async () => {
    const dir = await tempFolder({ "Value Entries.csv": VE });
    const wb = await CsvFolderWorkbook.open(dir);
    await fs.writeFile(
      path.join(dir, "Value Entries.csv"),
      VE.replace("3,plain,5,5", "3,plain,6,5")
    );
    const writes: TableWrite[] = [
      {
        kind: "update",
        table: { name: "Value Entries", kind: "csv" },
        columns: [{ name: "Cost Posted to G/L", format: "money" }],
        updates: [{ row: 0, values: ["70.00"] }],
      },
      {
        kind: "append",
        names: OUTPUT_TABLES.glRegisters.names,
        columns: [{ name: "No.", format: "integer" }],
        rows: [[1]],
      },
    ];
    await expect(wb.write(writes, null)).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect((await fs.readdir(dir)).sort()).toEqual(["Value Entries.csv"]);
    expect(await read(dir, "Value Entries.csv")).toContain("3,plain,6,5");
  });

  test("a new CSV file in the folder since it was read is a concurrent change too", async () => {
    const dir = await tempFolder({ "Value Entries.csv": VE });
    const wb = await CsvFolderWorkbook.open(dir);
    await fs.writeFile(path.join(dir, "GL Registers.csv"), "No.\n1\n");
    await expect(
      wb.write(
        [
          {
            kind: "append",
            names: OUTPUT_TABLES.glRegisters.names,
            columns: [{ name: "No.", format: "integer" }],
            rows: [[1]],
          },
        ],
        null
      )
    ).rejects.toThrow(/new: GL Registers\.csv/);
    expect(await read(dir, "GL Registers.csv")).toBe("No.\n1\n");
  });

  test("an output folder gets every CSV file; the input stays as it was", async () => {
    const dir = await tempFolder({ "Value Entries.csv": VE, "Items.csv": "No.\nA\n" });
    const outRoot = await fs.mkdtemp(path.join(os.tmpdir(), "csvout-"));
    dirs.push(outRoot);
    const out = path.join(outRoot, "nested", "out");
    const wb = await CsvFolderWorkbook.open(dir, { outputFolder: out });
    const progress: string[] = [];
    await wb.write(
      [
        {
          kind: "update",
          table: { name: "Value Entries", kind: "csv" },
          columns: [{ name: "Cost Posted to G/L", format: "money" }],
          updates: [{ row: 2, values: ["5.00"] }],
        },
      ],
      null,
      (done, total, what) => progress.push(`${done}/${total} ${what}`)
    );
    expect(await read(dir, "Value Entries.csv")).toBe(VE);
    expect((await fs.readdir(out)).sort()).toEqual(["Items.csv", "Value Entries.csv"]);
    expect(await read(out, "Items.csv")).toBe("No.\nA\n");
    expect(await read(out, "Value Entries.csv")).toBe(VE.replace("3,plain,5,5", "3,plain,5.00,5"));
    expect(progress).toEqual(["1/2 Value Entries.csv", "2/2 Items.csv"]);
    // The workbook now is the output folder.
    expect(wb.location).toBe(out);
    const t = await wb.readTable({ name: "Value Entries", kind: "csv" });
    expect(t.rows[2][2]).toBe("5.00");
  });

  test("open errors name the path", async () => {
    await expect(CsvFolderWorkbook.open("/no/such/folder")).rejects.toThrow("/no/such/folder");
  });
});
