/**
 * Reading one input table by its schema (schema.ts): columns resolved against the header once (captions,
 * aliases, BC's other spellings), then one switch per cell into plain records, every unreadable cell an input
 * error naming table, row and column; duplicate keys and conditionally required columns checked after.
 */
import type { MoneyScale } from "../engine/money";
import type { Settings } from "../engine/types";
import { bcColumnAliases } from "./bcShapes";
import { DATE1904_OFFSET } from "./cellFormats";
import {
  dayMonthText,
  decideDateOrder,
  splitSlashed,
  type DateOrder,
  type DateOrderSetting,
  type OrderDecision,
} from "./dateOrder";
import type { InputError } from "./inputErrors";
import { findColumn, looseHeader, looseName } from "./names";
import type { CellValue, SourceTable } from "./port";
import type { InputColumn, InputTableSchema, RequiredWhen } from "./schema";
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
} from "./values";

const K_INTEGER = 0;
const K_MONEY = 1;
const K_DATE = 2;
const K_BOOLEAN = 3;
const K_TEXT = 4;
const K_CODE = 5;
const K_OPTION = 6;
const KIND_CODE = {
  integer: K_INTEGER,
  money: K_MONEY,
  date: K_DATE,
  boolean: K_BOOLEAN,
  text: K_TEXT,
  code: K_CODE,
  option: K_OPTION,
};

export interface Resolved {
  col: InputColumn;
  index: number;
  header: string;
  kind: number;
  /** false: found but not read (ACY columns without an Additional Reporting Currency). */
  parse: boolean;
}

