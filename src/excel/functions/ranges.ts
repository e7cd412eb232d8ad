/**
 * Excel ranges (the 2-D values a custom function receives for `ValueEntries[#All]`) as the tables the workbook
 * reader reads: a WorkbookPort over the argument ranges, so a formula and a CLI run read with the same code.
 * Plus the error values a formula returns, and the content hashes its caches key on. No Office.js here.
 */
import { findColumn, looseHeader } from "../../workbook/names";
import type {
  CellValue,
  SourceTable,
  TableRef,
  TableWrite,
  WorkbookPort,
  WriteGuard,
} from "../../workbook/port";
import type { InputTableSchema } from "../../workbook/schema";

/** The Excel error values a formula returns; the message is the cell's error tooltip. */
export type FormulaErrorCode = "#VALUE!" | "#REF!" | "#N/A" | "#NUM!" | "#NAME?";

/** A bad argument or input: becomes an Excel error value (CustomFunctions.Error in Excel). */
export class FormulaError extends Error {
  constructor(
    readonly code: FormulaErrorCode,
    message: string
  ) {
    super(message);
    this.name = "FormulaError";
  }
}

/** Makes the error a function throws: CustomFunctions.Error in Excel, FormulaError elsewhere (jest, the bench). */
export type ErrorFactory = (code: FormulaErrorCode, message: string) => unknown;
export const plainErrors: ErrorFactory = (code, message) => new FormulaError(code, message);

/** What an argument range holds, as the function's parameter is named and the table the reader looks for. */
export interface RangeArg {
  /** The parameter's name as the user sees it in Excel (`valueEntries`). */
  arg: string;
  /** The reader's caption for the table (`Value Entries`). */
  table: string;
  /** Column captions (and aliases) that can stand in a header row of this table: at least one must. */
  knownColumns: readonly string[];
}

export function rangeArg(
  arg: string,
  schema: Pick<InputTableSchema, "name" | "columns">
): RangeArg {
  return {
    arg,
    table: schema.name,
    knownColumns: schema.columns.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
  };
}

/** An argument left out: Excel passes null (undefined outside Excel), or a 1 x 1 range that is empty. */
export const omitted = (v: unknown) =>
  v === null ||
  v === undefined ||
  (Array.isArray(v) &&
    v.length === 1 &&
    Array.isArray(v[0]) &&
    v[0].length === 1 &&
    (v[0][0] === null || v[0][0] === ""));

/** A cell as Excel hands it to a function: "" for an empty cell, numbers (dates as serials), booleans. */
function cellOf(v: unknown): CellValue {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  // An error value inside the range: its text, so the reader says `"#N/A" is not a number`.
  if (typeof v === "object" && v !== null && "code" in v)
    return String((v as { code: unknown }).code);
  return String(v);
}

/** A scalar where a range was expected is a 1 x 1 range (Excel passes a single cell so in some hosts). */
function rows2d(v: unknown): unknown[][] {
  if (!Array.isArray(v)) return [[v]];
  return v.map((r) => (Array.isArray(r) ? r : [r]));
}

/**
 * The range as a SourceTable: the first row is the header, data rows follow with their position in the
 * range as the row number (header = row 1, so it is the sheet row when the table starts in row 1).
 * A first row without any column name of the table is "no header row" (#REF!), never read as data.
 */
export function tableFromRange(spec: RangeArg, range: unknown): SourceTable {
  const values = rows2d(range);
  if (values.length === 0 || values[0].length === 0)
    throw new FormulaError(
      "#REF!",
      `${spec.arg}: the range is empty; pass the table with its header row, e.g. ${excelTableName(spec.table)}[#All].`
    );
  const header = values[0].map((v) => {
    const c = cellOf(v);
    return c === null ? "" : String(c).trim();
  });
  const loose = looseHeader(header);
  const known = spec.knownColumns.some((name) => findColumn(loose, name) >= 0);
  if (!known) {
    const found = header
      .filter((h) => h !== "")
      .slice(0, 3)
      .map((h) => JSON.stringify(h))
      .join(", ");
    throw new FormulaError(
      "#REF!",
      `${spec.arg}: the range has no header row (its first row, ${found === "" ? "blank" : found}, names no column of ${spec.table} such as "${spec.knownColumns[0]}"); pass the table with its header row, e.g. ${excelTableName(spec.table)}[#All].`
    );
  }
  const n = values.length - 1;
  const rows: CellValue[][] = new Array(n);
  const rowNumbers: number[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const src = values[r + 1];
    const row: CellValue[] = new Array(src.length);
    for (let c = 0; c < src.length; c++) {
      const v = src[c];
      // The common cells first, without a call.
      row[c] =
        typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && v !== "")
          ? v
          : cellOf(v);
    }
    rows[r] = row;
    rowNumbers[r] = r + 2;
  }
  return { ref: { name: spec.table, kind: "table" }, header, rows, rowNumbers };
}

/** The Excel table name a sample would use for a caption: `Value Entries` -> `ValueEntries`. */
function excelTableName(caption: string): string {
  return caption.replace(/[^A-Za-z0-9]/g, "");
}

/**
 * A read-only WorkbookPort over tables made from argument ranges. Writing is refused: a formula is a
 * preview and never changes the workbook.
 */
export class RangeWorkbook implements WorkbookPort {
  private readonly byName = new Map<string, SourceTable>();
  constructor(tables: readonly SourceTable[]) {
    for (const t of tables) this.byName.set(t.ref.name, t);
  }
  async listTables(): Promise<TableRef[]> {
    return [...this.byName.values()].map((t) => t.ref);
  }
  async readTable(ref: TableRef): Promise<SourceTable> {
    const t = this.byName.get(ref.name);
    if (t === undefined) throw new Error(`No table ${ref.name}`);
    return t;
  }
  async write(_writes: TableWrite[], _guard: WriteGuard | null): Promise<void> {
    throw new Error("A formula never writes to the workbook.");
  }
}

/** An empty table (no header, no rows): a required table the function has no argument for. */
export function emptyTable(table: string): SourceTable {
  return { ref: { name: table, kind: "table" }, header: [], rows: [], rowNumbers: [] };
}

// ---------------------------------------------------------------------------------------------
// Content hashes: Excel hands a function new arrays on every recalculation, so caches key on content.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * Two independent 32-bit FNV-1a style hashes over every cell (type, then value) and the shape: 64 bits, so
 * a changed range giving the same key is not a practical concern. About 5 ms for 10,000 rows x 20 columns.
 */
export function rangeHash(range: unknown): string {
  // Content, not identity: Excel hands over new arrays each time, and an array may be changed in place.
  if (range === null || range === undefined) return "-";
  const values = rows2d(range);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ values.length;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
  };
  for (const row of values) {
    mix(row.length | 0x40000000);
    for (const v of row) {
      if (typeof v === "number") {
        f64[0] = v;
        mix(1);
        mix(u32[0]);
        mix(u32[1]);
      } else if (typeof v === "string") {
        mix(2 | (v.length << 3));
        for (let i = 0; i < v.length; i++) mix(v.charCodeAt(i));
      } else if (typeof v === "boolean") mix(v ? 3 : 4);
      else if (v === null || v === undefined) mix(5);
      else {
        const t = String(cellOf(v));
        mix(6);
        for (let i = 0; i < t.length; i++) mix(t.charCodeAt(i));
      }
    }
  }
  return `${values.length}:${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** A small least-recently-used cache (Map keeps insertion order). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly size: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  get count(): number {
    return this.map.size;
  }
}
