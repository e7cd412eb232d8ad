/**
 * ledgerState.ts on hand-made tables: which registers are ours (relation rows, Inventory Account Type) and
 * which are BC's, interrupted runs whatever the Source Code, the Entry No. bound, and planRepair's choice
 * between completing and rolling back (with the posted columns set back to what they were).
 */
import { CENTS } from "../../src/engine/money";
import { emptyValueEntry, type ValueEntry } from "../../src/engine/types";
import {
  entryNoBoundErrors,
  ledgerVerdict,
  planRepair,
  runBeyondBound,
  MAX_ENTRY_NO,
  type LedgerTables,
} from "../../src/workbook/ledgerState";
import type { CellValue, SourceTable } from "../../src/workbook/port";
import { parseMoney } from "../../src/workbook/values";

const table = (name: string, header: string[], rows: CellValue[][]): SourceTable => ({
  ref: { name, kind: "json" },
  header,
  rows,
  rowNumbers: rows.map((_, i) => i + 2),
});
const m = (text: string): number => {
  const p = parseMoney(text, CENTS);
  if (!p.ok) throw new Error(text);
  return p.value;
};

const GL_HEADER = [
  "Entry No.",
  "Posting Date",
  "Document No.",
  "G/L Account No.",
  "Amount",
  "Source Code",
  "G/L Register No.",
  "Inventory Account Type",
  "Bal. Account Type",
];
/** A G/L entry row of ours (or BC's, with blank account types). */
const gl = (
  no: number,
  amount: string,
  reg: number,
  at: string,
  bal: string,
  source = "INVTPCOST",
  date = "2026-01-08",
  doc = "PI-1"
): CellValue[] => [no, date, doc, "", amount, source, reg, at, bal];
const glEntries = (...rows: CellValue[][]) => table("G/L Entries", GL_HEADER, rows);
const relations = (...rows: [number, number, number][]) =>
  table(
    "G/L - Item Ledger Relation",
    ["G/L Entry No.", "Value Entry No.", "G/L Register No."],
    rows
  );
const registers = (...nos: number[]) =>
  table(
    "G/L Registers",
    ["No.", "From Entry No.", "To Entry No."],
    nos.map((n) => [n, 0, 0])
  );

/** A purchase invoice: Direct Cost, actual 165.00 (rules.md section 2: Inventory / Direct Cost Applied). */
function purchase(
  entryNo: number,
  actual: string,
  posted: string,
  documentNo = "PI-1"
): ValueEntry {
  return {
    ...emptyValueEntry(),
    entryNo,
    itemLedgerEntryType: "Purchase",
    entryType: "Direct Cost",
    documentNo,
    costAmountActual: m(actual),
    costPostedToGL: m(posted),
  };
}

const opts = { acy: false, scale: CENTS, now: { date: 20500, time: "10:00:00" }, userId: "ANNA" };

describe("ledgerVerdict", () => {
  test("BC's own G/L entries (no relation rows, no Inventory Account Type, no G/L Registers) are foreign, whatever their register number", () => {
    const t: LedgerTables = {
      glEntries: glEntries(gl(500, "40.00", 77, "", ""), gl(501, "-40.00", 77, "", "")),
    };
    expect(ledgerVerdict(t, [], false)).toEqual({ interrupted: [], foreignGLEntries: 2 });
  });

  test("G/L entries of ours whose register G/L Registers lacks are an interrupted run, whatever their Source Code", () => {
    const ve = [purchase(1, "165.00", "0.00")];
    const t: LedgerTables = {
      glEntries: glEntries(
        gl(1, "165.00", 1, "Inventory", "Direct Cost Applied", "OTHER"),
        gl(2, "-165.00", 1, "Direct Cost Applied", "Inventory", "OTHER")
      ),
      relations: relations([1, 1, 1], [2, 1, 1]),
      registers: registers(),
    };
    expect(ledgerVerdict(t, ve, false).interrupted).toEqual([
      { registerNo: 1, glEntries: 2, relations: 2, valueEntriesWritten: 0, valueEntriesPending: 1 },
    ]);
    // Once the register row is there, it is a finished run.
    expect(ledgerVerdict({ ...t, registers: registers(1) }, ve, false).interrupted).toEqual([]);
  });

  test("a run cut before its relation rows is still ours (Inventory Account Type), and relation rows alone are one too", () => {
    const cut: LedgerTables = {
      glEntries: glEntries(gl(1, "165.00", 4, "Inventory", "Direct Cost Applied")),
      registers: registers(1, 2, 3),
    };
    expect(ledgerVerdict(cut, [], false).interrupted.map((r) => r.registerNo)).toEqual([4]);
    const onlyRelations: LedgerTables = { relations: relations([9, 1, 5]) };
    expect(
      ledgerVerdict(onlyRelations, [purchase(1, "1.00", "0.00")], false).interrupted.map((r) => [
        r.registerNo,
        r.glEntries,
        r.relations,
      ])
    ).toEqual([[5, 0, 1]]);
  });
});

