/**
 * The data behind the fake Excel: sheets of cells, tables (ListObjects), selection, events and a log of
 * every sync with its measured payload. Plain data, no Office.js; the proxies in fakeExcel.ts read and
 * change it the way Excel's request batches do.
 */
import { parseAddress, rangeAddress, type RangeBox } from "../../../src/excel/address";

export type Scalar = string | number | boolean;

export interface Box {
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

export class SheetModel {
  /** values[row][col]; undefined = blank cell. */
  values: (Scalar | undefined)[][] = [];
  formats: (string | undefined)[][] = [];
  constructor(
    public name: string,
    public readonly id: string
  ) {}

  get(row: number, col: number): Scalar | undefined {
    return this.values[row]?.[col];
  }
  format(row: number, col: number): string {
    return this.formats[row]?.[col] ?? "General";
  }
  set(row: number, col: number, v: Scalar | undefined): void {
    if (v === undefined || v === "") {
      const r = this.values[row];
      if (r && col < r.length) r[col] = undefined;
      return;
    }
    (this.values[row] ??= [])[col] = v;
  }
  setFormat(row: number, col: number, f: string | undefined): void {
    if (f === undefined || f === "General" || f === "") {
      const r = this.formats[row];
      if (r && col < r.length) r[col] = undefined;
      return;
    }
    (this.formats[row] ??= [])[col] = f;
  }

  /** The bounding box of non-blank cells (valuesOnly) or of cells with a value or a format. */
  usedBox(valuesOnly: boolean): Box | null {
    let r0 = -1;
    let r1 = -1;
    let c0 = Infinity;
    let c1 = -1;
    const scan = (grid: unknown[][]) => {
      for (let r = 0; r < grid.length; r++) {
        const row = grid[r];
        if (!row) continue;
        for (let c = 0; c < row.length; c++) {
          if (row[c] === undefined) continue;
          if (r0 < 0 || r < r0) r0 = r;
          if (r > r1) r1 = r;
          if (c < c0) c0 = c;
          if (c > c1) c1 = c;
        }
      }
    };
    scan(this.values);
    if (!valuesOnly) scan(this.formats);
    if (r0 < 0) return null;
    return { row: r0, col: c0, rowCount: r1 - r0 + 1, colCount: c1 - c0 + 1 };
  }

  /** Inserts `count` blank rows at `row` in columns [col, col+colCount), shifting cells below down. */
  insertRows(row: number, count: number, col: number, colCount: number): void {
    for (const grid of [this.values, this.formats] as unknown[][][]) {
      const last = grid.length - 1;
      for (let r = last; r >= row; r--) {
        const src = grid[r];
        if (!src) continue;
        for (let c = col; c < col + colCount && c < src.length; c++) {
          if (src[c] === undefined) continue;
          (grid[r + count] ??= [])[c] = src[c];
          src[c] = undefined;
        }
      }
    }
  }

  /** Deletes rows [row, row+count) in columns [col, col+colCount), shifting cells below up. */
  deleteRows(row: number, count: number, col: number, colCount: number): void {
    for (const grid of [this.values, this.formats] as unknown[][][]) {
      for (let r = row; r < grid.length; r++) {
        const dst = (grid[r] ??= []);
        const src = grid[r + count];
        for (let c = col; c < col + colCount; c++) dst[c] = src?.[c];
      }
    }
  }

