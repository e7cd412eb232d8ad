/**
 * Trace on the selected row (issue 11): which entry the active cell's row is (a row of the G/L Entries or the
 * Value Entries table, by its Entry No.), then the trace through G/L - Item Ledger Relation with the sheet
 * rows of every related entry, so the pane can list them and select each. Reads only.
 */
import { traceWorkbook } from "../app/reconcile";
import type { NotDone } from "../app/run";
import type { TraceResult, TraceStart } from "../engine/trace";
import { findColumnInHeader, findTable } from "../workbook/names";
import { OUTPUT_TABLES, outputTableSpellings } from "../workbook/outputSchema";
import type { TableRef, WorkbookPort } from "../workbook/port";
import { VALUE_ENTRIES } from "../workbook/schema";
import { parseInteger } from "../workbook/values";
import type { ExcelRun } from "./adapter";

export type SelectionTrace =
  | {
      kind: "done";
      start: TraceStart;
      result: TraceResult;
      glRows: Map<number, number>;
      valueRows: Map<number, number>;
      glTable: TableRef | undefined;
      valueTable: TableRef | undefined;
    }
  | { kind: "notAnEntry"; message: string }
  | NotDone;

/** Sheet name and 1-based row of the active selection's first cell, from its address ('G L'!B5:C7). */
export function addressRow(address: string): { sheet: string; row: number } | null {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?[A-Z]+\$?(\d+)/.exec(address);
  if (m === null) return null;
  return { sheet: (m[1] ?? m[2]).replace(/''/g, "'"), row: Number(m[3]) };
}

/** Entry No. -> sheet row of a table (rows without a readable Entry No. are left out). */
async function rowsByEntryNo(
  port: WorkbookPort,
  ref: TableRef | undefined
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (ref === undefined) return out;
  const t = await port.readTable(ref);
  const ix = findColumnInHeader(t.header, "Entry No.");
  if (ix < 0) return out;
  t.rows.forEach((r, i) => {
    const p = parseInteger(r[ix] ?? null, t.numberStyle);
    if (p.ok && p.value !== null && !out.has(p.value)) out.set(p.value, t.rowNumbers[i]);
  });
  return out;
}

export async function traceSelection(run: ExcelRun, port: WorkbookPort): Promise<SelectionTrace> {
  const address = await run(async (context) => {
    const r = context.workbook.getSelectedRange();
    r.load("address");
    await context.sync();
    return r.address;
  });
  const at = addressRow(address);
  const refs = await port.listTables();
  const glTable = findTable(
    refs,
    OUTPUT_TABLES.glEntries.names.name,
    outputTableSpellings("glEntries")
  );
  const valueTable = findTable(refs, VALUE_ENTRIES.name, VALUE_ENTRIES.aliases ?? []);
  const hint = "Select a row of the G/L Entries or the Value Entries table, then Trace.";
  if (at === null) return { kind: "notAnEntry", message: hint };
  const glRows = await rowsByEntryNo(port, glTable);
  const valueRows = await rowsByEntryNo(port, valueTable);
  const onRow = (rows: Map<number, number>) => [...rows].find(([, row]) => row === at.row)?.[0];
  let start: TraceStart | null = null;
  if (glTable?.sheet === at.sheet && onRow(glRows) !== undefined)
    start = { glEntryNo: onRow(glRows)! };
  else if (valueTable?.sheet === at.sheet && onRow(valueRows) !== undefined)
    start = { valueEntryNo: onRow(valueRows)! };
  if (start === null)
    return { kind: "notAnEntry", message: `${address} is not a row of an entry. ${hint}` };
  const o = await traceWorkbook(port, start);
  if (o.kind !== "done") return o;
  if (o.result.error !== null) return { kind: "notAnEntry", message: o.result.error };
  return { kind: "done", start, result: o.result, glRows, valueRows, glTable, valueTable };
}