describe("Entry No. bound", () => {
  test("numbers beyond 2,147,483,647 in the output tables are input errors naming table, row and column", () => {
    expect(MAX_ENTRY_NO).toBe(2 ** 31 - 1);
    const errors = entryNoBoundErrors({
      glEntries: glEntries(gl(2147483647, "1.00", 1, "", ""), gl(2147483648, "-1.00", 1, "", "")),
      registers: registers(2147483648),
    });
    expect(errors.map((e) => [e.table, e.row, e.column, e.value])).toEqual([
      ["G/L Entries", 3, "Entry No.", "2147483648"],
      ["G/L Registers", 2, "No.", "2147483648"],
    ]);
  });

  test("a run whose last G/L Entry No. would pass the bound is refused", () => {
    const entries = (last: number) => [
      { entryNo: last - 1, transactionNo: 1 },
      { entryNo: last, transactionNo: 1 },
    ];
    expect(runBeyondBound({ glEntries: entries(2147483647), register: { no: 1 } })).toBeNull();
    expect(
      runBeyondBound({ glEntries: entries(2147483648), register: { no: 1 } })?.message
    ).toContain("numbered up to 2147483648");
  });
});

describe("planRepair", () => {
  const whole = (): LedgerTables => ({
    glEntries: glEntries(
      gl(11, "65.00", 2, "Inventory", "Direct Cost Applied"),
      gl(12, "-65.00", 2, "Direct Cost Applied", "Inventory")
    ),
    relations: relations([11, 1, 2], [12, 1, 2]),
    registers: registers(1),
  });

  test("completes a whole run whose posted columns were not written: the entry is marked posted and the register row made", () => {
    // 100.00 posted before; the run posted the remaining 65.00.
    const plan = planRepair(whole(), [purchase(1, "165.00", "100.00")], opts);
    expect(plan).toMatchObject({
      action: "completed",
      registerNo: 2,
      glEntries: 2,
      valueEntries: 1,
    });
    if (plan.action !== "completed") throw new Error();
    expect([...plan.postedParts]).toEqual([1]);
    expect(plan.register).toMatchObject({
      no: 2,
      fromEntryNo: 11,
      toEntryNo: 12,
      sourceCode: "INVTPCOST",
      postingMethod: "per Entry",
      documentNo: "",
      entriesPosted: 1,
      amountPosted: m("65.00"),
      userId: "ANNA",
    });
  });

  test("G/L amounts that are not what the entries still had to post are not a whole run: rolled back", () => {
    // The entry has 80.00 to post, the G/L entries say 65.00 (e.g. the relation rows of another entry are missing).
    const plan = planRepair(whole(), [purchase(1, "165.00", "85.00")], opts);
    expect(plan).toMatchObject({
      action: "rolledBack",
      registerNo: 2,
      glEntries: 2,
      valueEntries: 0,
      glEntryRows: [0, 1],
      relationRows: [0, 1],
      restore: [],
    });
  });

  test("rolls back an unbalanced run whose posted columns were written, setting them back to old = Cost Amount - what it posted", () => {
    // Balancing line lost; the posted column already shows 165.00; the account line says 65.00 was posted.
    const t: LedgerTables = {
      ...whole(),
      glEntries: glEntries(gl(11, "65.00", 2, "Inventory", "Direct Cost Applied")),
      relations: relations([11, 1, 2]),
    };
    const plan = planRepair(t, [purchase(1, "165.00", "165.00")], opts);
    expect(plan).toMatchObject({ action: "rolledBack", glEntryRows: [0], relationRows: [0] });
    if (plan.action !== "rolledBack") throw new Error();
    expect(plan.restore).toEqual([{ index: 0, field: "costPostedToGL", value: "100.00" }]);
  });

  test("refuses when the old posted values cannot be told (one G/L entry sums two entries that already show the run)", () => {
    const t: LedgerTables = {
      glEntries: glEntries(
        gl(11, "30.00", 2, "Inventory", "Direct Cost Applied", "INVTPCOST", "2026-01-08", "INVT-1")
      ),
      relations: relations([11, 1, 2], [11, 2, 2]),
      registers: registers(1),
    };
    const plan = planRepair(
      t,
      [purchase(1, "10.00", "10.00"), purchase(2, "20.00", "20.00")],
      opts
    );
    expect(plan.action).toBe("refused");
    if (plan.action === "refused") expect(plan.message).toContain("cannot be told");
  });

  test("nothing to do without an interrupted run; more than one is refused", () => {
    expect(
      planRepair(
        { ...whole(), registers: registers(1, 2) },
        [purchase(1, "165.00", "165.00")],
        opts
      )
    ).toEqual({ action: "none" });
    const two: LedgerTables = {
      glEntries: glEntries(
        gl(1, "1.00", 3, "Inventory", "Direct Cost Applied"),
        gl(2, "1.00", 4, "Inventory", "Direct Cost Applied")
      ),
    };
    expect(planRepair(two, [], opts).action).toBe("refused");
  });
});
