/**
 * glpost undo (cli.md; workbook.md, Safety: undo of the last run) on the bike-chain example in every format:
 * after post + undo the input's tables are back cell by cell (read with the independent readers of formats.ts,
 * and byte for byte for the CSV Value Entries), posted cells that were blank, "0" and "0.00" before come back
 * so; only a register with no later one can be undone; run, undo, run again gives the first run's G/L entries.
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { csvRecords, exampleIn, FORMATS, readTable, type Format, type Row } from "./formats";

async function glpost(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    tty: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const INPUT_TABLES = [
  "Value Entries",
  "Inventory Posting Setup",
  "General Posting Setup",
  "Items",
  "GL Accounts",
  "Settings",
];
const LEDGER_TABLES = [
  "G/L Entries",
  "G/L - Item Ledger Relation",
  "G/L Registers",
  "G/L Register Changes",
];

/** Entry 1's Expected Cost Posted to G/L blank, entry 2's Cost Posted to G/L "0.00", the rest "0" (as the example has them). */
function mixedPostedCells(table: string, rows: Row[]): Row[] {
  if (table !== "Value Entries") return rows;
  rows[0]["Expected Cost Posted to G/L"] = "";
  rows[1]["Cost Posted to G/L"] = "0.00";
  return rows;
}

const loose = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** A cell as formats.ts readTable shows it (numbers as JS number text, dates ISO). */
function xlsxText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object" && "result" in v)
    return xlsxText((v as { result: ExcelJS.CellValue }).result);
  if (typeof v === "object" && "richText" in v)
    return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
  return String(v);
}

/** Every table of the test, read independently of the adapters (an .xlsx loaded once with exceljs). */
async function snapshot(input: string, format: Format): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  if (format !== "xlsx") {
    for (const t of [...INPUT_TABLES, ...LEDGER_TABLES]) out[t] = await readTable(input, format, t);
    return out;
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  for (const t of [...INPUT_TABLES, ...LEDGER_TABLES]) {
    const ws = wb.worksheets.find((w) => loose(w.name) === loose(t));
    const rows: Row[] = [];
    if (ws) {
      const header: string[] = [];
      ws.getRow(1).eachCell(
        { includeEmpty: true },
        (c, col) => (header[col - 1] = xlsxText(c.value))
      );
      for (let r = 2; r <= ws.rowCount; r++) {
        const row = ws.getRow(r);
        const rec: Row = {};
        let any = false;
        header.forEach((h, i) => {
          const text = xlsxText(row.getCell(i + 1).value);
          if (text !== "") any = true;
          rec[h] = text;
        });
        if (any) rows.push(rec);
      }
    }
    out[t] = rows;
  }
  return out;
}

const methodArgs = (m: "entry" | "group") =>
  m === "entry" ? ["--method", "entry"] : ["--document-no", "INVT-1"];

describe.each(FORMATS)("glpost undo (%s)", (format) => {
  test.each(["entry", "group"] as const)(
    "post per %s, then undo: the input tables are back cell by cell",
    async (method) => {
      const input = await exampleIn("bike-chain", format, mixedPostedCells);
      const before = await snapshot(input, format);
      const veFile = format === "csv" ? path.join(input, "Value Entries.csv") : null;
      const veBytes = veFile ? fs.readFileSync(veFile) : null;
      expect(before["Value Entries"][0]["Expected Cost Posted to G/L"]).toBe("");

      const p = await glpost("post", input, ...methodArgs(method));
      expect(p.code).toBe(0);
      const posted = await snapshot(input, format);
      expect(posted["G/L Registers"]).toHaveLength(1);
      // Every one of the 14 value entries changed (the example posts all of them).
      expect(posted["Value Entries"]).not.toEqual(before["Value Entries"]);

      const u = await glpost("undo", input, "--json");
      expect(u.stderr).toContain("G/L Register 1 undone");
      expect(u.code).toBe(0);
      const s = JSON.parse(u.stdout);
      // Per Entry: 34 G/L entries (expected-gl-per-entry.csv has 34 lines); every value entry restored.
      expect(s).toEqual({
        registerNo: 1,
        glEntriesRemoved: method === "entry" ? 34 : posted["G/L Entries"].length,
        valueEntriesRestored: 14,
      });

      const after = await snapshot(input, format);
      for (const t of INPUT_TABLES) expect([t, after[t]]).toEqual([t, before[t]]);
      // The ledger tables the run created are left empty (header only), as the input had none.
      for (const t of LEDGER_TABLES) expect([t, after[t]]).toEqual([t, []]);
      if (veFile) expect(fs.readFileSync(veFile).equals(veBytes!)).toBe(true);
    }
  );

  test("run, undo, run again: the same G/L entries, relations and register numbers as the first run", async () => {
    const input = await exampleIn("bike-chain", format);
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    const first = await snapshot(input, format);
    expect((await glpost("undo", input)).code).toBe(0);
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    const second = await snapshot(input, format);
    expect(second["G/L Entries"]).toEqual(first["G/L Entries"]);
    expect(second["G/L - Item Ledger Relation"]).toEqual(first["G/L - Item Ledger Relation"]);
    expect(second["Value Entries"]).toEqual(first["Value Entries"]);
    const core = (r: Row) => [
      r["No."],
      r["From Entry No."],
      r["To Entry No."],
      r["Posting Method"],
    ];
    expect(second["G/L Registers"].map(core)).toEqual([["1", "1", "34", "per Entry"]]);
    expect(first["G/L Registers"].map(core)).toEqual(second["G/L Registers"].map(core));
  });
});

