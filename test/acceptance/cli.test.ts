/**
 * glpost check, --dry-run and the filters (cli.md), on the bike-chain example as .xlsx.
 */
import * as fs from "fs";
import { main, type Io } from "../../src/cli/main";
import { cents, exampleIn, readTable } from "./formats";

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

test("check lists every line that would post with every warning, writes the test report and posts nothing", async () => {
  // Break the setup: no Inventory Account for BLUE,RAW MAT, and January closed from the 20th.
  const input = await exampleIn("bike-chain", "xlsx", (table, rows) =>
    table === "Inventory Posting Setup"
      ? rows.map((r) =>
          r["Invt. Posting Group Code"] === "RAW MAT" ? { ...r, "Inventory Account": "" } : r
        )
      : table === "Settings"
        ? rows.map((r) => (r["Setting"] === "Allow Posting To" ? { ...r, Value: "2026-01-19" } : r))
        : rows
  );
  // The report table is written only with --out (cli.md): here into the input itself.
  const r = await glpost("check", input, "--method", "entry", "--json", "--out", input);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as {
    lines: { valueEntryNo: number; glAccountNo: string; amount: string; warnings: string[] }[];
    warnings: number;
  };
  // 34 lines as in the expected per Entry result; the ones on 2130 lose their account.
  expect(report.lines).toHaveLength(34);
  const entry3 = report.lines.filter((l) => l.valueEntryNo === 3);
  expect(entry3.map((l) => [l.glAccountNo, l.amount])).toEqual([
    ["", "3.00"],
    ["7192", "-3.00"],
  ]);
  expect(entry3[0].warnings).toEqual([
    "Inventory Account is missing in Inventory Posting Setup, BLUE RAW MAT.",
  ]);
  // Entry 13 (2026-01-20) is after Allow Posting To: every one of its lines says so.
  for (const l of report.lines.filter((x) => x.valueEntryNo === 13))
    expect(l.warnings.join(" ")).toContain("is not within your range of allowed posting dates");
  expect(report.warnings).toBe(report.lines.reduce((n, l) => n + l.warnings.length, 0));
  const written = await readTable(input, "xlsx", "Post Inventory Cost to G/L - Test");
  expect(written).toHaveLength(34);
  expect(await readTable(input, "xlsx", "G/L Entries")).toEqual([]);
  expect(
    (await readTable(input, "xlsx", "Value Entries")).every(
      (v) => cents(v["Cost Posted to G/L"] || "0") === 0
    )
  ).toBe(true);

  const only = await glpost("check", input, "--method", "entry", "--only-warnings", "--json");
  const onlyLines = JSON.parse(only.stdout).lines as { warnings: string[] }[];
  expect(onlyLines.length).toBeGreaterThan(0);
  expect(onlyLines.every((l) => l.warnings.length > 0)).toBe(true);
});

test("--dry-run computes everything and, with --out, writes only Skipped Entries, the test report and Run Summary", async () => {
  const input = await exampleIn("bike-chain", "xlsx");
  const before = fs.readFileSync(input);
  const r = await glpost(
    "post",
    input,
    "--document-no",
    "INVT-1",
    "--dry-run",
    "--json",
    "--out",
    input
  );
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    dryRun: true,
    glEntries: 34,
    registerNo: null,
    entries: { posted: 14 },
  });
  expect(await readTable(input, "xlsx", "G/L Entries")).toEqual([]);
  expect(await readTable(input, "xlsx", "G/L Registers")).toEqual([]);
  expect(await readTable(input, "xlsx", "Post Inventory Cost to G/L - Test")).toHaveLength(34);
  expect(fs.readFileSync(input).equals(before)).toBe(false);
  // A real run afterwards still posts everything.
  const real = await glpost("post", input, "--document-no", "INVT-1", "--json");
  expect(JSON.parse(real.stdout)).toMatchObject({
    dryRun: false,
    registerNo: 1,
    entries: { posted: 14 },
  });
});

test("--item and --date filters: only matching entries take part; the rest post later", async () => {
  const input = await exampleIn("bike-chain", "csv");
  const a = await glpost(
    "post",
    input,
    "--method",
    "entry",
    "--item",
    "LINK",
    "--date",
    "2026-01-01..2026-01-10",
    "--json"
  );
  expect(a.code).toBe(0);
  // LINK entries dated up to the 10th: 1, 2, 3, 4.
  expect(JSON.parse(a.stdout).entries).toEqual({
    posted: 4,
    alreadyPosted: 0,
    ignored: 0,
    skipped: 0,
  });
  const b = await glpost("post", input, "--method", "entry", "--json");
  expect(JSON.parse(b.stdout)).toMatchObject({
    entries: { posted: 10, alreadyPosted: 4 },
    registerNo: 2,
  });
  expect(await readTable(input, "csv", "G/L Entries")).toHaveLength(34);
  const bad = await glpost("post", input, "--method", "entry", "--date", "2026-01-32..");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("not a valid date");
});

test("a run interrupted while writing (G/L entries of a register G/L Registers lacks) is refused, not posted twice", async () => {
  const input = await exampleIn("fifo-purchase-sale", "json");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  // Simulate an interruption before the last write: drop the register row; G/L entries and posted columns stay.
  const book = JSON.parse(fs.readFileSync(input, "utf8"));
  book["G/L Registers"] = [];
  // ...and a new entry arrives, so there is something to post.
  book["Value Entries"].push({
    ...book["Value Entries"][0],
    "Entry No.": 4,
    "Cost Amount (Actual)": 5,
    "Cost Posted to G/L": 0,
  });
  fs.writeFileSync(input, JSON.stringify(book));
  const before = fs.readFileSync(input, "utf8");
  const r = await glpost("post", input, "--method", "entry");
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("A posting run was interrupted while writing");
  expect(r.stderr).toContain("G/L Registers has no register 1");
  expect(r.stderr).toContain("glpost repair");
  expect(fs.readFileSync(input, "utf8")).toBe(before);
});
