/**
 * =INVT.RECONCILE: the Inventory - G/L Reconciliation matrix of argument ranges, as glpost reconcile computes
 * it (app/reconcile.ts, write: false): a header row, the 18 matrix rows, then a blank row and one row per
 * explanation (its amount in the Difference column, its cause in Warning). A thin wrapper: the ranges become a
 * read-only workbook and the same reader, engine and summary run on it.
 */
import { reconcileWorkbook } from "../../app/reconcile";
import { MATRIX_COLUMNS } from "../../engine/reconcile";
import { GL_ENTRY_COLUMNS, OUTPUT_TABLES, RELATION_COLUMNS } from "../../workbook/outputSchema";
import type { SourceTable } from "../../workbook/port";
import { ARGS, type Spill } from "./formulas";
import { FormulaError, omitted, RangeWorkbook, tableFromRange, type RangeArg } from "./ranges";

const GL_ARG: RangeArg = {
  arg: "glEntries",
  table: OUTPUT_TABLES.glEntries.names.name,
  knownColumns: GL_ENTRY_COLUMNS.map((c) => c.name),
};
const REL_ARG: RangeArg = {
  arg: "relations",
  table: OUTPUT_TABLES.glItemLedgerRelation.names.name,
  knownColumns: RELATION_COLUMNS.map((c) => c.name),
};

export const RECONCILE_HEADER = ["Row", ...MATRIX_COLUMNS, "Warning"];

export interface ReconcileArgs {
  valueEntries: unknown;
  inventoryPostingSetup: unknown;
  generalPostingSetup: unknown;
  glEntries?: unknown;
  relations?: unknown;
  dateFilter?: unknown;
  settings?: unknown;
  items?: unknown;
  glAccounts?: unknown;
}

/** RECONCILE takes an empty string for an argument left out, too. */
const omittedOrEmpty = (v: unknown) => v === "" || omitted(v);

export async function reconcileValues(a: ReconcileArgs): Promise<Spill> {
  const given: [RangeArg, unknown, boolean][] = [
    [ARGS.valueEntries, a.valueEntries, true],
    [ARGS.inventoryPostingSetup, a.inventoryPostingSetup, true],
    [ARGS.generalPostingSetup, a.generalPostingSetup, true],
    [GL_ARG, a.glEntries, false],
    [REL_ARG, a.relations, false],
    [ARGS.settings, a.settings, false],
    [ARGS.items, a.items, false],
    [ARGS.glAccounts, a.glAccounts, false],
  ];
  const tables: SourceTable[] = [];
  for (const [spec, v, required] of given) {
    if (!omittedOrEmpty(v)) tables.push(tableFromRange(spec, v));
    else if (required)
      throw new FormulaError(
        "#REF!",
        `${spec.arg}: the argument is required; pass the table with its header row.`
      );
  }
  const dateFilter = omittedOrEmpty(a.dateFilter)
    ? ""
    : String(Array.isArray(a.dateFilter) ? (a.dateFilter[0] as unknown[])[0] : a.dateFilter).trim();
  const outcome = await reconcileWorkbook(new RangeWorkbook(tables), {
    dateFilter,
    write: false,
    allowInterrupted: true,
  });
  if (outcome.kind === "usageError")
    throw new FormulaError("#VALUE!", `dateFilter: ${outcome.message}`);
  if (outcome.kind === "inputErrors") {
    const e = outcome.errors[0];
    const arg = given.find(([spec]) => spec.table === e.table)?.[0].arg ?? e.table;
    const where = `${arg}${e.row !== undefined ? `, row ${e.row}` : ""}${e.column !== undefined ? `, column "${e.column}"` : ""}`;
    throw new FormulaError(e.row === undefined ? "#REF!" : "#VALUE!", `${where}: ${e.message}`);
  }
  if (outcome.kind !== "done") throw new FormulaError("#VALUE!", outcome.message);
  const s = outcome.summary;
  const num = (t: string | null): number | string => (t === null ? "" : Number(t));
  const out: Spill = [RECONCILE_HEADER];
  for (const m of s.matrix) out.push([m.row, ...MATRIX_COLUMNS.map((c) => num(m[c])), m.Warning]);
  if (s.explanations.length > 0) {
    out.push(RECONCILE_HEADER.map(() => ""));
    for (const x of s.explanations)
      out.push([x.label, "", "", "", "", "", Number(x.amount), x.text]);
  }
  return out;
}
