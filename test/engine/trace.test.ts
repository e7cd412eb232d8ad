/**
 * Trace through G/L - Item Ledger Relation: the pure function on a hand-built ledger, then glpost trace on the
 * posted bike-chain example (per Entry: the G/L entry numbers follow expected-gl-per-entry.csv, one line per
 * row; per Posting Group: merged G/L entries list every value entry they come from).
 */
import { main, type Io } from "../../src/cli/main";
import { trace, type TraceResult } from "../../src/engine/trace";
import type { LedgerGLEntry, LedgerRelation } from "../../src/engine/reconcile";
import { exampleIn } from "../acceptance/formats";
import { day, ve } from "./builders";

const gl = (entryNo: number, amount: number): LedgerGLEntry => ({
  entryNo,
  postingDate: day("2026-01-10"),
  glAccountNo: "2130",
  amount,
  description: "",
  documentNo: "D",
  inventoryAccountType: 2,
  balAccountType: 5,
  glRegisterNo: 1,
});
const rel = (glEntryNo: number, valueEntryNo: number): LedgerRelation => ({
  glEntryNo,
  valueEntryNo,
  glRegisterNo: 1,
});

describe("trace", () => {
  // G/L 10 merges value entries 1 and 2; value entry 2 also has G/L 11; G/L 12 has no value entry.
  const ves = [ve({ entryNo: 1 }), ve({ entryNo: 2 }), ve({ entryNo: 3 })];
  const gls = [gl(10, 300), gl(11, -300), gl(12, 5)];
  const rels = [rel(10, 1), rel(10, 2), rel(11, 2)];
  const nos = (r: TraceResult) => [
    r.glEntries.map((g) => g.entryNo),
    r.valueEntries.map((e) => e.entryNo),
  ];

  test("from a G/L entry to its value entries and back to their G/L entries", () => {
    expect(nos(trace(ves, gls, rels, { glEntryNo: 10 }))).toEqual([
      [10, 11],
      [1, 2],
    ]);
    expect(nos(trace(ves, gls, rels, { glEntryNo: 11 }))).toEqual([[11, 10], [2]]);
  });

  test("from a value entry to its G/L entries and the value entries they merge", () => {
    expect(nos(trace(ves, gls, rels, { valueEntryNo: 1 }))).toEqual([[10], [1, 2]]);
    expect(nos(trace(ves, gls, rels, { valueEntryNo: 2 }))).toEqual([
      [10, 11],
      [2, 1],
    ]);
    expect(trace(ves, gls, rels, { valueEntryNo: 2 }).relations).toEqual([
      rel(10, 1),
      rel(10, 2),
      rel(11, 2),
    ]);
  });

  test("an entry without relation rows traces to itself only; a missing entry is an error; dangling rows are listed", () => {
    expect(nos(trace(ves, gls, rels, { glEntryNo: 12 }))).toEqual([[12], []]);
    expect(nos(trace(ves, gls, rels, { valueEntryNo: 3 }))).toEqual([[], [3]]);
    expect(trace(ves, gls, rels, { glEntryNo: 99 }).error).toBe("G/L Entries has no entry 99.");
    expect(trace(ves, gls, rels, { valueEntryNo: 99 }).error).toBe(
      "Value Entries has no entry 99."
    );
    expect(trace(ves, gls, [...rels, rel(10, 77)], { glEntryNo: 10 }).dangling).toEqual([
      rel(10, 77),
    ]);
  });
});

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

describe("glpost trace on the posted bike-chain example", () => {
  test("per Entry: value entry 11 has G/L entries 25-28; G/L entry 13 comes from value entry 6, whose G/L entries are 13-16", async () => {
    const input = await exampleIn("bike-chain", "csv");
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    const fromVe = JSON.parse(
      (await glpost("trace", input, "--value-entry", "11", "--json")).stdout
    );
    expect(fromVe.valueEntries.map((e: { entryNo: number }) => e.entryNo)).toEqual([11]);
    expect(
      fromVe.glEntries.map((g: { entryNo: number; glAccountNo: string; amount: string }) => [
        g.entryNo,
        g.glAccountNo,
        g.amount,
      ])
    ).toEqual([
      [25, "2121", "-150.00"],
      [26, "2120", "282.00"],
      [27, "2140", "150.00"],
      [28, "2140", "-282.00"],
    ]);
    const fromGl = JSON.parse((await glpost("trace", input, "--gl-entry", "13", "--json")).stdout);
    expect(fromGl.valueEntries.map((e: { entryNo: number }) => e.entryNo)).toEqual([6]);
    expect(fromGl.glEntries.map((g: { entryNo: number }) => g.entryNo)).toEqual([13, 14, 15, 16]);
    // The readable table names both sides.
    const text = await glpost("trace", input, "--gl-entry", "13");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Trace of G\/L entry 13 through G\/L - Item Ledger Relation/);
    expect(text.stdout).toMatch(
      /^\s+13\s+2026-01-12\s+SI-1001\s+2121\s+150\.00\s+Inventory \(Interim\)\s+1\s+6$/m
    );
    expect(text.stdout).toMatch(/^\s+15\s+2026-01-12\s+SI-1001\s+7290\s+150\.00\s+COGS\s+1\s+6$/m);
    expect(text.stdout).toMatch(
      /^\s+6\s+2026-01-12\s+CHAIN\s+Sale\s+Direct Cost\s+-150\.00\s+150\.00\s+-150\.00\s+13, 14, 15, 16$/m
    );
  });

  test("per Posting Group: a merged G/L entry lists every value entry it comes from, and back", async () => {
    // A second overhead entry (15, 2.00) beside entry 3 (3.00): same date, pair and setup, so one G/L line each side.
    const input = await exampleIn("bike-chain", "json", (table, rows) =>
      table === "Value Entries"
        ? [
            ...rows,
            {
              ...rows.find((r) => r["Entry No."] === "3")!,
              "Entry No.": "15",
              "Cost Amount (Actual)": "2",
            },
          ]
        : rows
    );
    expect((await glpost("post", input, "--document-no", "INVT-1")).code).toBe(0);
    const fromVe = JSON.parse(
      (await glpost("trace", input, "--value-entry", "15", "--json")).stdout
    );
    expect(
      fromVe.glEntries.map((g: { glAccountNo: string; amount: string }) => [
        g.glAccountNo,
        g.amount,
      ])
    ).toEqual([
      ["2130", "5.00"],
      ["7192", "-5.00"],
    ]);
    expect(fromVe.valueEntries.map((e: { entryNo: number }) => e.entryNo)).toEqual([15, 3]);
    const fromGl = JSON.parse(
      (await glpost("trace", input, "--gl-entry", String(fromVe.glEntries[0].entryNo), "--json"))
        .stdout
    );
    expect(fromGl.valueEntries.map((e: { entryNo: number }) => e.entryNo)).toEqual([3, 15]);
    expect(fromGl.relations).toHaveLength(4);
  });

  test("wrong usage: neither or both start options, or not a number", async () => {
    const input = await exampleIn("bike-chain", "csv");
    expect((await glpost("trace", input)).code).toBe(2);
    expect((await glpost("trace", input, "--gl-entry", "1", "--value-entry", "1")).code).toBe(2);
    expect((await glpost("trace", input, "--gl-entry", "x")).code).toBe(2);
    const missing = await glpost("trace", input, "--value-entry", "999", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ error: "Value Entries has no entry 999." });
  });
});