/** Bike-chain as JSON, posted up to entry 7 (register 1), then the rest (register 2). */
async function twoRegisters(): Promise<{
  input: string;
  original: Record<string, Row[]>;
  afterFirst: Record<string, Row[]>;
}> {
  const input = await exampleIn("bike-chain", "json");
  const original = await snapshot(input, "json");
  expect(
    (await glpost("post", input, "--document-no", "INVT-1", "--date", "..2026-01-12")).code
  ).toBe(0);
  const afterFirst = await snapshot(input, "json");
  expect(afterFirst["G/L Registers"]).toHaveLength(1);
  expect((await glpost("post", input, "--document-no", "INVT-2")).code).toBe(0);
  expect(await readTable(input, "json", "G/L Registers")).toHaveLength(2);
  return { input, original, afterFirst };
}

describe("glpost undo: which register", () => {
  test("a register with a later one is refused (exit 1) naming the later register; nothing is changed", async () => {
    const { input } = await twoRegisters();
    const bytes = fs.readFileSync(input);
    const r = await glpost("undo", input, "--register", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "G/L Register 1 cannot be undone: G/L Register 2 was posted after it"
    );
    expect(fs.readFileSync(input).equals(bytes)).toBe(true);
    const j = await glpost("undo", input, "--register", "1", "--json");
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).error).toContain("G/L Register 2");
  });

  test("the last first, then the one before: each undo gives back the workbook as before that run", async () => {
    const { input, original, afterFirst } = await twoRegisters();
    expect((await glpost("undo", input, "--register", "2")).code).toBe(0);
    const back1 = await snapshot(input, "json");
    for (const t of [...INPUT_TABLES, ...LEDGER_TABLES])
      expect([t, back1[t]]).toEqual([t, afterFirst[t]]);
    expect((await glpost("undo", input)).code).toBe(0);
    const back0 = await snapshot(input, "json");
    for (const t of INPUT_TABLES) expect([t, back0[t]]).toEqual([t, original[t]]);
    for (const t of LEDGER_TABLES) expect(back0[t]).toEqual([]);
    const none = await glpost("undo", input);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no run to undo");
  });

  test("an unknown register is refused naming those there are; --register must be a number (exit 2)", async () => {
    const { input } = await twoRegisters();
    const r = await glpost("undo", input, "--register", "7");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("G/L Registers has no register 7 (it holds 1 and 2)");
    expect((await glpost("undo", input, "--register", "last")).code).toBe(2);
  });

  test("a register posted before G/L Register Changes existed is undone by amounts, and says so", async () => {
    const input = await exampleIn("bike-chain", "json");
    const original = await snapshot(input, "json");
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    const book = JSON.parse(fs.readFileSync(input, "utf8"));
    delete book["G/L Register Changes"];
    fs.writeFileSync(input, JSON.stringify(book));
    const r = await glpost("undo", input);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("by amounts");
    // The example's posted cells are 0 (numbers in this JSON): by amounts they come back as 0.
    const after = await snapshot(input, "json");
    expect(after["Value Entries"]).toEqual(original["Value Entries"]);
    expect(after["G/L Entries"]).toEqual([]);
  });

  test("a per Posting Group register without G/L Register Changes whose lines sum several entries is refused", async () => {
    // Entry 15: a second indirect cost like entry 3 (same date, groups, accounts): per Posting Group one line sums both.
    const input = await exampleIn("bike-chain", "json", (t, rows) =>
      t === "Value Entries"
        ? [...rows, { ...rows[2], "Entry No.": "15", "Cost Amount (Actual)": "4" }]
        : rows
    );
    expect((await glpost("post", input, "--document-no", "INVT-1")).code).toBe(0);
    const book = JSON.parse(fs.readFileSync(input, "utf8"));
    delete book["G/L Register Changes"];
    fs.writeFileSync(input, JSON.stringify(book));
    const bytes = fs.readFileSync(input);
    const r = await glpost("undo", input);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot be told");
    expect(fs.readFileSync(input).equals(bytes)).toBe(true);
  });
});

