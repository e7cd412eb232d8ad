/**
 * Input errors (rules.md section 4, "Input errors are not skips"): what the reader could not be sure of, named
 * by table, row, column and the value found; and finding an input table, whose missing or ambiguous name is one.
 */
import { findTablesRanked, looseName } from "./names";
import type { TableProblem, TableRef, WorkbookPort } from "./port";
import { tablesFound, type ReadContext } from "./readContext";

export interface InputError {
  /** The table's caption (workbook.md), e.g. "Value Entries". */
  table: string;
  /**
   * Where the table was found when its name there differs from the caption: `sheet "Data"` or
   * `table "Table1" on sheet "Data"` (so the row number leads to the right sheet).
   */
  foundAs?: string;
  /** The row the user sees (sheet row, CSV line, JSON position + 1); absent for a missing table or column. */
  row?: number;
  /** The column as named in the table's header (or the caption of a missing column). */
  column?: string;
  /** The value found, as text. */
  value?: string;
  /** Self-contained text, quoting the value when there is one: `"12a" is not a number`. */
  message: string;
}

/** `Value Entries, row 7, column "Cost Amount (Actual)": "12a" is not a number` */
export function formatInputError(e: InputError): string {
  let where = e.foundAs === undefined ? e.table : `${e.table} (${e.foundAs})`;
  if (e.row !== undefined) where += `, row ${e.row}`;
  if (e.column !== undefined) where += `, column "${e.column}"`;
  return `${where}: ${e.message}`;
}

const MISSING_TABLE = "The required table";

/** A required input table that is not there (the task pane offers to create it: app/init.ts). */
export function isMissingTableError(e: Pick<InputError, "row" | "column" | "message">): boolean {
  return e.row === undefined && e.column === undefined && e.message.startsWith(MISSING_TABLE);
}

/** The table of that name (best match), or undefined; a missing required one and an ambiguous name are errors. */
export function findInputTable(
  tables: readonly TableRef[],
  name: string,
  aliases: readonly string[],
  required: boolean,
  errors: InputError[]
): TableRef | undefined {
  const hits = findTablesRanked(tables, name, aliases);
  if (hits.length === 0) {
    if (required)
      errors.push({
        table: name,
        message: `${MISSING_TABLE} "${name}" is missing (no table, sheet or file of that name).`,
      });
    return undefined;
  }
  const best = hits.filter((h) => h.rank === hits[0].rank);
  if (best.length > 1)
    errors.push({
      table: name,
      message: `More than one table matches "${name}": ${best.map((h) => `"${h.ref.name}"`).join(", ")}. Rename or remove the extra ones.`,
    });
  return hits[0].ref;
}

/** Adds where each table was found to its errors, when the sheet or Excel table is named otherwise. */
export function locateErrors(errors: InputError[], ctx: ReadContext): void {
  const found = new Map<string, TableRef>();
  for (const { caption, ref } of tablesFound(ctx)) found.set(caption, ref);
  for (const e of errors) {
    const ref = found.get(e.table);
    if (ref === undefined || ref.sheet === undefined) continue;
    const sheetDiffers = looseName(ref.sheet) !== looseName(e.table);
    if (ref.kind === "table" && looseName(ref.name) !== looseName(e.table))
      e.foundAs = `table "${ref.name}"${sheetDiffers ? ` on sheet "${ref.sheet}"` : ""}`;
    else if (sheetDiffers) e.foundAs = `sheet "${ref.sheet}"`;
  }
}

/**
 * Errors grouped by table (in the order the tables were read), then table-level errors (missing table or
 * column) before row errors, rows in order; errors of one row keep their column order.
 */
export function sortErrors(errors: InputError[]): void {
  const tableOrder = new Map<string, number>();
  for (const e of errors) if (!tableOrder.has(e.table)) tableOrder.set(e.table, tableOrder.size);
  const indexed = errors.map((e, i) => ({ e, i }));
  indexed.sort(
    (a, b) =>
      tableOrder.get(a.e.table)! - tableOrder.get(b.e.table)! ||
      (a.e.row ?? 0) - (b.e.row ?? 0) ||
      a.i - b.i
  );
  indexed.forEach((x, i) => (errors[i] = x.e));
}

/** What an adapter found wrong in a table it read (SourceTable.problems), kept to report as input errors. */
export type FoundProblems = { ref: TableRef; problems: TableProblem[] }[];

/** A port whose readTable keeps each table's problems in `found`. */
export function keepingProblems(source: WorkbookPort, found: FoundProblems): WorkbookPort {
  return {
    listTables: () => source.listTables(),
    readTable: async (ref) => {
      const t = await source.readTable(ref);
      if (t.problems !== undefined && t.problems.length > 0)
        found.push({ ref, problems: t.problems });
      return t;
    },
    write: (writes, guard, progress) => source.write(writes, guard, progress),
  };
}

/** The adapter's problems as input errors of the table (by its caption) they were found in. */
export function problemErrors(found: FoundProblems, ctx: ReadContext, errors: InputError[]): void {
  const captions = tablesFound(ctx);
  for (const { ref, problems } of found) {
    const table = captions.find((c) => c.ref === ref)?.caption ?? ref.name;
    for (const p of problems) errors.push({ table, ...p });
  }
}
