/**
 * What a read hands to the writes that follow it: where every table was found, how Value Entries' rows map to
 * the entries read, the posted cells as read (for the guard that refuses a write over someone else's post).
 */
import type { MoneyScale } from "../engine/money";
import type { ExistingLedger, Settings } from "../engine/types";
import { OUTPUT_KEYS, OUTPUT_TABLES, type OutputKey } from "./outputSchema";
import type { CellValue, TableRef, WriteGuard } from "./port";
import {
  DEFAULT_DIMENSIONS,
  GENERAL_POSTING_SETUP,
  GL_ACCOUNTS,
  INVENTORY_POSTING_SETUP,
  ITEMS,
  SETTINGS_TABLE,
  SETUP_RECORD_TABLES,
  USER_SETUP,
  VALUE_ENTRIES,
  type PostedField,
} from "./schema";

export interface PostedColumnInfo {
  field: PostedField;
  /** The header text as found in the Value Entries table. */
  header: string;
  /** Column index in the Value Entries header. */
  index: number;
}

export interface InputTableRefs {
  valueEntries?: TableRef;
  inventoryPostingSetup?: TableRef;
  generalPostingSetup?: TableRef;
  items?: TableRef;
  glAccounts?: TableRef;
  defaultDimensions?: TableRef;
  userSetup?: TableRef;
  settings?: TableRef;
  inventorySetup?: TableRef;
  generalLedgerSetup?: TableRef;
}

export interface ReadContext {
  /** The Amount Rounding Precision's scale (CENTS when the precision could not be read). */
  scale: MoneyScale;
  settings: Settings;
  /** Additional Reporting Currency set: the ACY columns take part. */
  acy: boolean;
  /** Every input table found. */
  tables: InputTableRefs;
  /** Every output table found (absent = does not exist yet). */
  outputs: Partial<Record<OutputKey, TableRef>>;
  /** For each entry of PostingInput.valueEntries: its index in the Value Entries SourceTable.rows. */
  valueEntryRows: number[];
  /** Number of data rows of the Value Entries table as read (blank rows included). */
  valueEntriesRowCount: number;
  valueEntriesHeader: string[];
  /** The posted columns found (the ACY ones only when acy). */
  postedColumns: PostedColumnInfo[];
  /** Per SourceTable row (blank rows included), the posted columns' cells as read, in postedColumns order. */
  postedValues: CellValue[][];
  existing: ExistingLedger;
  /** The largest No. in the G/L Registers table (0 when none): the guard's lastRegisterNo. */
  lastRegisterNoInRegisters: number;
}

/** The guard a posting run hands to WorkbookPort.write (null when there is no Value Entries table). */
export function makeWriteGuard(ctx: ReadContext): WriteGuard | null {
  if (ctx.tables.valueEntries === undefined) return null;
  return {
    valueEntries: ctx.tables.valueEntries,
    postedColumns: ctx.postedColumns.map((p) => p.header),
    postedValues: ctx.postedValues,
    lastRegisterNo: ctx.lastRegisterNoInRegisters,
  };
}

/** Every table the read found, by its caption (workbook.md): the name its input errors carry. */
export function tablesFound(ctx: ReadContext): { caption: string; ref: TableRef }[] {
  const t = ctx.tables;
  const all: [string, TableRef | undefined][] = [
    [VALUE_ENTRIES.name, t.valueEntries],
    [INVENTORY_POSTING_SETUP.name, t.inventoryPostingSetup],
    [GENERAL_POSTING_SETUP.name, t.generalPostingSetup],
    [ITEMS.name, t.items],
    [GL_ACCOUNTS.name, t.glAccounts],
    [DEFAULT_DIMENSIONS.name, t.defaultDimensions],
    [USER_SETUP.name, t.userSetup],
    [SETTINGS_TABLE.name, t.settings],
    [SETUP_RECORD_TABLES[0].name, t.inventorySetup],
    [SETUP_RECORD_TABLES[1].name, t.generalLedgerSetup],
    ...OUTPUT_KEYS.map((k): [string, TableRef | undefined] => [
      OUTPUT_TABLES[k].names.name,
      ctx.outputs[k],
    ]),
  ];
  return all
    .filter((x): x is [string, TableRef] => x[1] !== undefined)
    .map(([caption, ref]) => ({ caption, ref }));
}
