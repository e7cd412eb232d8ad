/**
 * Acceptance: both worked examples of ../shared/spec/examples through the glpost CLI, on .xlsx, CSV and
 * JSON alike: exactly the expected G/L entries per Entry and per Posting Group, the end balances and other
 * outcomes examples/README.md states, and a second run that posts nothing.
 */
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import {
  cents,
  csvRecords,
  EXAMPLES,
  exampleIn,
  FORMATS,
  readTable,
  type Format,
  type Row,
} from "./formats";

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

/** The G/L entries a run wrote, with the value entry each came from (via G/L - Item Ledger Relation). */
async function postedLines(input: string, format: Format) {
  const gl = await readTable(input, format, "G/L Entries");
  const rel = await readTable(input, format, "G/L - Item Ledger Relation");
  const valueEntryOf = new Map<string, string[]>();
  for (const r of rel)
    valueEntryOf.set(r["G/L Entry No."], [
      ...(valueEntryOf.get(r["G/L Entry No."]) ?? []),
      r["Value Entry No."],
    ]);
  return gl.map((g) => ({ row: g, valueEntries: valueEntryOf.get(g["Entry No."]) ?? [] }));
}

const expected = (example: string, file: string) => csvRecords(path.join(EXAMPLES, example, file));

function totalsByAccountAndDate(rows: Row[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = `${r["G/L Account No."]}@${r["Posting Date"]}`;
    m.set(k, (m.get(k) ?? 0) + cents(r["Amount"]));
  }
  for (const [k, v] of m) if (v === 0) m.delete(k);
  return m;
}

describe.each(FORMATS)("examples through the CLI on %s", (format) => {
  test("bike-chain per Entry: the 34 documented G/L entries in order", async () => {
    const input = await exampleIn("bike-chain", format);
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.entries).toEqual({ posted: 14, alreadyPosted: 0, ignored: 0, skipped: 0 });
    expect(summary.glEntries).toBe(34);
    expect(summary.totals.debit).toBe(summary.totals.credit);
    const lines = await postedLines(input, format);
    const want = expected("bike-chain", "expected-gl-per-entry.csv");
    expect(
      lines.map(({ row: l, valueEntries }) => [
        valueEntries.join("+"),
        l["Posting Date"],
        l["Document No."],
        l["G/L Account No."],
        l["Inventory Account Type"],
        l["Bal. Account Type"],
        cents(l["Amount"]),
      ])
    ).toEqual(
      want.map((w) => [
        w["Value Entry No."],
        w["Posting Date"],
        w["Document No."],
        w["G/L Account No."],
        w["Inventory Account Type"],
        w["Bal. Account Type"],
        cents(w["Amount"]),
      ])
    );
    expect(lines.map((l) => l.row["Entry No."])).toEqual(want.map((_, i) => String(i + 1)));

    // A second run on the output posts nothing.
    const again = await glpost("post", input, "--method", "entry", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      glEntries: 0,
      registerNo: null,
      entries: { posted: 0, alreadyPosted: 14 },
    });
    expect(await readTable(input, format, "G/L Entries")).toHaveLength(34);
    expect(await readTable(input, format, "G/L Registers")).toHaveLength(1);
  });

  test("bike-chain per Posting Group: same totals per account and date, and the documented end balances", async () => {
    const input = await exampleIn("bike-chain", format);
    const r = await glpost("post", input, "--document-no", "INVT-2026-01", "--json");
    expect(r.code).toBe(0);
    const lines = await readTable(input, format, "G/L Entries");
    expect(lines.every((l) => l["Document No."] === "INVT-2026-01")).toBe(true);
    expect(totalsByAccountAndDate(lines)).toEqual(
      totalsByAccountAndDate(expected("bike-chain", "expected-gl-per-entry.csv"))
    );
    const balance = (accounts: string[]) =>
      lines
        .filter((l) => accounts.includes(l["G/L Account No."]))
        .reduce((s, l) => s + cents(l["Amount"]), 0);
    // examples/README.md: interim accounts and WIP 0; Inventory -10; Direct Cost Applied -285; Overhead Applied -40;
    // Purchase Variance +18; Material Variance +157; COGS +150; Inventory Adjmt. +10.
    expect(balance(["2121", "2131", "5510", "7181", "7281", "2140"])).toBe(0);
    expect(balance(["2121"])).toBe(0);
    expect(balance(["2140"])).toBe(0);
    expect(balance(["2120", "2130"])).toBe(-1000);
    expect(balance(["7191", "7291", "7791"])).toBe(-28500);
    expect(balance(["7192", "7292", "7792"])).toBe(-4000);
    expect(balance(["7193", "7293"])).toBe(1800);
    expect(balance(["7890"])).toBe(15700);
    expect(balance(["7190", "7290"])).toBe(15000);
    expect(balance(["7170", "7270", "7770"])).toBe(1000);
    expect(lines.reduce((s, l) => s + cents(l["Amount"]), 0)).toBe(0);
    const register = await readTable(input, format, "G/L Registers");
    expect(register).toHaveLength(1);
    expect(register[0]).toMatchObject({
      "No.": "1",
      "From Entry No.": "1",
      "To Entry No.": String(lines.length),
      "Document No.": "INVT-2026-01",
      "Posting Method": "per Posting Group",
    });
  });

  test("bike-chain with Expected Cost Posting to G/L off: entries 1, 5 and 10 skipped, 2, 6 and 11 post their actual part", async () => {
    const input = await exampleIn("bike-chain", format, (table, rows) =>
      table === "Settings"
        ? rows.map((r) =>
            r["Setting"] === "Expected Cost Posting to G/L" ? { ...r, Value: "No" } : r
          )
        : rows
    );
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(
      summary.skipped.map((s: { entryNo: number; reasonCode: string }) => [s.entryNo, s.reasonCode])
    ).toEqual([
      [1, "EXPECTED_COST_POSTING_OFF"],
      [5, "EXPECTED_COST_POSTING_OFF"],
      [10, "EXPECTED_COST_POSTING_OFF"],
    ]);
    const lines = await postedLines(input, format);
    const of = (no: string) =>
      lines
        .filter((l) => l.valueEntries.includes(no))
        .map(({ row }) => [row["G/L Account No."], cents(row["Amount"])]);
    expect(of("2")).toEqual([
      ["2130", 16500],
      ["7191", -16500],
    ]);
    expect(of("6")).toEqual([
      ["2120", -15000],
      ["7290", 15000],
    ]);
    expect(of("11")).toEqual([
      ["2120", 28200],
      ["2140", -28200],
    ]);
    const skipped = await readTable(input, format, "Skipped Entries");
    expect(skipped.map((s) => [s["Value Entry No."], s["Reason Code"]])).toEqual([
      ["1", "EXPECTED_COST_POSTING_OFF"],
      ["5", "EXPECTED_COST_POSTING_OFF"],
      ["10", "EXPECTED_COST_POSTING_OFF"],
    ]);
    expect(skipped[0]["How to Fix"]).toMatch(/Expected Cost Posting to G\/L/);
  });

  test("fifo-purchase-sale per Entry and per Posting Group give exactly the expected G/L entries", async () => {
    for (const [method, file, extra] of [
      ["entry", "expected-gl-per-entry.csv", []],
      ["group", "expected-gl-per-posting-group.csv", ["--document-no", "INVT-1"]],
    ] as const) {
      const input = await exampleIn("fifo-purchase-sale", format);
      const r = await glpost("post", input, "--method", method, ...extra);
      expect(r.code).toBe(0);
      const lines = await readTable(input, format, "G/L Entries");
      const want = expected("fifo-purchase-sale", file);
      const pick = (l: Row) => [
        l["Entry No."],
        l["Posting Date"],
        l["Document No."],
        l["G/L Account No."],
        l["Inventory Account Type"],
        l["Bal. Account Type"],
        cents(l["Amount"]),
      ];
      expect(lines.map(pick)).toEqual(want.map(pick));
      const values = await readTable(input, format, "Value Entries");
      expect(values.map((v) => cents(v["Cost Posted to G/L"]))).toEqual([7000, 1000, -8000]);
    }
  });
});

