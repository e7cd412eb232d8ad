/**
 * readPostingInput: every input table of workbook.md read through a WorkbookPort into the engine's plain
 * PostingInput, with every input error collected (rules.md section 4, "Input errors are not skips"), and a
 * ReadContext that holds what writing needs later (table refs, row mapping, posted values for the guard).
 *
 * Order: Settings first (the Amount Rounding Precision decides how amounts read), then Value Entries, the
 * posting setups, the optional tables, and the existing output tables (numbering continues after them).
 *
 * Performance: columns are resolved once per table; the row loop does one switch per cell, no name matching.
 */
import type { MoneyScale } from '../engine/money';
import {
  emptyValueEntry,
  type DefaultDimension,
  type ExistingLedger,
  type GeneralPostingSetup,
  type GLAccount,
  type GLAccountType,
  type InventoryPostingSetup,
  type Item,
  type PostingInput,
  type Settings,
  type UserSetup,
  type ValueEntry,
  type ValuePosting,
} from '../engine/types';
import { ACCOUNT_TYPE_COUNT } from '../engine/accountTypes';
import { bcColumnAliases } from './bcShapes';
import { DATE1904_OFFSET } from './cellFormats';
import { dayMonthText, decideDateOrder, splitSlashed, type DateOrder, type DateOrderSetting, type OrderDecision } from './dateOrder';
import { findColumn, findTables, looseHeader, looseName } from './names';
import { beyondBoundMessage, entryNoBoundErrors, interruptedRunError, ledgerVerdict, MAX_ENTRY_NO, type LedgerTables } from './ledgerState';
import { OUTPUT_KEYS, OUTPUT_TABLES, outputTableSpellings, type OutputKey } from './outputs';
import type { CellValue, SourceTable, TableProblem, TableRef, WorkbookPort, WriteGuard } from './port';
import {
  accountField,
  DEFAULT_DIMENSIONS,
  GENERAL_POSTING_SETUP,
  GL_ACCOUNT_TABLE_ID,
  GL_ACCOUNTS,
  INVENTORY_POSTING_SETUP,
  ITEMS,
  POSTED_FIELDS,
  SETTINGS_TABLE,
  SETUP_RECORD_TABLES,
  USER_SETUP,
  VALUE_ENTRIES,
  type InputColumn,
  type InputTableSchema,
  type PostedField,
  type RequiredWhen,
} from './schema';
import {
  cellText,
  isBlank,
  parseCode,
  parseDate,
  parseInteger,
  parseMoney,
  parseOption,
  parseText,
  parseYesNo,
  quote,
} from './values';
import { findInputTable, type InputError } from './inputErrors';
import { readSettings } from './settings';

export { formatInputError, type InputError } from './inputErrors';

// ---------------------------------------------------------------------------------------------
// Result and context

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

