/**
 * Input errors (rules.md section 4, "Input errors are not skips"): what the reader could not be sure of, named
 * by table, row, column and the value found; and finding an input table, whose missing or ambiguous name is one.
 */
import { findTablesRanked } from './names';
import type { TableRef } from './port';

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

const MISSING_TABLE = 'The required table';

/** A required input table that is not there (the task pane offers to create it: app/init.ts). */
export function isMissingTableError(e: Pick<InputError, 'row' | 'column' | 'message'>): boolean {
  return e.row === undefined && e.column === undefined && e.message.startsWith(MISSING_TABLE);
}

/** The table of that name (best match), or undefined; a missing required one and an ambiguous name are errors. */
export function findInputTable(
  tables: readonly TableRef[],
  name: string,
  aliases: readonly string[],
  required: boolean,
  errors: InputError[],
): TableRef | undefined {
  const hits = findTablesRanked(tables, name, aliases);
  if (hits.length === 0) {
    if (required) errors.push({ table: name, message: `${MISSING_TABLE} "${name}" is missing (no table, sheet or file of that name).` });
    return undefined;
  }
  const best = hits.filter((h) => h.rank === hits[0].rank);
  if (best.length > 1)
    errors.push({
      table: name,
      message: `More than one table matches "${name}": ${best.map((h) => `"${h.ref.name}"`).join(', ')}. Rename or remove the extra ones.`,
    });
  return hits[0].ref;
}

