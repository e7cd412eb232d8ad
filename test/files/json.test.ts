import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { isoToDay } from "../../src/engine/dates";
import { postInventoryCostToGL } from "../../src/engine/post";
import { JsonWorkbook, parseJsonWorkbook, toJsonValue } from "../../src/files/json";
import { OUTPUT_TABLES } from "../../src/workbook/outputSchema";
import { planWrites } from "../../src/workbook/outputs";
import { ConcurrentChangeError } from "../../src/workbook/port";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { makeWriteGuard } from "../../src/workbook/readContext";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});
async function tempFile(content: unknown, name = "book.json"): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "jsonwb-"));
  dirs.push(dir);
  const file = path.join(dir, name);
  await fs.writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const BOOK = {
  Comment: [{ text: "kept as it is" }],
  "Value Entries": [
    // The posting-group keys are required (blank means blank); a key in one record makes the column.
    {
      "Entry No.": 1,
      "Posting Date": "2020-01-01",
      "Item Ledger Entry Type": "Purchase",
      "Entry Type": "Direct Cost",
      "Location Code": "",
      "Inventory Posting Group": "",
      "Gen. Bus. Posting Group": "",
      "Gen. Prod. Posting Group": "",
      "Cost Amount (Actual)": 70,
      "Cost Posted to G/L": 0,
      extra: { a: 1 },
    },
    null,
    {
      "Entry No.": 2,
      "Posting Date": "2020-01-01",
      "Item Ledger Entry Type": "Purchase",
      "Entry Type": "Indirect Cost",
      "Cost Amount (Actual)": "10.00",
      "Cost Posted to G/L": 0,
    },
    {
      "Entry No.": 3,
      "Posting Date": "2020-01-15",
      "Item Ledger Entry Type": "Sale",
      "Entry Type": "Direct Cost",
      "Cost Amount (Actual)": -80,
      "Cost Posted to G/L": 0,
      "Expected Cost": false,
    },
  ],
  "Inventory Posting Setup": [
    { "Location Code": "", "Invt. Posting Group Code": "", "Inventory Account": "2130" },
  ],
  "General Posting Setup": [
    {
      "Gen. Bus. Posting Group": "",
      "Gen. Prod. Posting Group": "",
      "COGS Account": "7290",
      "Direct Cost Applied Account": "7291",
      "Overhead Applied Account": "7292",
    },
  ],
};

describe("parseJsonWorkbook", () => {
  test("clear errors naming the file", () => {
    expect(() => parseJsonWorkbook('{ "a": [', "x.json")).toThrow(/^x\.json is not valid JSON/);
    expect(() => parseJsonWorkbook("[1]", "x.json")).toThrow(
      'x.json must hold a JSON object of tables ({ "<table name>": [ {...}, ... ] }), not an array.'
    );
    expect(() => parseJsonWorkbook('{"Items": {"No.": "A"}}', "x.json")).toThrow(
      'x.json: "Items" must be an array of records ({ "<column>": value }), not an object.'
    );
    expect(() => parseJsonWorkbook('{"Items": [1]}', "x.json")).toThrow(
      'x.json: "Items" item 1 must be an object ({ "<column>": value }), not a number.'
    );
    expect(parseJsonWorkbook('\ufeff{"Items": []}', "x.json")).toEqual({ Items: [] });
  });
  test("toJsonValue", () => {
    expect(toJsonValue("165.00", "money")).toBe(165);
    expect(toJsonValue("-0.05", "money")).toBe(-0.05);
    expect(toJsonValue(7, "integer")).toBe(7);
    expect(toJsonValue("2026-01-31", "date")).toBe("2026-01-31");
    expect(toJsonValue(true, "boolean")).toBe(true);
    expect(toJsonValue(null, "money")).toBeNull();
  });
});