export interface ReadResult {
  /** null when there is any input error. */
  input: PostingInput | null;
  errors: InputError[];
  context: ReadContext;
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

/** Adds where each table was found to its errors, when the sheet or Excel table is named otherwise. */
function locateErrors(errors: InputError[], ctx: ReadContext): void {
  const found = new Map<string, TableRef>();
  const refs: [string, TableRef | undefined][] = [
    [VALUE_ENTRIES.name, ctx.tables.valueEntries],
    [INVENTORY_POSTING_SETUP.name, ctx.tables.inventoryPostingSetup],
    [GENERAL_POSTING_SETUP.name, ctx.tables.generalPostingSetup],
    [ITEMS.name, ctx.tables.items],
    [GL_ACCOUNTS.name, ctx.tables.glAccounts],
    [DEFAULT_DIMENSIONS.name, ctx.tables.defaultDimensions],
    [USER_SETUP.name, ctx.tables.userSetup],
    [SETTINGS_TABLE.name, ctx.tables.settings],
    ...OUTPUT_KEYS.map((k): [string, TableRef | undefined] => [OUTPUT_TABLES[k].names.name, ctx.outputs[k]]),
  ];
  for (const [caption, ref] of refs) if (ref !== undefined) found.set(caption, ref);
  for (const e of errors) {
    const ref = found.get(e.table);
    if (ref === undefined || ref.sheet === undefined) continue;
    const sheetDiffers = looseName(ref.sheet) !== looseName(e.table);
    if (ref.kind === 'table' && looseName(ref.name) !== looseName(e.table)) e.foundAs = `table "${ref.name}"${sheetDiffers ? ` on sheet "${ref.sheet}"` : ''}`;
    else if (sheetDiffers) e.foundAs = `sheet "${ref.sheet}"`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generic table reading

const K_INTEGER = 0;
const K_MONEY = 1;
const K_DATE = 2;
const K_BOOLEAN = 3;
const K_TEXT = 4;
const K_CODE = 5;
const K_OPTION = 6;
const KIND_CODE = { integer: K_INTEGER, money: K_MONEY, date: K_DATE, boolean: K_BOOLEAN, text: K_TEXT, code: K_CODE, option: K_OPTION };

interface Resolved {
  col: InputColumn;
  index: number;
  header: string;
  kind: number;
  /** false: found but not read (ACY columns without an Additional Reporting Currency). */
  parse: boolean;
}

interface ReadOptions {
  scale: MoneyScale;
  acy: boolean;
  /** The precision could not be read: "needs rounding" would only repeat that error. */
  suppressRounding: boolean;
  /** For BC's global dimension captions ("Department Code"): bcShapes.ts. */
  settings?: Settings;
  /** How slashed dates read (dateOrder.ts): an order, or 'auto' = decided per table. */
  dateOrder?: DateOrderSetting;
}

/** The table's date order: the setting's, or on auto the one its d/m/y texts decide (dateOrder.ts). */
function tableDateOrder(table: SourceTable, dateCols: readonly Resolved[], setting: DateOrderSetting): OrderDecision {
  if (setting !== 'auto') return { kind: 'decided', order: setting };
  if (dateCols.length === 0) return { kind: 'undecided' };
  const texts: string[] = [];
  for (const row of table.rows)
    for (const c of dateCols) {
      const v = c.index < row.length ? row[c.index] : null;
      if (dayMonthText(v ?? null)) texts.push(v as string);
    }
  return decideDateOrder(texts);
}

interface RowRecord<T> {
  rec: T;
  rowIndex: number;
  /** A key field failed to read: leave the row out of the duplicate check. */
  keyError: boolean;
  /** Some cell failed to read: the record's fields are not all known (conditional columns ignore it). */
  anyError: boolean;
}

/** `The required column "X" is missing: <why>. Add the column ...` (the reason is the schema's). */
export function missingColumnMessage(col: InputColumn): string {
  if (col.why === undefined) return `The required column "${col.name}" is missing.`;
  return `The required column "${col.name}" is missing: ${col.why}. Add the column (with blank cells where blank is really meant).`;
}

/** Every header index whose loose name is the column's caption or one of its aliases. */
function columnHits(loose: readonly string[], col: InputColumn): number[] {
  const wanted = new Set([col.name, ...(col.aliases ?? [])].map(looseName));
  const hits: number[] = [];
  for (let i = 0; i < loose.length; i++) if (loose[i] !== '' && wanted.has(loose[i])) hits.push(i);
  return hits;
}

/**
 * Resolves the schema's columns against the header once; reports missing required columns and columns that
 * appear twice (which of the two holds the value cannot be known: a second copy may be stale).
 * Conditional requirements (`requiredWhen`) other than 'acy' need the records: see checkConditionalColumns.
 */
function resolveColumns(schema: InputTableSchema, table: SourceTable, opts: ReadOptions, errors: InputError[]): Resolved[] {
  const loose = looseHeader(table.header);
  const emptyTable = table.header.every((h) => looseName(h ?? '') === '') && table.rows.length === 0;
  const out: Resolved[] = [];
  for (const schemaCol of schema.columns) {
    // BC's other captions, API field names and the settings' global dimension captions count as aliases.
    const col: InputColumn = { ...schemaCol, aliases: bcColumnAliases(schema, schemaCol, opts.settings) };
    const index = findColumn(loose, col.name, col.aliases);
    if (index < 0) {
      // An empty table (e.g. a JSON key holding []) has no header to complain about.
      const required = col.required === true || (col.requiredWhen === 'acy' && opts.acy);
      if (required && !emptyTable) errors.push({ table: schema.name, column: col.name, message: missingColumnMessage(col) });
      continue;
    }
    const hits = columnHits(loose, col);
    if (hits.length > 1)
      errors.push({
        table: schema.name,
        column: table.header[hits[1]],
        message: `the columns ${hits.map((i) => `"${table.header[i]}"`).join(' and ')} are both ${col.name}; keep one of them (which one holds the right value cannot be told).`,
      });
    out.push({ col, index, header: table.header[index], kind: KIND_CODE[col.kind], parse: !col.acy || opts.acy });
  }
  return out;
}

/**
 * The columns required only when the data needs them (schema `requiredWhen`): e.g. Expected Cost Posted to G/L
 * once any entry has Expected Cost = Yes. Checked after reading, over the records read.
 */
function checkConditionalColumns(
  schema: InputTableSchema,
  cols: readonly Resolved[],
  holds: (when: RequiredWhen) => boolean,
  errors: InputError[],
): void {
  const found = new Set(cols.map((c) => c.col.field));
  for (const col of schema.columns) {
    if (col.requiredWhen === undefined || col.requiredWhen === 'acy' || found.has(col.field)) continue;
    if (holds(col.requiredWhen)) errors.push({ table: schema.name, column: col.name, message: missingColumnMessage(col) });
  }
}

/**
 * Reads the rows of a table into records made by `make` (defaults for every field), one switch per cell.
 * Blank rows (every known column blank) are skipped. Every unreadable cell is an InputError.
 */
function readRecords<T extends object>(
  schema: InputTableSchema,
  table: SourceTable,
  cols: Resolved[],
  make: () => T,
  opts: ReadOptions,
  errors: InputError[],
  onRow?: (rowIndex: number, row: readonly CellValue[]) => void,
): RowRecord<T>[] {
  const out: RowRecord<T>[] = [];
  const rows = table.rows;
  const rowNumbers = table.rowNumbers;
  const indexes = cols.map((c) => c.index);
  const parsed = cols.filter((c) => c.parse);
  const keyFields = new Set(schema.key ?? []);
  const tableName = schema.name;
  const numberStyle = table.numberStyle;
  const n = rows.length;
  const decision = tableDateOrder(table, parsed.filter((c) => c.kind === K_DATE), opts.dateOrder ?? 'auto');
  const order = decision.kind === 'decided' ? decision.order : null;
  // Undecided d/m/y dates: one error per column (with the first row), not one per cell.
  const undecided = new Map<Resolved, { row: number; value: string; count: number }>();
  for (let r = 0; r < n; r++) {
    const row = rows[r] ?? [];
    if (onRow !== undefined) onRow(r, row);
    let blank = true;
    for (let i = 0; i < indexes.length; i++) {
      const ix = indexes[i];
      if (ix < row.length && !isBlank(row[ix] ?? null)) {
        blank = false;
        break;
      }
    }
    if (blank) continue;
    const rec = make() as Record<string, unknown>;
    let keyError = false;
    let anyError = false;
    for (let i = 0; i < parsed.length; i++) {
      const c = parsed[i];
      const cell: CellValue = c.index < row.length ? (row[c.index] ?? null) : null;
      const col = c.col;
      let error: string | null = null;
      switch (c.kind) {
        case K_INTEGER: {
          const p = parseInteger(cell, numberStyle);
          if (!p.ok) error = p.error;
          else if (p.value === null) {
            if (col.valueRequired) error = 'a value is required (the cell is blank)';
            else rec[col.field] = 0;
          } else rec[col.field] = p.value;
          break;
        }
        case K_MONEY: {
          const p = parseMoney(cell, opts.scale, numberStyle);
          if (p.ok) rec[col.field] = p.value;
          else if (!(opts.suppressRounding && p.kind === 'needs rounding')) error = p.error;
          break;
        }
        case K_DATE: {
          const p = parseDate(typeof cell === 'number' && table.date1904 === true ? cell + DATE1904_OFFSET : cell, order);
          const sd = !p.ok && order === null && dayMonthText(cell) ? splitSlashed(cell) : null;
          if (sd !== null && !sd.yearFirst && sd.parts[2] >= 100) {
            const u = undecided.get(c);
            if (u === undefined) undecided.set(c, { row: rowNumbers[r], value: cell as string, count: 1 });
            else u.count++;
            anyError = true;
          } else if (!p.ok) error = p.error;
          else if (p.value === null) {
            if (col.valueRequired) error = 'a date is required (the cell is blank)';
            else rec[col.field] = null;
          } else rec[col.field] = p.value;
          break;
        }
        case K_BOOLEAN: {
          const p = parseYesNo(cell);
          if (!p.ok) error = p.error;
          else rec[col.field] = p.value ?? col.blankIs ?? false;
          break;
        }
        case K_TEXT:
          rec[col.field] = parseText(cell);
          break;
        case K_CODE: {
          const v = parseCode(cell);
          if (v === '' && col.valueRequired) error = 'a value is required (the cell is blank)';
          else rec[col.field] = v;
          break;
        }
        case K_OPTION: {
          const p = parseOption(cell, col.options!);
          if (p.ok) rec[col.field] = p.value;
          else error = p.error;
          break;
        }
      }
      if (error !== null) {
        errors.push({ table: tableName, row: rowNumbers[r], column: c.header, value: cellText(cell), message: error });
        if (keyFields.has(col.field)) keyError = true;
        anyError = true;
      }
    }
    out.push({ rec: rec as T, rowIndex: r, keyError, anyError });
  }
  for (const [c, u] of undecided) {
    const more = u.count > 1 ? ` (and ${u.count - 1} more slashed date${u.count > 2 ? 's' : ''} in this column)` : '';
    const why =
      decision.kind === 'conflict'
        ? `this table's dates read day-first (${JSON.stringify(decision.dayFirst)}) and month-first (${JSON.stringify(decision.monthFirst)})`
        : `nothing in this table says whether ${JSON.stringify(u.value)} is day-first or month-first`;
    errors.push({
      table: tableName,
      row: u.row,
      column: c.header,
      value: u.value,
      message: `${why}${more}: set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order.`,
    });
  }
  return out;
}

/** Duplicate keys are input errors, reported on every repeat with the row of the first. */
function checkDuplicates<T extends object>(
  schema: InputTableSchema,
  table: SourceTable,
  cols: Resolved[],
  records: readonly RowRecord<T>[],
  errors: InputError[],
): void {
  const key = schema.key;
  if (key === undefined || key.length === 0) return;
  // Only when every key column exists (a missing one is already an error).
  const keyCols = key.map((f) => cols.find((c) => c.col.field === f));
  const seen = new Map<unknown, number>();
  const single = key.length === 1 ? key[0] : null;
  for (const { rec, rowIndex, keyError } of records) {
    if (keyError) continue;
    const r = rec as Record<string, unknown>;
    // One key field (Entry No., No.): the value itself is the map key, no string building per row.
    const k = single !== null ? r[single] : key.map((f) => String(r[f])).join('\u0001');
    const first = seen.get(k);
    const rowNo = table.rowNumbers[rowIndex];
    if (first === undefined) {
      seen.set(k, rowNo);
      continue;
    }
    const values = key.map((f) => String(r[f]));
    if (key.length === 1) {
      errors.push({
        table: schema.name,
        row: rowNo,
        column: keyCols[0]?.header ?? schema.columns.find((c) => c.field === key[0])!.name,
        value: values[0],
        message: `${quote(values[0])} appears more than once (first in row ${first}); ${schema.columns.find((c) => c.field === key[0])!.name} must be unique.`,
      });
    } else {
      const parts = key.map((f, i) => `${keyCols[i]?.header ?? schema.columns.find((c) => c.field === f)!.name} ${quote(values[i])}`);
      errors.push({
        table: schema.name,
        row: rowNo,
        value: values.join(','),
        message: `the key ${parts.join(' and ')} appears more than once (first in row ${first}); each combination must be unique.`,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Record factories


type SetupRecord = Record<string, unknown>;

function accountsOf(rec: SetupRecord): string[] {
  const accounts: string[] = new Array(ACCOUNT_TYPE_COUNT).fill('');
  for (let i = 0; i < ACCOUNT_TYPE_COUNT; i++) {
    const v = rec[accountField(i)];
    if (typeof v === 'string') accounts[i] = v;
  }
  return accounts;
}

// ---------------------------------------------------------------------------------------------
// Existing output tables

interface MaxColumn {
  name: string;
  aliases?: string[];
}

/** The largest whole number of each column (0 when none); unreadable cells are input errors. */
function maxOfColumns(tableName: string, table: SourceTable, columns: MaxColumn[], errors: InputError[]): number[] {
  const loose = looseHeader(table.header);
  return columns.map((c) => {
    const index = findColumn(loose, c.name, c.aliases);
    if (index < 0) return 0;
    let max = 0;
    for (let r = 0; r < table.rows.length; r++) {
      const row = table.rows[r];
      const cell = index < row.length ? (row[index] ?? null) : null;
      const p = parseInteger(cell, table.numberStyle);
      if (!p.ok) errors.push({ table: tableName, row: table.rowNumbers[r], column: table.header[index], value: cellText(cell), message: p.error });
      else if (p.value !== null && p.value > max) max = p.value;
    }
    return max;
  });
}

/**
 * Errors grouped by table (in the order the tables were read), then table-level errors (missing table or
 * column) before row errors, rows in order; errors of one row keep their column order.
 */
function sortErrors(errors: InputError[]): void {
  const tableOrder = new Map<string, number>();
  for (const e of errors) if (!tableOrder.has(e.table)) tableOrder.set(e.table, tableOrder.size);
  const indexed = errors.map((e, i) => ({ e, i }));
  indexed.sort((a, b) => tableOrder.get(a.e.table)! - tableOrder.get(b.e.table)! || (a.e.row ?? 0) - (b.e.row ?? 0) || a.i - b.i);
  indexed.forEach((x, i) => (errors[i] = x.e));
}

// ---------------------------------------------------------------------------------------------
// readPostingInput

/** Whether the Value Entries read need a conditionally required column (schema `requiredWhen`). */
function valueEntriesNeed(when: RequiredWhen, records: readonly RowRecord<ValueEntry>[], settings: Settings): boolean {
  switch (when) {
    case 'expectedCost':
      return settings.expectedCostPostingToGL || records.some((r) => !r.anyError && r.rec.expectedCost);
    case 'variance':
      return records.some((r) => !r.anyError && r.rec.entryType === 'Variance');
    case 'capacity':
      return records.some((r) => !r.anyError && r.rec.itemLedgerEntryType === '');
    case 'acy':
      return settings.additionalReportingCurrency !== '';
  }
}

/**
 * Said once when Value Entries lacks both Entry Type and the posting groups: such a file (BC's query-based
 * "ValueEntries" web service, the analytics API) describes cost but cannot say where it posts.
 */
const NOT_A_LEDGER_EXPORT =
  'this table has no Entry Type and no posting groups, so it cannot say which accounts its cost posts to ' +
  "(BC's query-based ValueEntries web service and the analytics API leave them out). Export the Value Entry " +
  'table itself: a configuration package of table 5802, or the Value Entries page with those columns shown.';

export interface ReadPostingOptions {
  /** Read a workbook that holds an interrupted run without refusing it (glpost repair). */
  allowInterrupted?: boolean;
  /** `--date-order`: overrides the Settings' Date Order (dateOrder.ts). */
  dateOrder?: DateOrder;
}

/** A port whose readTable keeps each table's problems (SourceTable.problems) to report as input errors. */
function keepingProblems(source: WorkbookPort, found: { ref: TableRef; problems: TableProblem[] }[]): WorkbookPort {
  return {
    listTables: () => source.listTables(),
    readTable: async (ref) => {
      const t = await source.readTable(ref);
      if (t.problems !== undefined && t.problems.length > 0) found.push({ ref, problems: t.problems });
      return t;
    },
    write: (writes, guard, progress) => source.write(writes, guard, progress),
  };
}

/** The adapter's problems as input errors of the table (by its caption) they were found in. */
function problemErrors(found: { ref: TableRef; problems: TableProblem[] }[], ctx: ReadContext, errors: InputError[]): void {
  const t = ctx.tables;
  const captions: [TableRef | undefined, string][] = [
    [t.valueEntries, VALUE_ENTRIES.name],
    [t.inventoryPostingSetup, INVENTORY_POSTING_SETUP.name],
    [t.generalPostingSetup, GENERAL_POSTING_SETUP.name],
    [t.items, ITEMS.name],
    [t.glAccounts, GL_ACCOUNTS.name],
    [t.defaultDimensions, DEFAULT_DIMENSIONS.name],
    [t.settings, SETTINGS_TABLE.name],
    [t.inventorySetup, SETUP_RECORD_TABLES[0].name],
    [t.generalLedgerSetup, SETUP_RECORD_TABLES[1].name],
    ...OUTPUT_KEYS.map((k): [TableRef | undefined, string] => [ctx.outputs[k], OUTPUT_TABLES[k].names.name]),
  ];
  for (const { ref, problems } of found) {
    const table = captions.find(([r]) => r === ref)?.[1] ?? ref.name;
    for (const p of problems) errors.push({ table, ...p });
  }
}

export async function readPostingInput(source: WorkbookPort, options: ReadPostingOptions = {}): Promise<ReadResult> {
  const errors: InputError[] = [];
  const found: { ref: TableRef; problems: TableProblem[] }[] = [];
  const port = keepingProblems(source, found);
  const tables = await port.listTables();
  const refs: InputTableRefs = {};

  const { settings, scale, precisionInvalid, dateOrder } = await readSettings(port, tables, refs, errors, options.dateOrder);
  const acy = settings.additionalReportingCurrency !== '';
  const opts: ReadOptions = { scale, acy, suppressRounding: precisionInvalid, settings, dateOrder };

  const context: ReadContext = {
    scale,
    settings,
    acy,
    tables: refs,
    outputs: {},
    valueEntryRows: [],
    valueEntriesRowCount: 0,
    valueEntriesHeader: [],
    postedColumns: [],
    postedValues: [],
    existing: { lastGLEntryNo: 0, lastTransactionNo: 0, lastRegisterNo: 0 },
    lastRegisterNoInRegisters: 0,
  };

  // Value Entries
  const valueEntries: ValueEntry[] = [];
  refs.valueEntries = findInputTable(tables, VALUE_ENTRIES.name, VALUE_ENTRIES.aliases, true, errors);
  if (refs.valueEntries !== undefined) {
    const table = await port.readTable(refs.valueEntries);
    const cols = resolveColumns(VALUE_ENTRIES, table, opts, errors);
    const postedFields: readonly PostedField[] = acy ? POSTED_FIELDS : ['costPostedToGL', 'expectedCostPostedToGL'];
    const posted: PostedColumnInfo[] = [];
    for (const f of postedFields) {
      const c = cols.find((x) => x.col.field === f);
      if (c !== undefined) posted.push({ field: f, header: c.header, index: c.index });
    }
    const postedIdx = posted.map((p) => p.index);
    const postedValues: CellValue[][] = new Array(table.rows.length);
    const records = readRecords(VALUE_ENTRIES, table, cols, emptyValueEntry, opts, errors, (r, row) => {
      const v: CellValue[] = new Array(postedIdx.length);
      for (let i = 0; i < postedIdx.length; i++) v[i] = postedIdx[i] < row.length ? (row[postedIdx[i]] ?? null) : null;
      postedValues[r] = v;
    });
    checkDuplicates(VALUE_ENTRIES, table, cols, records, errors);
    for (const { rec, rowIndex } of records) if (rec.entryNo > MAX_ENTRY_NO) errors.push({ table: VALUE_ENTRIES.name, row: table.rowNumbers[rowIndex], column: cols.find((c) => c.col.field === 'entryNo')!.header, value: String(rec.entryNo), message: beyondBoundMessage(rec.entryNo) });
    checkConditionalColumns(VALUE_ENTRIES, cols, (when) => valueEntriesNeed(when, records, settings), errors);
    const hasHeader = table.header.some((h) => looseName(h ?? '') !== '');
    if (hasHeader && !cols.some((c) => c.col.field === 'entryType') && !cols.some((c) => c.col.field === 'genProdPostingGroup'))
      errors.push({ table: VALUE_ENTRIES.name, message: NOT_A_LEDGER_EXPORT });
    const rowsMap: number[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      valueEntries.push(records[i].rec);
      rowsMap[i] = records[i].rowIndex;
    }
    context.valueEntryRows = rowsMap;
    context.valueEntriesRowCount = table.rows.length;
    context.valueEntriesHeader = table.header.slice();
    context.postedColumns = posted;
    context.postedValues = postedValues;
  }

  // Inventory Posting Setup
  const inventoryPostingSetup: InventoryPostingSetup[] = [];
  refs.inventoryPostingSetup = findInputTable(tables, INVENTORY_POSTING_SETUP.name, INVENTORY_POSTING_SETUP.aliases, true, errors);
  if (refs.inventoryPostingSetup !== undefined) {
    const table = await port.readTable(refs.inventoryPostingSetup);
    const cols = resolveColumns(INVENTORY_POSTING_SETUP, table, opts, errors);
    const records = readRecords<SetupRecord>(INVENTORY_POSTING_SETUP, table, cols, () => ({ locationCode: '', invtPostingGroupCode: '' }), opts, errors);
    checkDuplicates(INVENTORY_POSTING_SETUP, table, cols, records, errors);
    for (const { rec } of records)
      inventoryPostingSetup.push({
        locationCode: rec.locationCode as string,
        invtPostingGroupCode: rec.invtPostingGroupCode as string,
        accounts: accountsOf(rec),
      });
  }

  // General Posting Setup
  const generalPostingSetup: GeneralPostingSetup[] = [];
  refs.generalPostingSetup = findInputTable(tables, GENERAL_POSTING_SETUP.name, GENERAL_POSTING_SETUP.aliases, true, errors);
  if (refs.generalPostingSetup !== undefined) {
    const table = await port.readTable(refs.generalPostingSetup);
    const cols = resolveColumns(GENERAL_POSTING_SETUP, table, opts, errors);
    const records = readRecords<SetupRecord>(
      GENERAL_POSTING_SETUP,
      table,
      cols,
      () => ({ genBusPostingGroup: '', genProdPostingGroup: '', blocked: false }),
      opts,
      errors,
    );
    checkDuplicates(GENERAL_POSTING_SETUP, table, cols, records, errors);
    for (const { rec } of records)
      generalPostingSetup.push({
        genBusPostingGroup: rec.genBusPostingGroup as string,
        genProdPostingGroup: rec.genProdPostingGroup as string,
        blocked: rec.blocked as boolean,
        accounts: accountsOf(rec),
      });
  }

  // Items (optional)
  let items: Item[] | null = null;
  refs.items = findInputTable(tables, ITEMS.name, ITEMS.aliases, false, errors);
  if (refs.items !== undefined) {
    const table = await port.readTable(refs.items);
    const cols = resolveColumns(ITEMS, table, opts, errors);
    const records = readRecords<Item>(ITEMS, table, cols, () => ({ no: '', inventoryPostingGroup: '' }), opts, errors);
    checkDuplicates(ITEMS, table, cols, records, errors);
    items = records.map((r) => r.rec);
  }

  // G/L Accounts (optional)
  let glAccounts: GLAccount[] | null = null;
  refs.glAccounts = findInputTable(tables, GL_ACCOUNTS.name, GL_ACCOUNTS.aliases, false, errors);
  if (refs.glAccounts !== undefined) {
    const table = await port.readTable(refs.glAccounts);
    const cols = resolveColumns(GL_ACCOUNTS, table, opts, errors);
    const records = readRecords<{ no: string; name: string; accountType: GLAccountType | ''; blocked: boolean }>(
      GL_ACCOUNTS,
      table,
      cols,
      () => ({ no: '', name: '', accountType: '', blocked: false }),
      opts,
      errors,
    );
    checkDuplicates(GL_ACCOUNTS, table, cols, records, errors);
    glAccounts = records.map(({ rec }) => ({ no: rec.no, name: rec.name, accountType: rec.accountType === '' ? 'Posting' : rec.accountType, blocked: rec.blocked }));
  }

  // Default Dimensions (optional)
  const defaultDimensions: DefaultDimension[] = [];
  refs.defaultDimensions = findInputTable(tables, DEFAULT_DIMENSIONS.name, DEFAULT_DIMENSIONS.aliases, false, errors);
  if (refs.defaultDimensions !== undefined) {
    const table = await port.readTable(refs.defaultDimensions);
    const cols = resolveColumns(DEFAULT_DIMENSIONS, table, opts, errors);
    const records = readRecords<DefaultDimension & { tableId: number }>(
      DEFAULT_DIMENSIONS,
      table,
      cols,
      () => ({ tableId: 0, no: '', dimensionCode: '', dimensionValueCode: '', valuePosting: '' as ValuePosting }),
      opts,
      errors,
    ).filter((r) => r.rec.tableId === 0 || r.rec.tableId === GL_ACCOUNT_TABLE_ID);
    checkDuplicates(DEFAULT_DIMENSIONS, table, cols, records, errors);
    for (const { rec } of records)
      defaultDimensions.push({ no: rec.no, dimensionCode: rec.dimensionCode, dimensionValueCode: rec.dimensionValueCode, valuePosting: rec.valuePosting });
  }

  // User Setup (optional): per-user allowed posting dates.
  let userSetup: UserSetup[] | null = null;
  refs.userSetup = findInputTable(tables, USER_SETUP.name, USER_SETUP.aliases, false, errors);
  if (refs.userSetup !== undefined) {
    const table = await port.readTable(refs.userSetup);
    const cols = resolveColumns(USER_SETUP, table, opts, errors);
    const records = readRecords<UserSetup>(USER_SETUP, table, cols, () => ({ userId: '', allowPostingFrom: null, allowPostingTo: null }), opts, errors);
    checkDuplicates(USER_SETUP, table, cols, records, errors);
    userSetup = records.map((r) => r.rec);
  }

  // Existing output tables
  for (const key of OUTPUT_KEYS) {
    const hits = findTables(tables, OUTPUT_TABLES[key].names.name, outputTableSpellings(key));
    if (hits.length > 0) context.outputs[key] = hits[0];
  }
  let lastGLEntryNo = 0;
  let lastTransactionNo = 0;
  let lastRegisterNo = 0;
  const ledger: LedgerTables = {};
  if (context.outputs.glEntries !== undefined) {
    const t = (ledger.glEntries = await port.readTable(context.outputs.glEntries));
    const [entryNo, transactionNo, registerNo] = maxOfColumns(
      OUTPUT_TABLES.glEntries.names.name,
      t,
      [{ name: 'Entry No.' }, { name: 'Transaction No.' }, { name: 'G/L Register No.' }],
      errors,
    );
    lastGLEntryNo = Math.max(lastGLEntryNo, entryNo);
    lastTransactionNo = Math.max(lastTransactionNo, transactionNo);
    lastRegisterNo = Math.max(lastRegisterNo, registerNo);
  }
  if (context.outputs.glRegisters !== undefined) {
    const t = (ledger.registers = await port.readTable(context.outputs.glRegisters));
    const [no, toEntryNo] = maxOfColumns(OUTPUT_TABLES.glRegisters.names.name, t, [{ name: 'No.' }, { name: 'To Entry No.' }], errors);
    context.lastRegisterNoInRegisters = no;
    lastRegisterNo = Math.max(lastRegisterNo, no);
    lastGLEntryNo = Math.max(lastGLEntryNo, toEntryNo);
  }
  if (context.outputs.glItemLedgerRelation !== undefined) {
    const t = (ledger.relations = await port.readTable(context.outputs.glItemLedgerRelation));
    const [registerNo] = maxOfColumns(OUTPUT_TABLES.glItemLedgerRelation.names.name, t, [{ name: 'G/L Register No.' }], errors);
    lastRegisterNo = Math.max(lastRegisterNo, registerNo);
  }
  context.existing = { lastGLEntryNo, lastTransactionNo, lastRegisterNo };
  // Numbers beyond BC's 32-bit Integer, and a run that did not finish writing (whatever the Source Code
  // setting is now; BC's own pasted G/L entries are not a run's): ledgerState.ts. glpost repair reads with
  // allowInterrupted, to complete or roll back that run.
  errors.push(...entryNoBoundErrors(ledger));
  if (options.allowInterrupted !== true) for (const run of ledgerVerdict(ledger, valueEntries, acy).interrupted) errors.push(interruptedRunError(run));

  problemErrors(found, context, errors);
  locateErrors(errors, context);
  sortErrors(errors);
  const input: PostingInput | null =
    errors.length > 0
      ? null
      : {
          valueEntries,
          inventoryPostingSetup,
          generalPostingSetup,
          items,
          glAccounts,
          defaultDimensions,
          settings,
          existing: context.existing,
          userSetup,
        };
  return { input, errors, context };
}