  /** Inserts a blank column at `col` in rows [row, row+rowCount), shifting cells right. */
  insertColumn(col: number, row: number, rowCount: number): void {
    for (const grid of [this.values, this.formats] as unknown[][][]) {
      for (let r = row; r < row + rowCount; r++) {
        const cells = grid[r];
        if (!cells || cells.length <= col) continue;
        cells.splice(col, 0, undefined);
      }
    }
  }
}

export class TableModel {
  style = "TableStyleMedium2";
  showHeaders = true;
  constructor(
    public name: string,
    public sheet: SheetModel,
    /** Header row + data rows. */
    public box: Box,
    public readonly id: string
  ) {}
  get headerRow(): number {
    return this.box.row;
  }
  get bodyRow(): number {
    return this.box.row + 1;
  }
  get bodyRowCount(): number {
    return this.box.rowCount - 1;
  }
}

export interface SyncRecord {
  /** Number of queued actions (method calls, property sets, loads). */
  actions: number;
  /** JSON size of everything sent: method names, arguments, values set. */
  requestBytes: number;
  /** JSON size of everything loaded back. */
  responseBytes: number;
  /** Whether calculation / screen updating were suspended for this sync. */
  calculationSuspended: boolean;
  screenUpdatingSuspended: boolean;
  /** Actions that changed cells. */
  writes: number;
}

export interface ChangeEvent {
  sheet: SheetModel;
  box: Box;
  changeType: "RangeEdited" | "RowInserted" | "RowDeleted" | "ColumnInserted";
  source: "Local" | "Remote";
}

export type ChangeListener = (e: ChangeEvent) => void;

export class PayloadLimitError extends Error {
  readonly code = "RequestPayloadSizeLimitExceeded";
  constructor(what: string, bytes: number, limit: number) {
    super(`The ${what} payload of ${bytes} bytes exceeds the limit of ${limit} bytes.`);
    this.name = "PayloadLimitError";
  }
}

export class FakeExcelError extends Error {
  constructor(
    public readonly code: string,
    message: string
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

let nextId = 1;
export function newId(prefix: string): string {
  return `{${prefix}-${(nextId++).toString(16).padStart(8, "0")}}`;
}

/** A whole workbook in memory. */
export class WorkbookModel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  activeSheet: SheetModel | null = null;
  selection: { sheet: SheetModel; box: Box } | null = null;
  syncs: SyncRecord[] = [];
  /** Office's request and response payload limit (about 5 MB on the web). */
  limits = { requestBytes: 5 * 1024 * 1024, responseBytes: 5 * 1024 * 1024 };
  /** context.runtime.enableEvents */
  eventsEnabled = true;
  /** The workbook counts dates from 1904 (cell values are serials of that system). */
  date1904 = false;
  /** The ExcelApi minor version the fake claims (17 = ExcelApi 1.17). */
  apiMinor = 17;
  supports(set: string, version: string): boolean {
    if (set !== "ExcelApi") return set === "SharedRuntime" || set === "CustomFunctionsRuntime";
    const minor = Number(version.split(".")[1] ?? 0);
    return minor <= this.apiMinor;
  }
  /** Called after anything changes cells (through the API or userEdit). */
  private listeners: ChangeListener[] = [];
  /** Called after each sync (the try page redraws its grid). */
  onAfterSync: (() => void) | null = null;

  addSheet(name: string): SheetModel {
    if (this.sheet(name))
      throw new FakeExcelError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    if (!validSheetName(name))
      throw new FakeExcelError("InvalidArgument", `"${name}" is not a valid worksheet name.`);
    const s = new SheetModel(name, newId("sheet"));
    this.sheets.push(s);
    if (!this.activeSheet) this.activeSheet = s;
    return s;
  }
  sheet(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === key);
  }
  table(name: string): TableModel | undefined {
    const key = name.toLowerCase();
    return this.tables.find((t) => t.name.toLowerCase() === key);
  }
  addTable(sheet: SheetModel, box: Box, name?: string): TableModel {
    if (box.rowCount < 2) box = { ...box, rowCount: 2 };
    for (const t of this.tables) {
      if (t.sheet === sheet && intersects(t.box, box)) {
        throw new FakeExcelError("InvalidArgument", "A table can't overlap another table.");
      }
    }
    let n = this.tables.length + 1;
    while (!name && this.table(`Table${n}`)) n++;
    const tname = name ?? `Table${n}`;
    if (this.table(tname))
      throw new FakeExcelError("ItemAlreadyExists", `A table named "${tname}" already exists.`);
    // Header cells become unique texts.
    const seen = new Set<string>();
    for (let c = 0; c < box.colCount; c++) {
      let h = sheet.get(box.row, box.col + c);
      let text = h === undefined ? `Column${c + 1}` : String(h);
      let k = 2;
      const base = text;
      while (seen.has(text.toLowerCase())) text = `${base}${k++}`;
      seen.add(text.toLowerCase());
      h = text;
      sheet.set(box.row, box.col + c, h);
    }
    const t = new TableModel(tname, sheet, { ...box }, newId("table"));
    this.tables.push(t);
    return t;
  }
  renameTable(t: TableModel, name: string): void {
    if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(name)) {
      throw new FakeExcelError("InvalidArgument", `"${name}" is not a valid table name.`);
    }
    const other = this.table(name);
    if (other && other !== t)
      throw new FakeExcelError("ItemAlreadyExists", `A table named "${name}" already exists.`);
    t.name = name;
  }
  tableAt(sheet: SheetModel, row: number, col: number): TableModel | undefined {
    return this.tables.find(
      (t) =>
        t.sheet === sheet &&
        row >= t.box.row &&
        row < t.box.row + t.box.rowCount &&
        col >= t.box.col &&
        col < t.box.col + t.box.colCount
    );
  }

