/**
 * Bad input (issue: foundation, "Done when"): each case exits with code 1, names the table, row and column
 * (or the file), writes no output, and leaves the input byte-identical.
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { exampleIn, tempDir, type Format, type Row } from "./formats";

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

function snapshot(p: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (fs.statSync(p).isDirectory())
    for (const f of fs.readdirSync(p)) files.set(f, fs.readFileSync(path.join(p, f)));
  else files.set(path.basename(p), fs.readFileSync(p));
  return files;
}

type Edit = (table: string, rows: Row[]) => Row[];
const onRow =
  (table: string, entryNo: string, change: Row): Edit =>
  (t, rows) =>
    t === table ? rows.map((r) => (r["Entry No."] === entryNo ? { ...r, ...change } : r)) : rows;

// [case, edit of the bike-chain example, what the messages must say]. Row numbers are as a user sees them:
// sheet rows and CSV lines count the header (data row n is row n + 1); JSON counts array positions from 1.
function cases(format: Format): [string, Edit, RegExp[]][] {
  const row = (sheetRow: number) => `row ${format === "json" ? sheetRow - 1 : sheetRow}`;
  return [
    [
      "text in an amount",
      onRow("Value Entries", "3", { "Cost Amount (Actual)": "3,00x" }),
      [
        new RegExp(
          `Value Entries, ${row(4)}, column "Cost Amount \\(Actual\\)": "3,00x" is not a number`
        ),
      ],
    ],
    [
      "an impossible date",
      onRow("Value Entries", "2", { "Posting Date": "2026-02-30" }),
      [new RegExp(`Value Entries, ${row(3)}, column "Posting Date": "2026-02-30"`)],
    ],
    [
      "an unknown option value",
      onRow("Value Entries", "5", { "Entry Type": "Direct Costs" }),
      [new RegExp(`Value Entries, ${row(6)}, column "Entry Type": "Direct Costs"`)],
    ],
    [
      "a missing required column",
      (t, rows) =>
        t === "Value Entries" ? rows.map(({ ["Posting Date"]: _, ...r }) => r as Row) : rows,
      [/Value Entries.*Posting Date/],
    ],
    ["a missing required table", (_t, rows) => rows, [/General Posting Setup/]],
    [
      "a duplicate Entry No.",
      onRow("Value Entries", "7", { "Entry No.": "6" }),
      [new RegExp(`Value Entries, ${row(8)}, column "Entry No\\.": "6"`)],
    ],
    [
      "a duplicate setup key",
      (t, rows) => (t === "Inventory Posting Setup" ? [...rows, rows[0]] : rows),
      [new RegExp(`Inventory Posting Setup, ${row(5)}`), /BLUE.*RAW MAT/],
    ],
    [
      "an amount that needs rounding",
      onRow("Value Entries", "4", { "Cost Amount (Actual)": "-18.005" }),
      [
        new RegExp(
          `Value Entries, ${row(5)}, column "Cost Amount \\(Actual\\)": "-18.005".*rounding`
        ),
      ],
    ],
  ];
}

describe.each(["xlsx", "csv", "json"] as Format[])("bad input on %s", (format) => {
  test.each(cases(format))("%s: exit 1, named, nothing written", async (name, edit, messages) => {
    const input = await exampleIn("bike-chain", format, edit);
    if (name === "a missing required table") {
      // Remove the table itself (not just its rows).
      if (format === "csv") fs.rmSync(path.join(input, "General Posting Setup.csv"));
      else if (format === "json") {
        const obj = JSON.parse(fs.readFileSync(input, "utf8"));
        delete obj["General Posting Setup"];
        fs.writeFileSync(input, JSON.stringify(obj));
      } else {
        const ExcelJS = (await import("exceljs")).default;
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(input);
        wb.removeWorksheet(wb.getWorksheet("General Posting Setup")!.id);
        await wb.xlsx.writeFile(input);
      }
    }
    const before = snapshot(input);
    const out = path.join(tempDir(), format === "csv" ? "posted" : `posted.${format}`);
    const r = await glpost("post", input, "--out", out, "--document-no", "INVT-1");
    expect(r.code).toBe(1);
    for (const m of messages) expect(r.stderr).toMatch(m);
    expect(fs.existsSync(out)).toBe(false);
    // In place, too: the input stays byte-identical.
    const inPlace = await glpost("post", input, "--document-no", "INVT-1", "--json");
    expect(inPlace.code).toBe(1);
    expect(JSON.parse(inPlace.stdout).inputErrors.length).toBeGreaterThan(0);
    expect(snapshot(input)).toEqual(before);
    expect(fs.readdirSync(path.dirname(input)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("files that are not workbooks", () => {
  test.each([
    ["an empty file", Buffer.alloc(0)],
    ["a non-xlsx file named .xlsx", Buffer.from("Entry No.,Posting Date\n1,2026-01-01\n")],
  ])("%s: exit 1 naming the file, nothing written", async (_name, bytes) => {
    const dir = tempDir();
    const input = path.join(dir, "book.xlsx");
    fs.writeFileSync(input, bytes);
    const out = path.join(dir, "out.xlsx");
    const r = await glpost("post", input, "--out", out, "--document-no", "X");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("book.xlsx");
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readFileSync(input)).toEqual(bytes);
  });
  test("an empty JSON file and broken JSON: exit 1 naming the file", async () => {
    const dir = tempDir();
    for (const text of ["", '{"Value Entries": [']) {
      const input = path.join(dir, "book.json");
      fs.writeFileSync(input, text);
      const r = await glpost("post", input, "--document-no", "X");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("book.json");
      expect(fs.readFileSync(input, "utf8")).toBe(text);
    }
  });
});

describe("usage errors: exit 2", () => {
  test.each([
    [["post"], /needs an <input>/],
    [["post", "x.xlsx", "--method", "fifo"], /--method must be entry or group/],
    [["post", "x.xlsx", "--bogus"], /"--bogus" is not an option/],
    [["frobnicate"], /Unknown command/],
  ])("%j", async (argv, message) => {
    const r = await glpost(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
  test("document no. rules, in BC wording", async () => {
    const input = await exampleIn("fifo-purchase-sale", "csv");
    const before = snapshot(input);
    const a = await glpost("post", input);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("Please enter a Document No. when posting per Posting Group.");
    const b = await glpost("post", input, "--method", "entry", "--document-no", "X");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("Do not enter a Document No. when posting per Entry.");
    expect(snapshot(input)).toEqual(before);
  });
});