export interface ReadOptions {
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
function tableDateOrder(
  table: SourceTable,
  dateCols: readonly Resolved[],
  setting: DateOrderSetting
): OrderDecision {
  if (setting !== "auto") return { kind: "decided", order: setting };
  if (dateCols.length === 0) return { kind: "undecided" };
  const texts: string[] = [];
  for (const row of table.rows)
    for (const c of dateCols) {
      const v = c.index < row.length ? row[c.index] : null;
      if (dayMonthText(v ?? null)) texts.push(v as string);
    }
  return decideDateOrder(texts);
}

/** The date order the table's d/m/y texts decide (null: they do not, or conflict). */
export function decidedDateOrder(table: SourceTable, cols: readonly Resolved[]): DateOrder | null {
  const d = tableDateOrder(
    table,
    cols.filter((c) => c.parse && c.kind === K_DATE),
    "auto"
  );
  return d.kind === "decided" ? d.order : null;
}

export interface RowRecord<T> {
  rec: T;
  rowIndex: number;
  /** A key field failed to read: leave the row out of the duplicate check. */
  keyError: boolean;
  /** Some cell failed to read: the record's fields are not all known (conditional columns ignore it). */
  anyError: boolean;
}

/** `The required column "X" is missing: <why>. Add the column ...` (the reason is the schema's). */
function missingColumnMessage(col: InputColumn): string {
  if (col.why === undefined) return `The required column "${col.name}" is missing.`;
  return `The required column "${col.name}" is missing: ${col.why}. Add the column (with blank cells where blank is really meant).`;
}

/** Every header index whose loose name is the column's caption or one of its aliases. */
function columnHits(loose: readonly string[], col: InputColumn): number[] {
  const wanted = new Set([col.name, ...(col.aliases ?? [])].map(looseName));
  const hits: number[] = [];
  for (let i = 0; i < loose.length; i++) if (loose[i] !== "" && wanted.has(loose[i])) hits.push(i);
  return hits;
}

/**
 * Resolves the schema's columns against the header once; reports missing required columns and columns that
 * appear twice (which of the two holds the value cannot be known: a second copy may be stale).
 * Conditional requirements (`requiredWhen`) other than 'acy' need the records: see checkConditionalColumns.
 */
export function resolveColumns(
  schema: InputTableSchema,
  table: SourceTable,
  opts: ReadOptions,
  errors: InputError[]
): Resolved[] {
  const loose = looseHeader(table.header);
  const emptyTable =
    table.header.every((h) => looseName(h ?? "") === "") && table.rows.length === 0;
  const out: Resolved[] = [];
  for (const schemaCol of schema.columns) {
    // BC's other captions, API field names and the settings' global dimension captions count as aliases.
    const col: InputColumn = {
      ...schemaCol,
      aliases: bcColumnAliases(schema, schemaCol, opts.settings),
    };
    const index = findColumn(loose, col.name, col.aliases);
    if (index < 0) {
      // An empty table (e.g. a JSON key holding []) has no header to complain about.
      const required = col.required === true || (col.requiredWhen === "acy" && opts.acy);
      if (required && !emptyTable)
        errors.push({ table: schema.name, column: col.name, message: missingColumnMessage(col) });
      continue;
    }
    const hits = columnHits(loose, col);
    if (hits.length > 1)
      errors.push({
        table: schema.name,
        column: table.header[hits[1]],
        message: `the columns ${hits.map((i) => `"${table.header[i]}"`).join(" and ")} are both ${col.name}; keep one of them (which one holds the right value cannot be told).`,
      });
    out.push({
      col,
      index,
      header: table.header[index],
      kind: KIND_CODE[col.kind],
      parse: !col.acy || opts.acy,
    });
  }
  return out;
}

/**
 * The columns required only when the data needs them (schema `requiredWhen`): e.g. Expected Cost Posted to G/L
 * once any entry has Expected Cost = Yes. Checked after reading, over the records read.
 */
export function checkConditionalColumns(
  schema: InputTableSchema,
  cols: readonly Resolved[],
  holds: (when: RequiredWhen) => boolean,
  errors: InputError[]
): void {
  const found = new Set(cols.map((c) => c.col.field));
  for (const col of schema.columns) {
    if (col.requiredWhen === undefined || col.requiredWhen === "acy" || found.has(col.field))
      continue;
    if (holds(col.requiredWhen))
      errors.push({ table: schema.name, column: col.name, message: missingColumnMessage(col) });
  }
}

/**
 * Reads the rows of a table into records made by `make` (defaults for every field), one switch per cell.
 * Blank rows (every known column blank) are skipped. Every unreadable cell is an InputError.
 */
export function readRecords<T extends object>(
  schema: InputTableSchema,
  table: SourceTable,
  cols: Resolved[],
  make: () => T,
  opts: ReadOptions,
  errors: InputError[],
  onRow?: (rowIndex: number, row: readonly CellValue[]) => void
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
  const decision = tableDateOrder(
    table,
    parsed.filter((c) => c.kind === K_DATE),
    opts.dateOrder ?? "auto"
  );
  const order = decision.kind === "decided" ? decision.order : null;
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
            if (col.valueRequired) error = "a value is required (the cell is blank)";
            else rec[col.field] = 0;
          } else rec[col.field] = p.value;
          break;
        }
        case K_MONEY: {
          const p = parseMoney(cell, opts.scale, numberStyle);
          if (p.ok) rec[col.field] = p.value;
          else if (!(opts.suppressRounding && p.kind === "needs rounding")) error = p.error;
          break;
        }
        case K_DATE: {
          const p = parseDate(
            typeof cell === "number" && table.date1904 === true ? cell + DATE1904_OFFSET : cell,
            order
          );
          const sd = !p.ok && order === null && dayMonthText(cell) ? splitSlashed(cell) : null;
          if (sd !== null && !sd.yearFirst && sd.parts[2] >= 100) {
            const u = undecided.get(c);
            if (u === undefined)
              undecided.set(c, { row: rowNumbers[r], value: cell as string, count: 1 });
            else u.count++;
            anyError = true;
          } else if (!p.ok) error = p.error;
          else if (p.value === null) {
            if (col.valueRequired) error = "a date is required (the cell is blank)";
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
          if (v === "" && col.valueRequired) error = "a value is required (the cell is blank)";
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
        errors.push({
          table: tableName,
          row: rowNumbers[r],
          column: c.header,
          value: cellText(cell),
          message: error,
        });
        if (keyFields.has(col.field)) keyError = true;
        anyError = true;
      }
    }
    out.push({ rec: rec as T, rowIndex: r, keyError, anyError });
  }
  for (const [c, u] of undecided) {
    const more =
      u.count > 1
        ? ` (and ${u.count - 1} more slashed date${u.count > 2 ? "s" : ""} in this column)`
        : "";
    const why =
      decision.kind === "conflict"
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
export function checkDuplicates<T extends object>(
  schema: InputTableSchema,
  table: SourceTable,
  cols: Resolved[],
  records: readonly RowRecord<T>[],
  errors: InputError[]
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
    const k = single !== null ? r[single] : key.map((f) => String(r[f])).join("\u0001");
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
      const parts = key.map(
        (f, i) =>
          `${keyCols[i]?.header ?? schema.columns.find((c) => c.field === f)!.name} ${quote(values[i])}`
      );
      errors.push({
        table: schema.name,
        row: rowNo,
        value: values.join(","),
        message: `the key ${parts.join(" and ")} appears more than once (first in row ${first}); each combination must be unique.`,
      });
    }
  }
}

export interface MaxColumn {
  name: string;
  aliases?: string[];
}

/** The largest whole number of each column (0 when none); unreadable cells are input errors. */
export function maxOfColumns(
  tableName: string,
  table: SourceTable,
  columns: MaxColumn[],
  errors: InputError[]
): number[] {
  const loose = looseHeader(table.header);
  return columns.map((c) => {
    const index = findColumn(loose, c.name, c.aliases);
    if (index < 0) return 0;
    let max = 0;
    for (let r = 0; r < table.rows.length; r++) {
      const row = table.rows[r];
      const cell = index < row.length ? (row[index] ?? null) : null;
      const p = parseInteger(cell, table.numberStyle);
      if (!p.ok)
        errors.push({
          table: tableName,
          row: table.rowNumbers[r],
          column: table.header[index],
          value: cellText(cell),
          message: p.error,
        });
      else if (p.value !== null && p.value > max) max = p.value;
    }
    return max;
  });
}