test("the example CSV has the posted columns this test relies on", () => {
  const rows = csvRecords(
    path.join(__dirname, "..", "fixtures", "examples", "bike-chain", "Value Entries.csv")
  );
  expect(rows).toHaveLength(14);
  expect(
    rows.every((r) => r["Cost Posted to G/L"] === "0" && r["Expected Cost Posted to G/L"] === "0")
  ).toBe(true);
});

describe("glpost undo and repair share the roll back", () => {
  test('repair rolls an interrupted run back with the cells G/L Register Changes recorded ("0" stays "0", not "0.00")', async () => {
    const input = await exampleIn("bike-chain", "csv", mixedPostedCells);
    const veFile = path.join(input, "Value Entries.csv");
    const veBytes = fs.readFileSync(veFile);
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    // Cut as a run stopped before its register row and with its last G/L entry lost: not whole, so rolled back.
    const cut = (file: string, keep: (lines: string[]) => string[]) => {
      const f = path.join(input, file);
      fs.writeFileSync(
        f,
        keep(
          fs
            .readFileSync(f, "utf8")
            .split("\n")
            .filter((l) => l !== "")
        ).join("\n") + "\n"
      );
    };
    cut("GL Registers.csv", (l) => l.slice(0, 1));
    cut("GL Entries.csv", (l) => l.slice(0, -1));
    const r = await glpost("repair", input, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      action: "rolledBack",
      registerNo: 1,
      valueEntries: 14,
    });
    expect(fs.readFileSync(veFile).equals(veBytes)).toBe(true);
    expect(csvRecords(path.join(input, "GL Register Changes.csv"))).toEqual([]);
  });

  test("a decimal-comma semicolon CSV comes back byte for byte", async () => {
    const input = await exampleIn("bike-chain", "csv");
    const veFile = path.join(input, "Value Entries.csv");
    // The file as a day-first locale's Excel saves it: semicolons, decimal commas; posted cells "0,00" and one blank.
    const lines = fs
      .readFileSync(veFile, "utf8")
      .split("\n")
      .filter((l) => l !== "");
    const header = lines[0].split(",");
    const posted = [
      header.indexOf("Cost Posted to G/L"),
      header.indexOf("Expected Cost Posted to G/L"),
    ];
    const out = lines.map((l, i) => {
      const cells = l.split(",");
      if (i > 0) {
        posted.forEach((c) => (cells[c] = "0,00"));
        if (i === 3) cells[posted[1]] = "";
        cells[header.indexOf("Cost Amount (Actual)")] =
          cells[header.indexOf("Cost Amount (Actual)")] + ",00";
      }
      return cells.join(";");
    });
    fs.writeFileSync(veFile, out.join("\r\n") + "\r\n");
    const bytes = fs.readFileSync(veFile);
    const p = await glpost("post", input, "--method", "entry");
    expect(p.stderr).toContain("G/L Register 1");
    expect(fs.readFileSync(veFile).equals(bytes)).toBe(false);
    expect((await glpost("undo", input)).code).toBe(0);
    expect(fs.readFileSync(veFile, "utf8")).toBe(bytes.toString("utf8"));
  });

  test("with an interrupted run in the workbook undo is refused and points to repair", async () => {
    const input = await exampleIn("bike-chain", "json");
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    const book = JSON.parse(fs.readFileSync(input, "utf8"));
    book["G/L Registers"] = [];
    fs.writeFileSync(input, JSON.stringify(book));
    const r = await glpost("undo", input);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("glpost repair");
  });
});

test("G/L Register Changes holding only some of a register's cells (a live workbook cut inside that append): the rest by amounts", async () => {
  const input = await exampleIn("bike-chain", "json");
  const original = await snapshot(input, "json");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const book = JSON.parse(fs.readFileSync(input, "utf8"));
  const changes = book["G/L Register Changes"] as unknown[];
  expect(changes.length).toBeGreaterThan(14);
  book["G/L Register Changes"] = changes.slice(0, 5);
  fs.writeFileSync(input, JSON.stringify(book));
  const r = await glpost("undo", input, "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    registerNo: 1,
    glEntriesRemoved: 34,
    valueEntriesRestored: 14,
  });
  const after = await snapshot(input, "json");
  for (const t of INPUT_TABLES) expect([t, after[t]]).toEqual([t, original[t]]);
  for (const t of LEDGER_TABLES) expect(after[t]).toEqual([]);
});

test("undo --out writes the undone workbook elsewhere and leaves the input as it was", async () => {
  const input = await exampleIn("bike-chain", "json");
  const original = await snapshot(input, "json");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const posted = fs.readFileSync(input);
  const out = path.join(path.dirname(input), "undone.json");
  expect((await glpost("undo", input, "--out", out)).code).toBe(0);
  expect(fs.readFileSync(input).equals(posted)).toBe(true);
  const after = await snapshot(out, "json");
  for (const t of INPUT_TABLES) expect([t, after[t]]).toEqual([t, original[t]]);
});
