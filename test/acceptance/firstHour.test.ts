/**
 * Issue 12, the first hour with one's own workbook: glpost init, pasting Business Central rows into it, the
 * run's trial balance (CLI, --json, Run Summary table), and check / --dry-run leaving the input untouched.
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { INPUT_TABLES } from "../../src/workbook/schema";
import {
  cents,
  csvRecords,
  EXAMPLES,
  exampleIn,
  FORMATS,
  readTable,
  tempDir,
  type Format,
} from "./formats";

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

const BIKE = path.join(EXAMPLES, "bike-chain");
const expectedGl = () => csvRecords(path.join(BIKE, "expected-gl-per-entry.csv"));
const loose = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Every file of an input (a folder's files, or the one file) as bytes. */
function snapshot(p: string): Record<string, string> {
  if (fs.statSync(p).isDirectory())
    return Object.fromEntries(
      fs
        .readdirSync(p)
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(p, f)).toString("base64")])
    );
  return { [path.basename(p)]: fs.readFileSync(p).toString("base64") };
}

describe("glpost init", () => {
  test("an .xlsx with every input table as an Excel table with its columns, Settings with the defaults and a README", async () => {
    const file = path.join(tempDir(), "mine.xlsx");
    const r = await glpost("init", file);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`glpost check ${file} --method entry`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    for (const t of INPUT_TABLES) {
      const ws = wb.worksheets.find((w) => loose(w.name) === loose(t.name));
      expect(ws).toBeDefined();
      const tables = Object.keys((ws as unknown as { tables: Record<string, unknown> }).tables);
      expect(tables.map(loose)).toEqual([loose(t.name)]);
      const header: string[] = [];
      ws!.getRow(1).eachCell((c) => void header.push(String(c.value)));
      expect(header).toEqual(t.columns.map((c) => c.name));
    }
    const settings = await readTable(file, "xlsx", "Settings");
    expect(settings).toContainEqual({ Setting: "Source Code", Value: "INVTPCOST" });
    expect(settings).toContainEqual({ Setting: "Amount Rounding Precision", Value: "0.01" });
    expect(settings).toContainEqual({ Setting: "Expected Cost Posting to G/L", Value: "No" });
    const readme = await readTable(file, "xlsx", "README");
    // Required columns are marked, with why; each table says where it comes from in BC.
    expect(
      readme.find((x) => x.Table === "Value Entries" && x.Column === "Cost Posted to G/L")
    ).toMatchObject({ Required: "Yes" });
    expect(
      readme.find((x) => x.Table === "Value Entries" && x.Column === "Expected Cost Posted to G/L")
        ?.Required
    ).toMatch(/^When: /);
    expect(
      readme.find((x) => x.Table === "Value Entries" && x.Column === "Item No.")?.Required
    ).toBe("");
    const tableRow = (t: string) =>
      readme.find((x) => x.Table === t && x.Column === "")!["What goes here"];
    expect(tableRow("Value Entries")).toContain("table 5802");
    expect(tableRow("Inventory Posting Setup")).toContain("table 5813");
    expect(tableRow("General Posting Setup")).toContain("table 252");
    expect(tableRow("G/L Accounts")).toContain("table 15");
    expect(tableRow("Items")).toContain("table 27");
    expect(readme.find((x) => x.Table === "Settings")!["What goes here"]).toMatch(
      /table 313.*table 98/
    );
  });

  test("never overwrites: an existing file or a folder that is not empty is refused (exit 2), unchanged", async () => {
    const dir = tempDir();
    const file = path.join(dir, "book.xlsx");
    fs.writeFileSync(file, "mine");
    const r = await glpost("init", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists");
    expect(fs.readFileSync(file, "utf8")).toBe("mine");
    const json = await glpost("init", file.replace(/xlsx$/, "json"), "--json");
    expect(json.code).toBe(0);
    expect((await glpost("init", file.replace(/xlsx$/, "json"), "--json")).stdout).toContain(
      '"usageError"'
    );
    fs.writeFileSync(path.join(dir, "sub.txt"), "");
    expect((await glpost("init", dir)).code).toBe(2);
  });

  test.each(FORMATS)(
    "a blank init workbook (%s) posts nothing, with exit 0 and no input error",
    async (format: Format) => {
      const dir = tempDir();
      const target = path.join(dir, format === "csv" ? "book" : `book.${format}`);
      expect((await glpost("init", target)).code).toBe(0);
      const check = await glpost("check", target, "--method", "entry", "--json");
      expect(check.code).toBe(0);
      expect(JSON.parse(check.stdout).lines).toEqual([]);
      const r = await glpost("post", target, "--method", "entry", "--json");
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s).toMatchObject({
        glEntries: 0,
        registerNo: null,
        entries: { posted: 0, skipped: 0 },
      });
      expect(s.message).toBe("There is nothing to post to the general ledger.");
      expect(s.trialBalance).toEqual({
        accounts: [],
        byDate: [],
        totals: { debit: "0.00", credit: "0.00", net: "0.00" },
        balanced: true,
      });
    }
  );

  test("after pasting the bike-chain rows into it (exceljs), it posts the expected G/L entries per Entry", async () => {
    const file = path.join(tempDir(), "bike.xlsx");
    expect((await glpost("init", file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    for (const f of fs
      .readdirSync(BIKE)
      .filter((x) => x.endsWith(".csv") && !x.startsWith("expected"))) {
      const rows = csvRecords(path.join(BIKE, f));
      const ws = wb.worksheets.find((w) => loose(w.name) === loose(f.slice(0, -4)))!;
      const header: string[] = [];
      ws.getRow(1).eachCell((c, col) => void (header[col - 1] = String(c.value)));
      if (loose(ws.name) === "settings") {
        // The defaults are there already: paste the values over them.
        for (const r of rows) {
          let found = false;
          ws.eachRow((row) => {
            if (row.getCell(1).value === r["Setting"])
              [row.getCell(2).value, found] = [r["Value"], true];
          });
          expect(found).toBe(true);
        }
        continue;
      }
      // Columns the new table lacks (Items' Description and Gen. Prod. Posting Group, not read) are left out.
      // As a user pastes: values under the columns of the same name, then the table grown over them.
      rows.forEach((r, i) => {
        const row = ws.getRow(2 + i);
        header.forEach((h, c) => {
          const k = Object.keys(r).find((x) => loose(x) === loose(h));
          const v = k === undefined ? "" : r[k];
          row.getCell(c + 1).value =
            v === ""
              ? null
              : /^-?\d+(\.\d+)?$/.test(v)
                ? Number(v)
                : /^\d{4}-\d\d-\d\d$/.test(v)
                  ? new Date(`${v}T00:00:00Z`)
                  : v;
        });
      });
      const table = ws.getTable(
        Object.keys((ws as unknown as { tables: Record<string, unknown> }).tables)[0]
      );
      const model = (table as unknown as { table: { tableRef: string; autoFilterRef?: string } })
        .table;
      const ref = model.tableRef.replace(/\d+$/, String(rows.length + 1));
      model.tableRef = ref;
      if (model.autoFilterRef !== undefined) model.autoFilterRef = ref;
    }
    await wb.xlsx.writeFile(file);

    const r = await glpost("post", file, "--method", "entry", "--json");
    expect(r.stderr).not.toContain("input error");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ glEntries: 34, registerNo: 1, entries: { posted: 14, skipped: 0 } });
    const gl = await readTable(file, "xlsx", "G/L Entries");
    const want = expectedGl();
    expect(
      gl.map((l) => [
        l["Posting Date"],
        l["Document No."],
        l["G/L Account No."],
        l["Inventory Account Type"],
        l["Bal. Account Type"],
        cents(l["Amount"]),
      ])
    ).toEqual(
      want.map((w) => [
        w["Posting Date"],
        w["Document No."],
        w["G/L Account No."],
        w["Inventory Account Type"],
        w["Bal. Account Type"],
        cents(w["Amount"]),
      ])
    );

    // The trial balance: per account as the expected entries sum by hand, balanced, and as a Run Summary table.
    const perAccount = new Map<string, number>();
    for (const w of want)
      perAccount.set(
        w["G/L Account No."],
        (perAccount.get(w["G/L Account No."]) ?? 0) + cents(w["Amount"])
      );
    const tb = s.trialBalance as {
      accounts: { no: string; net: string; debit: string; credit: string }[];
      byDate: { date: string; net: string }[];
      balanced: boolean;
    };
    expect(new Map(tb.accounts.map((a) => [a.no, cents(a.net)]))).toEqual(perAccount);
    for (const a of tb.accounts) expect(cents(a.debit) - cents(a.credit)).toBe(cents(a.net));
    expect(tb.byDate.map((d) => d.date)).toEqual(
      [...new Set(want.map((w) => w["Posting Date"]))].sort()
    );
    expect(tb.byDate.every((d) => cents(d.net) === 0)).toBe(true);
    expect(tb.balanced).toBe(true);
    const summary = await readTable(file, "xlsx", "Run Summary");
    const accountRows = summary.filter((x) => x.Line === "G/L Account");
    expect(new Map(accountRows.map((x) => [x["G/L Account No."], cents(x["Net Change"])]))).toEqual(
      perAccount
    );
    expect(summary.find((x) => x.Line === "Total")).toMatchObject({
      Balanced: "Yes",
      "G/L Register No.": "1",
    });
    expect(
      summary
        .filter((x) => x.Line === "Posting Date")
        .every((x) => x.Balanced === "Yes" && cents(x["Net Change"]) === 0)
    ).toBe(true);
  });
});

describe("check and post --dry-run without --out never modify the input", () => {
  test.each(FORMATS)(
    "%s: byte-identical; the report and the trial balance printed; --out writes them",
    async (format: Format) => {
      const input = await exampleIn("bike-chain", format, (table, rows) =>
        // One entry without its setup row: it is skipped, so the skipped list has something to show.
        table === "Value Entries"
          ? rows.map((r) =>
              r["Entry No."] === "14" ? { ...r, "Gen. Bus. Posting Group": "NOWHERE" } : r
            )
          : rows
      );
      const before = snapshot(input);
      const check = await glpost("check", input, "--method", "entry");
      expect(check.code).toBe(0);
      // A readable table on stdout: header, rule, one row per line.
      const lines = check.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(
        /^Posting Date\s+Document No\.\s+Description\s+G\/L Account No\.\s+Amount/
      );
      expect(lines[1]).toMatch(/^-+ +-+/);
      expect(lines).toHaveLength(2 + 34);
      expect(check.stderr).not.toContain("written to");
      expect(snapshot(input)).toEqual(before);
      expect((await glpost("check", input, "--method", "entry", "--json")).code).toBe(0);
      expect(snapshot(input)).toEqual(before);

      const dry = await glpost("post", input, "--method", "entry", "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stderr).toContain("nothing written");
      expect(dry.stderr).toContain(
        "Trial balance of the run (balanced: debit = credit and every posting date nets to 0)"
      );
      expect(dry.stderr).toMatch(
        /Skipped entries \(1\):\nEntry No\.\s+Reason Code\s+Reason\s+How to Fix\n/
      );
      expect(snapshot(input)).toEqual(before);
      const dryJson = await glpost("post", input, "--method", "entry", "--dry-run", "--json");
      expect(JSON.parse(dryJson.stdout).skipped).toEqual([
        expect.objectContaining({
          entryNo: 14,
          howToFix: expect.stringMatching(/General Posting Setup/),
        }),
      ]);
      expect(snapshot(input)).toEqual(before);

      // With --out the report and the dry run's tables are written there, the input still untouched.
      const dir = tempDir();
      const out = path.join(dir, format === "csv" ? "out" : `out.${format}`);
      expect((await glpost("check", input, "--method", "entry", "--out", out)).code).toBe(0);
      expect(await readTable(out, format, "Post Inventory Cost to G/L - Test")).toHaveLength(34);
      const out2 = path.join(dir, format === "csv" ? "out2" : `out2.${format}`);
      expect(
        (await glpost("post", input, "--method", "entry", "--dry-run", "--out", out2)).code
      ).toBe(0);
      expect(await readTable(out2, format, "Skipped Entries")).toHaveLength(1);
      expect(await readTable(out2, format, "G/L Entries")).toEqual([]);
      expect(snapshot(input)).toEqual(before);
    }
  );
});

test("the human summary of a post shows the trial balance per account and per date", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const r = await glpost("post", input, "--method", "entry");
  expect(r.code).toBe(0);
  // fifo-purchase-sale per Entry: purchase 70 + overhead 10 into 2130, sale 80 out of it to COGS 7290.
  expect(r.stderr).toMatch(/\n2130 +80\.00 +80\.00 +0\.00\n/);
  expect(r.stderr).toMatch(/\n7290 +80\.00 +0\.00 +80\.00\n/);
  expect(r.stderr).toMatch(/\n7291 +0\.00 +70\.00 +-70\.00\n/);
  expect(r.stderr).toMatch(/\n7292 +0\.00 +10\.00 +-10\.00\n/);
  expect(r.stderr).toMatch(
    /By posting date:\nPosting Date +Debit +Credit +Net Change\n[- ]+\n2020-01-01 +80\.00 +80\.00 +0\.00\n2020-01-15 +80\.00 +80\.00 +0\.00\n/
  );
  expect(r.stderr).toMatch(/\nTotal +160\.00 +160\.00 +0\.00\n/);
});

test("the test report's columns are as wide as G/L Entries' ones, also when the report is empty", async () => {
  const input = await exampleIn("bike-chain", "xlsx");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  // Everything is posted: the report has no lines, and still reads like G/L Entries.
  const out = path.join(tempDir(), "checked.xlsx");
  expect((await glpost("check", input, "--method", "entry", "--out", out)).code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const widths = (sheet: string) => {
    const ws = wb.worksheets.find((w) => loose(w.name) === loose(sheet))!;
    const m = new Map<string, number | undefined>();
    ws.getRow(1).eachCell((c, col) => void m.set(String(c.value), ws.getColumn(col).width));
    return m;
  };
  const gl = widths("GL Entries");
  const report = widths("Post Invt Cost to GL - Test");
  for (const col of ["Posting Date", "Document No.", "Description", "G/L Account No.", "Amount"])
    expect([col, report.get(col)]).toEqual([col, gl.get(col)]);
  expect(report.get("Description")).toBe(60);
});

test("Creation Time is written to .xlsx as a time value (hh:mm:ss), not as text", async () => {
  const input = await exampleIn("fifo-purchase-sale", "xlsx");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  const ws = wb.worksheets.find((w) => loose(w.name) === "glregisters")!;
  let col = 0;
  ws.getRow(1).eachCell((c, i) => void (c.value === "Creation Time" && (col = i)));
  const cell = ws.getRow(2).getCell(col);
  expect(cell.numFmt).toBe("hh:mm:ss");
  // exceljs shows a time-formatted number as a Date on Excel's day 0; a fraction of one day.
  const v =
    cell.value instanceof Date
      ? (cell.value.getTime() - Date.UTC(1899, 11, 30)) / 86400000
      : cell.value;
  expect(typeof v).toBe("number");
  expect(v as number).toBeGreaterThanOrEqual(0);
  expect(v as number).toBeLessThan(1);
});

test("output sheets print landscape, fit to the page width, with the header row on every page", async () => {
  const input = await exampleIn("fifo-purchase-sale", "xlsx");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  for (const sheet of ["GL Entries", "GL Registers", "Skipped Entries", "Run Summary"]) {
    const ws = wb.worksheets.find((w) => w.name === sheet)!;
    expect([
      sheet,
      ws.pageSetup.orientation,
      ws.pageSetup.fitToPage,
      ws.pageSetup.fitToWidth,
      ws.pageSetup.fitToHeight,
      ws.pageSetup.printTitlesRow,
    ]).toEqual([sheet, "landscape", true, 1, 0, "1:1"]);
  }
});

test("an empty Skipped Entries is written without a blank row in CSV and JSON (an Excel table keeps its one placeholder row)", async () => {
  const csv = await exampleIn("fifo-purchase-sale", "csv");
  expect((await glpost("post", csv, "--method", "entry")).code).toBe(0);
  expect(
    fs.readFileSync(path.join(csv, "Skipped Entries.csv"), "utf8").trimEnd().split("\n")
  ).toHaveLength(1);
  const json = await exampleIn("fifo-purchase-sale", "json");
  expect((await glpost("post", json, "--method", "entry")).code).toBe(0);
  expect(JSON.parse(fs.readFileSync(json, "utf8"))["Skipped Entries"]).toEqual([]);
  const xlsx = await exampleIn("fifo-purchase-sale", "xlsx");
  expect((await glpost("post", xlsx, "--method", "entry")).code).toBe(0);
  expect(await readTable(xlsx, "xlsx", "Skipped Entries")).toEqual([]);
});