  addChangeListener(l: ChangeListener): () => void {
    this.listeners.push(l);
    return () => {
      this.listeners = this.listeners.filter((x) => x !== l);
    };
  }
  emitChange(e: ChangeEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  /**
   * A person typing into the grid (not through the API): sets values from `address` on and raises the
   * change events Excel raises (source Local) unless the add-in turned its events off.
   */
  userEdit(sheetName: string, address: string, values: (Scalar | null)[][]): void {
    const sheet = this.sheet(sheetName);
    if (!sheet) throw new Error(`no sheet ${sheetName}`);
    const b = parseAddress(address);
    for (let r = 0; r < values.length; r++) {
      for (let c = 0; c < values[r].length; c++) {
        const v = values[r][c];
        if (v === null) continue;
        sheet.set(b.row + r, b.col + c, coerceInput(v, sheet.format(b.row + r, b.col + c)));
      }
    }
    // Typing right below a table extends it (Excel's AutoExpansion).
    const box = {
      row: b.row,
      col: b.col,
      rowCount: values.length,
      colCount: values[0]?.length ?? 1,
    };
    let changeType: ChangeEvent["changeType"] = "RangeEdited";
    for (const t of this.tables) {
      if (
        t.sheet === sheet &&
        box.row === t.box.row + t.box.rowCount &&
        box.col >= t.box.col &&
        box.col < t.box.col + t.box.colCount
      ) {
        t.box.rowCount += box.rowCount;
        changeType = "RowInserted";
      }
    }
    if (this.eventsEnabled) this.emitChange({ sheet, box, changeType, source: "Local" });
    this.onAfterSync?.();
  }

  /** Values of a sheet's used range as Excel returns them ("" for blanks), for tests and the try page. */
  sheetValues(name: string): Scalar[][] {
    const s = this.sheet(name);
    if (!s) throw new Error(`no sheet ${name}`);
    const b = s.usedBox(true);
    if (!b) return [];
    const out: Scalar[][] = [];
    for (let r = 0; r < b.row + b.rowCount; r++) {
      const row: Scalar[] = [];
      for (let c = 0; c < b.col + b.colCount; c++) row.push(s.get(r, c) ?? "");
      out.push(row);
    }
    return out;
  }

  describeBox(sheet: SheetModel, box: Box): string {
    return rangeAddress(box.row, box.col, box.rowCount, box.colCount) + (sheet ? "" : "");
  }
}

export function intersects(a: Box, b: Box): boolean {
  return (
    a.row < b.row + b.rowCount &&
    b.row < a.row + a.rowCount &&
    a.col < b.col + b.colCount &&
    b.col < a.col + a.colCount
  );
}

export function validSheetName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 31 &&
    !/[\\/?*[\]:]/.test(name) &&
    !name.startsWith("'") &&
    !name.endsWith("'")
  );
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * What Excel stores when a value is written through Range.values: text that looks like a number, a
 * boolean or a date becomes one unless the cell's number format is Text ("@").
 */
export function coerceInput(v: Scalar, numberFormat: string): Scalar | undefined {
  if (typeof v !== "string") return v;
  if (v === "") return undefined;
  if (numberFormat === "@") return v;
  const t = v.trim();
  if (NUMBER_TEXT.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
  const m = ISO_DATE.exec(t);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 + 25569;
  return v;
}

export type { RangeBox };
