/**
 * The boundary between the product and wherever a workbook lives (an .xlsx file, a folder of CSV
 * files, a JSON file, a live Excel workbook). Adapters implement WorkbookPort; everything above it
 * (schema, parsing, the engine, the run) is the same for all of them (workbook.md).
 */

/** A cell as read or written. Dates are read as Excel serial numbers or text; see ColumnFormat for writes. */
export type CellValue = string | number | boolean | null;

export type TableKind = "table" | "sheet" | "csv" | "json";

/** Where a table was found: an Excel table (ListObject), a worksheet, a CSV file or a JSON key. */
export interface TableRef {
  /** The name as found: the Excel table name, the sheet name, the CSV file name without .csv, the JSON key. */
  name: string;
  kind: TableKind;
  /** The worksheet that holds it (kinds 'table' and 'sheet'). */
  sheet?: string;
}

/** A table as read: header texts and data rows, with the row numbers a user sees. */
export interface SourceTable {
  ref: TableRef;
  header: string[];
  /** Data rows; a row may be shorter than the header (missing cells read as null). Blank rows are kept. */
  rows: CellValue[][];
  /** For each data row, the number the user sees: the sheet row, the CSV line, the JSON array position + 1. */
  rowNumbers: number[];
  /**
   * How the table's number text reads (CSV: decided once per file). Absent: numbers are cells, or text read
   * as before (xlsx, JSON).
   */
  numberStyle?: NumberStyle;
  /**
   * What the adapter could not read below the cell level (a file that is not valid text, a ragged CSV record):
   * the reader reports each as an input error of the table. A row named here reads as blank.
   */
  problems?: TableProblem[];
  /**
   * Numbers in this table are serials of the workbook's 1904 date system (the Excel add-in's raw values):
   * the reader shifts them in date columns. The xlsx reader converts date cells itself and leaves this unset.
   */
  date1904?: boolean;
}

/** A file's decimal mark, decided from the values that can be read only one way ("165,00", "1,234.50"). */
export interface NumberStyle {
  /** null: no value of the file decides (then text such as "1.500" cannot be read). */
  decimal: "," | "." | null;
  /** What decided it, for messages: `"165,00" in line 3, column "Cost Amount (Actual)"`. */
  decidedBy?: string;
}

/** A problem an adapter found in a table: the row (the number the user sees), the column and value when known. */
export interface TableProblem {
  row?: number;
  column?: string;
  value?: string;
  /** Self-contained, saying what to do. */
  message: string;
}

/**
 * How a written column is rendered. The value given for each format:
 * - money:   decimal text with the precision's decimals, e.g. "165.00" (exact; adapters write a number
 *            cell with an accounting format, CSV writes the text, JSON writes a number)
 * - date:    ISO text "2026-01-31" (a date cell in Excel, the ISO text in CSV and JSON)
 * - time:    "HH:MM:SS"
 * - integer: a number
 * - boolean: true/false (written as Yes/No in Excel and CSV, true/false in JSON)
 * - text:    a string
 * null is always an empty cell.
 */
export type ColumnFormat = "text" | "integer" | "money" | "date" | "time" | "boolean";

export interface ColumnSpec {
  name: string;
  format: ColumnFormat;
  /** Least width (characters) of the column on a new sheet, so a table with few or no rows still reads (adapters may ignore it). */
  width?: number;
}

/** Names an output table takes in each kind of workbook (Excel forbids '/' in sheet names, spaces in table names). */
export interface OutputTableNames {
  /** The spec's caption, e.g. "G/L Entries"; JSON uses it as the key. */
  name: string;
  /** Worksheet name for a new sheet (<= 31 chars, none of \ / ? * [ ] :). */
  sheetName: string;
  /** Excel table (ListObject) name for a new table. */
  excelTableName: string;
  /** CSV file name without .csv. */
  csvName: string;
}

/** Update cells of existing rows in place (the posted columns of Value Entries). */
export interface UpdateWrite {
  kind: "update";
  /** The table as it was read. */
  table: TableRef;
  /** Columns to write, matched loosely against the table's header; a missing one is added after the last column. */
  columns: ColumnSpec[];
  /** row = index into SourceTable.rows as read; values in the order of columns. */
  updates: { row: number; values: CellValue[] }[];
}

/** Add rows after the last row of a table, creating the table when it does not exist. */
export interface AppendWrite {
  kind: "append";
  names: OutputTableNames;
  /** The existing table when one was found, else undefined (create it). */
  existing?: TableRef;
  columns: ColumnSpec[];
  rows: CellValue[][];
}

/** Replace all data rows of a table (keeping its place, header and formatting), creating it when missing. */
export interface ReplaceWrite {
  kind: "replace";
  names: OutputTableNames;
  existing?: TableRef;
  columns: ColumnSpec[];
  rows: CellValue[][];
}

/**
 * Remove data rows of a table; the rows below move up (glpost repair rolls back an interrupted run with it).
 * rows = indexes into SourceTable.rows as read. Nothing else of the table changes.
 */
export interface DeleteWrite {
  kind: "delete";
  table: TableRef;
  rows: number[];
}

export type TableWrite = UpdateWrite | AppendWrite | ReplaceWrite | DeleteWrite;

/**
 * What the run read and expects still to be there when it writes (workbook.md, Safety). A file
 * adapter may check its file instead (unchanged since read); a live workbook re-reads these.
 */
export interface WriteGuard {
  valueEntries: TableRef;
  /** Header names of the posted columns as found (absent ones are omitted). */
  postedColumns: string[];
  /** The posted columns' values as read, one array per data row, in postedColumns order. */
  postedValues: CellValue[][];
  /** The largest G/L Register No. read (0 when none). */
  lastRegisterNo: number;
}

export class ConcurrentChangeError extends Error {
  constructor(
    message = "The workbook was changed by someone else since it was read (posted columns or G/L Registers). Nothing was written; run again."
  ) {
    super(message);
    this.name = "ConcurrentChangeError";
  }
}

/**
 * Which state the files are in after a failed write (cli.md, exit 3): nothing was written (the output is
 * elsewhere and was not created or changed), the input is unchanged (an in-place run wrote nothing), or a
 * CSV folder's commit is half done (its journal is in place: the next run on the folder completes it).
 */
export type WriteFailureState = "nothingWritten" | "inputUnchanged" | "halfDone";

/** A write or I/O failure (not an input error): the path, the OS error and the state the files are in. */
export class WriteFailedError extends Error {
  constructor(
    readonly path: string,
    /** The OS error code (ENOSPC, EROFS, EACCES, EISDIR, EBUSY, ...). */
    readonly code: string,
    /** The OS error's own text. */
    readonly osError: string,
    readonly state: WriteFailureState,
    /** The state in words, e.g. "Nothing was written; the input is unchanged." */
    readonly stateText: string
  ) {
    super(`Cannot write ${path}: ${osError}. ${stateText}`);
    this.name = "WriteFailedError";
  }
}

export interface WriteProgress {
  (done: number, total: number, what: string): void;
}

export interface WorkbookPort {
  /** Every Excel table and every non-empty worksheet (or CSV file, or JSON key) that could hold a table. */
  listTables(): Promise<TableRef[]>;
  readTable(ref: TableRef): Promise<SourceTable>;
  /**
   * Apply all writes, or none: check the guard first (throw ConcurrentChangeError when it fails),
   * then write. File adapters write to a temporary file and rename it.
   */
  write(writes: TableWrite[], guard: WriteGuard | null, progress?: WriteProgress): Promise<void>;
}
