/**
 * Acceptance (issue 11, Done when): glpost reconcile on the bike-chain example in every format. Before posting
 * every difference is unposted cost; after glpost post none; a G/L entry added by hand on an inventory
 * account is a direct posting with its amount; expected cost posting off shows its explanation. Amounts were
 * worked out by hand from the example's value entries (test/fixtures/examples/bike-chain).
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { cents, exampleIn, FORMATS, parseCsv, readTable, tempDir } from "./formats";

async function glpost(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
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

interface Summary {
  matrix: Record<string, string | null>[];
  difference: string | null;
  explanations: {
    cause: string;
    field: string;
    amount: string;
    valueEntries: number[];
    glEntries: number[];
  }[];
  cells: {
    row: string;
    column: string;
    amount: string;
    valueEntries: number[];
    glEntries: number[];
  }[];
}

async function reconcileJson(input: string, ...more: string[]): Promise<Summary> {
  const r = await glpost("reconcile", input, "--json", ...more);
  expect(r.stderr).not.toMatch(/input error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

const row = (s: Summary, name: string) => s.matrix.find((m) => m.row === name)!;

describe.each(FORMATS)("glpost reconcile on bike-chain (%s)", (format) => {
  test("before posting every difference is unposted actual cost; after posting there is none", async () => {
    const input = await exampleIn("bike-chain", format);
    const before = await reconcileJson(input);
    // Inventory side by hand: purchase 165+3-18, sale -150, consumption -150, output 282+25-157, revaluation -10.
    expect(row(before, "Total")).toMatchObject({
      Inventory: "-10.00",
      "Inventory (Interim)": "0.00",
      "WIP Inventory": "0.00",
    });
    expect(row(before, "Direct Cost Applied")).toMatchObject({
      Inventory: "-165.00",
      "WIP Inventory": "-120.00",
      Total: "-285.00",
      "G/L Total": "0.00",
      Difference: "285.00",
    });
    expect(row(before, "Inventory To WIP")).toMatchObject({
      Inventory: "-132.00",
      "WIP Inventory": "132.00",
      "G/L Total": null,
      Difference: null,
    });
    expect(before.explanations.map((x) => [x.field, x.cause, x.amount])).toEqual([
      ["Inventory", "NOT_POSTED_ACTUAL", "10.00"],
      ["Direct Cost Applied", "NOT_POSTED_ACTUAL", "285.00"],
      ["Overhead Applied", "NOT_POSTED_ACTUAL", "40.00"],
      ["Inventory Adjmt.", "NOT_POSTED_ACTUAL", "-10.00"],
      ["COGS", "NOT_POSTED_ACTUAL", "-150.00"],
      ["Purchase Variance", "NOT_POSTED_ACTUAL", "-18.00"],
      ["Material Variance", "NOT_POSTED_ACTUAL", "-157.00"],
    ]);
    expect(before.difference).toBe("670.00");
    expect(
      before.explanations.find((x) => x.field === "Direct Cost Applied")!.valueEntries
    ).toEqual([2, 8]);

    // The sheet and its drill-down were written into the workbook.
    const sheet = await readTable(input, format, "Inventory - G/L Reconciliation");
    const dca = sheet.find((r) => r["Row"] === "Direct Cost Applied")!;
    expect(cents(dca["Difference"])).toBe(28500);
    expect(
      sheet.some(
        (r) =>
          r["Row"] === "Direct Cost Applied difference: Post Cost to G/L" &&
          cents(r["Difference"]) === 28500
      )
    ).toBe(true);
    const detail = await readTable(input, format, "Reconciliation Detail");
    const dcaTotal = detail.filter((d) => d["Cell"] === "Direct Cost Applied / Total");
    expect(dcaTotal.map((d) => [d["Entry Type"], d["Entry No."], cents(d["Amount"])])).toEqual([
      ["Value Entry", "2", -16500],
      ["Value Entry", "8", -12000],
    ]);

    const post = await glpost("post", input, "--document-no", "INVT-1");
    expect(post.code).toBe(0);
    const after = await reconcileJson(input);
    expect(after.explanations).toEqual([]);
    expect(after.difference).toBe("0.00");
    expect(row(after, "G/L Total")).toMatchObject({ Inventory: "-10.00" });
    expect(row(after, "COGS")).toMatchObject({
      Total: "150.00",
      "G/L Total": "150.00",
      Difference: "0.00",
    });
    // G/L Total cells drill down to G/L entries.
    expect(
      after.cells.find((c) => c.row === "COGS" && c.column === "G/L Total")!.glEntries
    ).toHaveLength(1);
    const sheetAfter = await readTable(input, format, "Inventory - G/L Reconciliation");
    expect(sheetAfter.filter((r) => /difference:/.test(r["Row"]))).toEqual([]);
  });

  test("expected cost posting off: the receipt's expected cost is explained as such", async () => {
    const input = await exampleIn("bike-chain", format, (table, rows) =>
      table === "Settings"
        ? rows.map((r) =>
            r["Setting"] === "Expected Cost Posting to G/L" ? { ...r, Value: "No" } : r
          )
        : rows
    );
    expect((await glpost("post", input, "--document-no", "INVT-1")).code).toBe(0);
    // Only the receipt (entry 1): 150.00 of expected cost in Inventory (Interim) that never posts.
    const s = await reconcileJson(input, "--date", "2026-01-05..2026-01-07");
    expect(s.explanations.map((x) => [x.field, x.cause, x.amount, x.valueEntries])).toEqual([
      ["Inventory (Interim)", "EXPECTED_COST_POSTING_OFF", "-150.00", [1]],
      ["Invt. Accrual (Interim)", "EXPECTED_COST_POSTING_OFF", "150.00", [1]],
    ]);
    expect(row(s, "Invt. Accrual (Interim)").Warning).toBe("Expected Cost Setup");
  });
});

describe.each(["csv", "json"] as const)("a G/L entry made by hand (%s)", (format) => {
  test("on an inventory account it appears as a direct posting with its amount", async () => {
    const input = await exampleIn("bike-chain", format);
    expect((await glpost("post", input, "--document-no", "INVT-1")).code).toBe(0);
    const manual = {
      "Entry No.": "900",
      "Posting Date": "2026-01-31",
      "Document No.": "GJ-7",
      "G/L Account No.": "2120",
      Description: "Stock count correction",
      Amount: "12.34",
    };
    if (format === "csv") {
      const file = path.join(input, "GL Entries.csv");
      const lines = fs
        .readFileSync(file, "utf8")
        .replace(/\r?\n$/, "")
        .split(/\r?\n/);
      const header = lines[0].split(",");
      lines.push(header.map((h) => (manual as Record<string, string>)[h] ?? "").join(","));
      fs.writeFileSync(file, lines.join("\n") + "\n");
    } else {
      const obj = JSON.parse(fs.readFileSync(input, "utf8"));
      obj["G/L Entries"].push({ ...manual, "Entry No.": 900, Amount: 12.34 });
      fs.writeFileSync(input, JSON.stringify(obj, null, 2));
    }
    const s = await reconcileJson(input);
    expect(
      s.explanations.map((x) => [x.field, x.cause, x.amount, x.glEntries, x.valueEntries])
    ).toEqual([["Inventory", "DIRECT_POSTING", "12.34", [900], []]]);
    expect(s.difference).toBe("12.34");
    expect(row(s, "Difference")).toMatchObject({
      Inventory: "12.34",
      Warning: "Inventory: Direct Posting",
    });
    const trace = await glpost("trace", input, "--gl-entry", "900");
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(
      /No G\/L - Item Ledger Relation row links G\/L entry 900 to a value entry/
    );
  });
});

test("on samples/bike-chain.xlsx before posting: only unposted cost, written to the sheet; --out leaves the sample untouched", async () => {
  const sample = path.join(__dirname, "..", "..", "samples", "bike-chain.xlsx");
  const out = path.join(tempDir(), "reconciled.xlsx");
  const before = fs.readFileSync(sample);
  const s = await reconcileJson(sample, "--out", out);
  expect(fs.readFileSync(sample).equals(before)).toBe(true);
  expect(new Set(s.explanations.map((x) => x.cause))).toEqual(new Set(["NOT_POSTED_ACTUAL"]));
  expect(s.difference).toBe("670.00");
  const detail = await readTable(out, "xlsx", "Reconciliation Detail");
  expect(
    detail
      .filter((d) => d["Cell"] === "Material Variance difference: Post Cost to G/L")
      .map((d) => [d["Entry No."], cents(d["Amount"])])
  ).toEqual([["13", -15700]]);
});

test("usage: a filter that does not read is wrong usage (exit 2); reconcile takes no --method", async () => {
  const input = await exampleIn("bike-chain", "csv");
  expect((await glpost("reconcile", input, "--date", "2026-02-30")).code).toBe(2);
  expect((await glpost("reconcile", input, "--method", "entry")).code).toBe(2);
});

test("a G/L Entries table that does not read is an input error naming row and column (exit 1, nothing written)", async () => {
  const input = await exampleIn("bike-chain", "csv");
  expect((await glpost("post", input, "--document-no", "INVT-1")).code).toBe(0);
  const file = path.join(input, "GL Entries.csv");
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  rows[0][header.indexOf("Amount")] = "12a";
  rows.push([...rows[1]]); // a second G/L entry no. 2
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  fs.writeFileSync(file, [header, ...rows].map((r) => r.map(quote).join(",")).join("\n") + "\n");
  const r = await glpost("reconcile", input, "--json");
  expect(r.code).toBe(1);
  const errors = JSON.parse(r.stdout).inputErrors as {
    table: string;
    row: number;
    column: string;
    message: string;
  }[];
  expect(errors.map((e) => [e.table, e.row, e.column])).toEqual([
    ["G/L Entries", 2, "Amount"],
    ["G/L Entries", rows.length + 1, "Entry No."],
  ]);
  expect(errors[1].message).toBe(
    "Entry No. 2 appears more than once (also in row 3): each G/L entry needs its own number"
  );
  expect(fs.readdirSync(input).some((f) => /Reconciliation/.test(f))).toBe(false);
});