describe("JsonWorkbook", () => {
  test("reads tables: header = keys in order of first appearance, row numbers = position + 1, null = blank row", async () => {
    const wb = await JsonWorkbook.open(await tempFile(BOOK));
    expect((await wb.listTables()).map((t) => t.name)).toEqual([
      "Comment",
      "Value Entries",
      "Inventory Posting Setup",
      "General Posting Setup",
    ]);
    const t = await wb.readTable({ name: "Value Entries", kind: "json" });
    expect(t.header).toEqual([
      "Entry No.",
      "Posting Date",
      "Item Ledger Entry Type",
      "Entry Type",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Cost Amount (Actual)",
      "Cost Posted to G/L",
      "extra",
      "Expected Cost",
    ]);
    expect(t.rowNumbers).toEqual([1, 2, 3, 4]);
    expect(t.rows[0]).toEqual([
      1,
      "2020-01-01",
      "Purchase",
      "Direct Cost",
      "",
      "",
      "",
      "",
      70,
      0,
      '{"a":1}',
      null,
    ]);
    expect(t.rows[1]).toEqual([]);
    expect(t.rows[3][11]).toBe(false);
  });

  test("a posting run: numbers for money, ISO dates, booleans; unknown keys and key order kept; compact like the input", async () => {
    const file = await tempFile(BOOK);
    const wb = await JsonWorkbook.open(file);
    const read = await readPostingInput(wb);
    expect(read.errors.map(formatInputError)).toEqual([]);
    expect(read.context.valueEntryRows).toEqual([0, 2, 3]);
    const result = postInventoryCostToGL(read.input!, {
      postingMethod: "per Entry",
      documentNo: "",
      post: true,
      itemFilter: "",
      dateFilter: "",
      now: { date: isoToDay("2026-02-01")!, time: "09:00:00" },
      userId: "TEST",
    });
    await wb.write(
      planWrites(result, read.input!, read.context, null),
      makeWriteGuard(read.context)
    );
    const text = await fs.readFile(file, "utf8");
    expect(text.startsWith('{"Comment":[{"text":"kept as it is"')).toBe(true);
    const out = JSON.parse(text);
    expect(Object.keys(out)).toEqual([
      "Comment",
      "Value Entries",
      "Inventory Posting Setup",
      "General Posting Setup",
      "G/L Entries",
      "G/L - Item Ledger Relation",
      "G/L Register Changes",
      "G/L Registers",
      "Skipped Entries",
    ]);
    expect(out["Value Entries"][0]).toEqual({
      ...BOOK["Value Entries"][0],
      "Cost Posted to G/L": 70,
    });
    expect(Object.keys(out["Value Entries"][0])).toEqual(Object.keys(BOOK["Value Entries"][0]!));
    expect(out["Value Entries"][1]).toBeNull();
    expect(out["Value Entries"][2]["Cost Posted to G/L"]).toBe(10);
    expect(out["Value Entries"][3]["Cost Posted to G/L"]).toBe(-80);
    expect(out["G/L Entries"]).toHaveLength(6);
    expect(out["G/L Entries"][0]).toMatchObject({
      "Entry No.": 1,
      "Posting Date": "2020-01-01",
      "G/L Account No.": "2130",
      Amount: 70,
      "Debit Amount": 70,
      "Credit Amount": 0,
      "System-Created Entry": true,
      "Inventory Account Type": "Inventory",
    });
    expect(out["G/L Entries"].map((g: { Amount: number }) => g.Amount)).toEqual([
      70, -70, 10, -10, -80, 80,
    ]);
    expect(out["G/L Registers"][0]).toMatchObject({
      "No.": 1,
      "From Entry No.": 1,
      "To Entry No.": 6,
      "Creation Date": "2026-02-01",
      "Amount Posted": 160,
    });
    expect(out["Skipped Entries"]).toEqual([]);

    // A second run reads what was written and posts nothing.
    const again = await readPostingInput(await JsonWorkbook.open(file));
    expect(again.errors).toEqual([]);
    expect(again.input!.existing).toMatchObject({ lastGLEntryNo: 6, lastRegisterNo: 1 });
  });

  test("appends keep the spelling of an existing table and its columns", async () => {
    const file = await tempFile({ GLEntries: [{ entry_no: 1, amount: 5, note: "x" }] });
    const wb = await JsonWorkbook.open(file);
    const t = OUTPUT_TABLES.glEntries;
    await wb.write(
      [
        {
          kind: "append",
          names: t.names,
          columns: [
            { name: "Entry No.", format: "integer" },
            { name: "Amount", format: "money" },
            { name: "Posting Date", format: "date" },
          ],
          rows: [[2, "-5.00", "2026-01-31"]],
        },
      ],
      null
    );
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual({
      GLEntries: [
        { entry_no: 1, amount: 5, note: "x" },
        { entry_no: 2, amount: -5, "Posting Date": "2026-01-31" },
      ],
    });
  });

  test("guard: a file changed since it was read is not overwritten", async () => {
    const file = await tempFile(BOOK);
    const wb = await JsonWorkbook.open(file);
    await fs.writeFile(file, JSON.stringify({ ...BOOK, Comment: [] }));
    await expect(
      wb.write(
        [
          {
            kind: "replace",
            names: OUTPUT_TABLES.skippedEntries.names,
            columns: [...OUTPUT_TABLES.skippedEntries.columns],
            rows: [],
          },
        ],
        null
      )
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(JSON.parse(await fs.readFile(file, "utf8")).Comment).toEqual([]);
    expect(await fs.readdir(path.dirname(file))).toEqual(["book.json"]);
  });

  test("an output path leaves the input as it was", async () => {
    const file = await tempFile(BOOK);
    const out = path.join(path.dirname(file), "out", "posted.json");
    const wb = await JsonWorkbook.open(file, { outputPath: out });
    await wb.write(
      [
        {
          kind: "replace",
          names: OUTPUT_TABLES.skippedEntries.names,
          columns: [{ name: "Value Entry No.", format: "integer" }],
          rows: [[3]],
        },
      ],
      null
    );
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual(BOOK);
    expect(JSON.parse(await fs.readFile(out, "utf8"))["Skipped Entries"]).toEqual([
      { "Value Entry No.": 3 },
    ]);
    expect(wb.location).toBe(out);
  });

  test("open errors name the file", async () => {
    await expect(JsonWorkbook.open(await tempFile("not json", "bad.json"))).rejects.toThrow(
      /bad\.json is not valid JSON/
    );
    await expect(JsonWorkbook.open("/no/such/file.json")).rejects.toThrow("/no/such/file.json");
  });
});