test("a day-first semicolon CSV export (decimal comma, dd.mm.yyyy) posts the same as the example", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const fs = await import("fs");
  for (const f of fs.readdirSync(input)) {
    const file = path.join(input, f);
    const text = fs.readFileSync(file, "utf8");
    // Semicolons between fields, dd.mm.yyyy dates, decimal commas: "70" -> "70,00", "-80" -> "-80,00".
    const converted = text
      .split("\n")
      .map((line, i) =>
        line
          .split(",")
          // The amounts are the last two columns of Value Entries (Cost Amount (Actual), Cost Posted to G/L).
          .map((cell, c, all) =>
            i > 0 && f === "Value Entries.csv" && c >= all.length - 2 && /^-?\d+$/.test(cell)
              ? `${cell},00`
              : cell
          )
          .map((cell) => cell.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$3.$2.$1"))
          .join(";")
      )
      .join("\n");
    fs.writeFileSync(file, converted);
  }
  expect(fs.readFileSync(path.join(input, "Value Entries.csv"), "utf8")).toContain(
    "01.01.2020;1000;Purchase;Direct Cost;No;BLUE;RESALE;DOMESTIC;RETAIL;10000;107001;70,00;0,00"
  );
  const r = await glpost("post", input, "--method", "entry", "--json");
  expect(r.stderr).not.toMatch(/input error/);
  expect(r.code).toBe(0);
  // Written back in the file's own style: semicolons and decimal commas.
  const gl = fs.readFileSync(path.join(input, "GL Entries.csv"), "utf8");
  expect(gl.split("\n")[1]).toMatch(
    /^1;2020-01-01;107001;;2130;;Direct Cost 10000 on 2020-01-01;70,00;70,00;0,00;/
  );
  expect(fs.readFileSync(path.join(input, "Value Entries.csv"), "utf8")).toContain(
    ";107001;70,00;70,00"
  );
  const lines = await readTable(input, "csv", "G/L Entries");
  const want = expected("fifo-purchase-sale", "expected-gl-per-entry.csv");
  const amount = (t: string) => cents(t.replace(",", "."));
  expect(lines.map((l) => [l["G/L Account No."], amount(l["Amount"])])).toEqual(
    want.map((w) => [w["G/L Account No."], cents(w["Amount"])])
  );
  // And read back: a second run posts nothing.
  const again = await glpost("post", input, "--method", "entry", "--json");
  expect(JSON.parse(again.stdout)).toMatchObject({ glEntries: 0, entries: { alreadyPosted: 3 } });
});
