/**
 * What glpost shows in BC's words (issue 7, "Match BC's behaviour"), on the fifo-purchase-sale example:
 * purchase 70.00 direct cost and 10.00 indirect cost on 2020-01-01, sale -80.00 on 2020-01-15 (BLUE RESALE,
 * DOMESTIC RETAIL). Expected values by hand: Inventory +70 +10 -80, Direct Cost Applied -70, Overhead Applied -10,
 * COGS +80 (report 1002's columns).
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { csvRecords, exampleIn, readTable } from "./formats";

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

test("the run closes with report 1002's message and its amount columns", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const first = await glpost("post", input, "--method", "entry", "--json");
  expect(first.code).toBe(0);
  const summary = JSON.parse(first.stdout);
  expect(summary.message).toBe("3 value entries have been posted to the general ledger.");
  expect(summary.amounts).toEqual({
    cogs: "80.00",
    inventoryAdjustment: "0.00",
    directCostApplied: "-70.00",
    overheadApplied: "-10.00",
    purchaseVariance: "0.00",
    mfgDirectCostVariance: "0.00",
    manufacturingOvhdVariance: "0.00",
    wipInventory: "0.00",
    inventory: "0.00",
  });
  const lines = first.stderr.trimEnd().split("\n");
  // The message is the last line, after the summary and the amounts.
  expect(lines[lines.length - 1]).toBe("3 value entries have been posted to the general ledger.");
  expect(lines[lines.length - 2]).toBe(
    "  amounts: COGS 80.00, Inventory Adjustment 0.00, Direct Cost Applied -70.00, Overhead Applied -10.00, Purchase Variance 0.00, " +
      "Mfg. Direct Cost Variance 0.00, Manufacturing Ovhd Variance 0.00, WIP Inventory 0.00, Inventory 0.00"
  );

  const second = await glpost("post", input, "--method", "entry", "--json");
  expect(JSON.parse(second.stdout).message).toBe("There is nothing to post to the general ledger.");
  expect(second.stderr.trimEnd().split("\n").pop()).toBe(
    "There is nothing to post to the general ledger."
  );
});

test("a dry run says what would post", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const r = await glpost("post", input, "--document-no", "INVT-1", "--dry-run", "--json");
  expect(JSON.parse(r.stdout).message).toBe(
    "3 value entries would be posted to the general ledger (dry run: nothing was posted)."
  );
});

test("G/L Entries carry Project No., Reason Code and Prod. Order No. when Value Entries has them (per Entry)", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const file = path.join(input, "Value Entries.csv");
  const rows = csvRecords(file);
  const header = [...Object.keys(rows[0]), "Project No.", "Reason Code", "Order Type", "Order No."];
  const extra: Record<string, string[]> = {
    "1": ["JOB-1", "R1", "Production", "PO-7"],
    "2": ["", "", "Transfer", "TO-1"],
    "3": ["", "R3", "", ""],
  };
  fs.writeFileSync(
    file,
    [
      header.join(","),
      ...rows.map((r) => [...Object.values(r), ...extra[r["Entry No."]]].join(",")),
    ].join("\n") + "\n"
  );
  const r = await glpost("post", input, "--method", "entry");
  expect(r.code).toBe(0);
  const gl = await readTable(input, "csv", "G/L Entries");
  expect(
    gl.map((g) => [g["G/L Account No."], g["Project No."], g["Reason Code"], g["Prod. Order No."]])
  ).toEqual([
    ["2130", "JOB-1", "R1", "PO-7"],
    ["7291", "JOB-1", "R1", "PO-7"],
    ["2130", "", "", ""],
    ["7292", "", "", ""],
    ["2130", "", "R3", ""],
    ["7290", "", "R3", ""],
  ]);
  // No Project Task No. column in the input: none in the output.
  expect(Object.keys(gl[0])).not.toContain("Project Task No.");
});

test("an input without those columns writes G/L Entries with the columns it always had", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  await glpost("post", input, "--method", "entry");
  const gl = await readTable(input, "csv", "G/L Entries");
  expect(Object.keys(gl[0])).not.toEqual(expect.arrayContaining(["Project No."]));
  expect(Object.keys(gl[0]).slice(-1)).toEqual(["Global Dimension 2 Code"]);
});

test("filters in BC syntax; an unreadable filter or a backwards range is a usage error (exit 2) naming it, nothing written", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const backwards = await glpost("post", input, "--method", "entry", "--item", "C..A");
  expect(backwards.code).toBe(2);
  expect(backwards.stderr).toContain(
    '"C..A" is not a valid Item No. filter: the range "C..A" starts after it ends.'
  );
  const dates = await glpost(
    "post",
    input,
    "--method",
    "entry",
    "--date",
    "2020-01-31..2020-01-01"
  );
  expect(dates.code).toBe(2);
  expect(dates.stderr).toContain(
    '"2020-01-31..2020-01-01" is not a valid date filter: the range "2020-01-31..2020-01-01" starts after it ends.'
  );
  const unclosed = await glpost("post", input, "--method", "entry", "--item", "(1000|2000");
  expect(unclosed.code).toBe(2);
  expect(unclosed.stderr).toContain(
    '"(1000|2000" is not a valid Item No. filter: a "(" is not closed.'
  );
  expect(await readTable(input, "csv", "G/L Entries")).toEqual([]);

  // <> and an open date range: only the sale of 2020-01-15 (the purchases are on 2020-01-01).
  const sale = await glpost(
    "post",
    input,
    "--method",
    "entry",
    "--item",
    "<>''&1*",
    "--date",
    "<>2020-01-01&2020-01-02..",
    "--json"
  );
  expect(sale.code).toBe(0);
  expect(JSON.parse(sale.stdout).message).toBe(
    "1 value entries have been posted to the general ledger."
  );
  expect(
    (await readTable(input, "csv", "G/L Entries")).map((g) => [g["G/L Account No."], g["Amount"]])
  ).toEqual([
    ["2130", "-80.00"],
    ["7290", "80.00"],
  ]);
});

test("an existing G/L Entries table without the new columns gets them added after its last column", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const file = path.join(input, "Value Entries.csv");
  const rows = csvRecords(file);
  const header = [...Object.keys(rows[0]), "Project No."];
  const next = {
    ...rows[0],
    "Entry No.": "4",
    "Cost Amount (Actual)": "5",
    "Cost Posted to G/L": "0",
  };
  fs.writeFileSync(
    file,
    [
      header.join(","),
      ...rows.map((r) => [...Object.values(r), ""].join(",")),
      [...Object.values(next), "J9"].join(","),
    ].join("\n") + "\n"
  );
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  const gl = await readTable(input, "csv", "G/L Entries");
  expect(Object.keys(gl[0]).slice(-2)).toEqual(["Global Dimension 2 Code", "Project No."]);
  expect(gl.map((g) => [g["Entry No."], g["G/L Account No."], g["Project No."]])).toEqual([
    ["1", "2130", ""],
    ["2", "7291", ""],
    ["3", "2130", ""],
    ["4", "7292", ""],
    ["5", "2130", ""],
    ["6", "7290", ""],
    ["7", "2130", "J9"],
    ["8", "7291", "J9"],
  ]);
});

test("check per Posting Group: merged lines as the posting merges them, Value Entry No. blank, the entries named", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv", (table, rows) =>
    table === "General Posting Setup" ? rows.map((r) => ({ ...r, "COGS Account": "" })) : rows
  );
  // The report table is written only with --out (cli.md).
  const r = await glpost("check", input, "--document-no", "INVT-1", "--json", "--out", input);
  expect(r.code).toBe(0);
  const lines = JSON.parse(r.stdout).lines as {
    valueEntryNo: number;
    valueEntryNos: number[];
    glAccountNo: string;
    amount: string;
    warnings: string[];
  }[];
  expect(lines.map((l) => [l.valueEntryNo, l.valueEntryNos, l.glAccountNo, l.amount])).toEqual([
    [0, [1], "2130", "70.00"],
    [0, [2], "2130", "10.00"],
    [0, [1], "7291", "-70.00"],
    [0, [2], "7292", "-10.00"],
    [0, [3], "2130", "-80.00"],
    [0, [3], "", "80.00"],
  ]);
  expect(lines[5].warnings).toEqual([
    "COGS Account is missing in General Posting Setup, DOMESTIC RETAIL.",
  ]);
  expect(r.stderr).toContain(
    "  entry 3: COGS Account is missing in General Posting Setup, DOMESTIC RETAIL.\n"
  );
  const written = await readTable(input, "csv", "Post Inventory Cost to G/L - Test");
  expect(written.map((w) => w["Value Entry No."])).toEqual(["", "", "", "", "", ""]);
});
