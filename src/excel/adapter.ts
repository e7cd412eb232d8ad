/// <reference types="office-js" />
/**
 * WorkbookPort on the Excel JavaScript API (Excel.run): the live workbook the add-in runs in.
 *
 * - Tables are Excel tables (ListObjects) or plain worksheets (workbook.md, "Finding a table").
 * - Reads and writes go in chunks whose measured JSON payload stays under `payloadBudget` (2 MB by
 *   default, against Office's ~5 MB limit), packing as much as fits into each sync.
 * - write(): everything is located, the guard is checked and every request is planned before the
 *   first cell changes; calculation and screen updating are suspended for each writing sync and this
 *   add-in's events are off while writing (so Automatic Cost Posting does not see its own writes).
 */
import {
  ConcurrentChangeError,
  type AppendWrite,
  type CellValue,
  type ColumnSpec,
  type DeleteWrite,
  type ReplaceWrite,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type UpdateWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from '../workbook/port';
import { columnNumberFormat, fromExcelValue, gridBytes, jsonBytes, toExcelValue, type ExcelScalar } from './cells';
import { findColumnInHeader, looseName, findTable } from '../workbook/names';
import { OUTPUT_TABLES, outputTableSpellings } from '../workbook/outputSchema';

export type ExcelRun = <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface ExcelPortOptions {
  /** Defaults to the global Excel.run. */
  run?: ExcelRun;
  /** Largest JSON payload of one request or response, in bytes. Default 2,000,000. */
  payloadBudget?: number;
  /** Requirement-set check; defaults to Office.context.requirements.isSetSupported. */
  supports?: (set: string, version: string) => boolean;
  /** Rows apart that still go into one update range (the rows between are sent as null = unchanged). */
  updateGap?: number;
}

export const DEFAULT_PAYLOAD_BUDGET = 2_000_000;
/** A request's fixed cost per action (method, ids), counted on top of its arguments. */
const ACTION_BYTES = 200;

/** Where a table is now, as located inside one Excel.run. */
interface Located {
  ref: TableRef;
  kind: 'table' | 'sheet';
  sheet: string;
  /** 0-based sheet row of the header. */
  headerRow: number;
  /** 0-based sheet column of the first column. */
  col: number;
  header: string[];
  /** Data rows (an Excel table always has at least one, possibly blank). */
  dataRows: number;
  /** Excel table whose only data row is blank (a new, empty table). */
  emptyTable: boolean;
  /** Sheets: the used range's last row + 1 (0 when the sheet is blank). */
  usedEnd: number;
}

interface ReadMemo {
  rows: number;
  entryNoColumn: string | null;
  entryNos: CellValue[];
}

interface Step {
  bytes: number;
  rows: number;
  what: string;
  apply: (ctx: Excel.RequestContext) => void;
}

interface Built {
  values: (ExcelScalar | null)[][];
  formatRow: (string | null)[];
  /** Column indexes (within the row) of text columns. */
  textCols: number[];
  rowBytes: number[];
  fmtBytes: number;
}

function defaultRun(): ExcelRun {
  const g = globalThis as unknown as { Excel?: { run: ExcelRun } };
  if (!g.Excel) throw new Error('Excel is not available: the add-in must run inside Excel (or the try page).');
  return g.Excel.run.bind(g.Excel) as ExcelRun;
}

function defaultSupports(set: string, version: string): boolean {
  const g = globalThis as unknown as { Office?: typeof Office };
  try {
    return g.Office?.context?.requirements?.isSetSupported(set, version) ?? true;
  } catch {
    return true;
  }
}

function refKey(ref: TableRef): string {
  return `${ref.kind}:${ref.name.toLowerCase()}`;
}

function sameCell(a: CellValue, b: CellValue): boolean {
  const x = a === '' || a === undefined ? null : a;
  const y = b === '' || b === undefined ? null : b;
  return x === y;
}

export class ExcelWorkbookPort implements WorkbookPort {
  private readonly runner: () => ExcelRun;
  readonly payloadBudget: number;
  private readonly supports: (set: string, version: string) => boolean;
  private readonly updateGap: number;
  private readonly memo = new Map<string, ReadMemo>();
  /** The workbook uses the 1904 date system (detected once: cell values are raw serials of its system). */
  private date1904: boolean | null = null;

  constructor(options: ExcelPortOptions = {}) {
    const run = options.run;
    this.runner = run ? () => run : defaultRun;
    this.payloadBudget = options.payloadBudget ?? DEFAULT_PAYLOAD_BUDGET;
    this.supports = options.supports ?? defaultSupports;
    this.updateGap = options.updateGap ?? 64;
  }

  private run<T>(batch: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> {
    return this.runner()(batch);
  }

  // ------------------------------------------------------------------------------------------------
  // Discovery and reading

  async listTables(): Promise<TableRef[]> {
    return this.run((ctx) => this.listIn(ctx));
  }

  private async listIn(ctx: Excel.RequestContext): Promise<TableRef[]> {
    const sheets = ctx.workbook.worksheets.load('items/name');
    await ctx.sync();
    const perSheet = sheets.items.map((ws) => ({
      name: ws.name,
      tables: ws.tables.load('items/name'),
      used: ws.getUsedRangeOrNullObject(true).load('address'),
    }));
    await ctx.sync();
    const out: TableRef[] = [];
    for (const s of perSheet) {
      for (const t of s.tables.items) out.push({ name: t.name, kind: 'table', sheet: s.name });
      if (!s.used.isNullObject) out.push({ name: s.name, kind: 'sheet', sheet: s.name });
    }
    return out;
  }

  /**
   * Whether the workbook counts dates from 1904 (old Mac workbooks). Office.js has no property for it, but
   * DATE(1904,1,1) is 0 there and 1462 in the 1900 system.
   */
  private async dateSystemIn(ctx: Excel.RequestContext): Promise<boolean> {
    if (this.date1904 !== null) return this.date1904;
    const r = ctx.workbook.functions.date(1904, 1, 1).load('value');
    await ctx.sync();
    this.date1904 = r.value === 0;
    return this.date1904;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    return this.run(async (ctx) => {
      const date1904 = await this.dateSystemIn(ctx);
      const [loc] = await this.locate(ctx, [ref]);
      if (!loc) throw new Error(`${ref.kind === 'table' ? 'Table' : 'Worksheet'} "${ref.name}" was not found.`);
      const width = loc.header.length;
      const rows = loc.emptyTable ? [] : await this.readBlock(ctx, loc.sheet, loc.headerRow + 1, loc.col, loc.dataRows, width);
      const first = loc.headerRow + 2;
      const table: SourceTable = {
        ref: { ...ref, sheet: loc.sheet },
        header: loc.header,
        rows,
        rowNumbers: rows.map((_, i) => first + i),
      };
      if (date1904) table.date1904 = true;
      const e = findColumnInHeader(loc.header, 'Entry No.');
      this.memo.set(refKey(ref), {
        rows: rows.length,
        entryNoColumn: e >= 0 ? loc.header[e] : null,
        entryNos: e >= 0 ? rows.map((r) => r[e] ?? null) : [],
      });
      return table;
    });
  }

  /**
   * Reads rows [row, row+count) x [col, col+width) of a sheet, one range per sync, each sized from the
   * bytes per row measured so far so that every response stays under the budget.
   */
  private async readBlock(
    ctx: Excel.RequestContext,
    sheet: string,
    row: number,
    col: number,
    count: number,
    width: number,
  ): Promise<CellValue[][]> {
    const out: CellValue[][] = [];
    if (count <= 0 || width <= 0) return out;
    const ws = ctx.workbook.worksheets.getItem(sheet);
    // Start conservatively (80 bytes a cell), then size chunks from what was measured (+30%).
    let bytesPerRow = width * 80;
    let done = 0;
    while (done < count) {
      const n = Math.max(1, Math.min(count - done, Math.floor(this.payloadBudget / bytesPerRow)));
      const range = ws.getRangeByIndexes(row + done, col, n, width).load('values');
      await ctx.sync();
      const values = range.values;
      const measured = gridBytes(values);
      bytesPerRow = Math.max(bytesPerRow * 0.5, (measured / n) * 1.3, width * 2 + 4);
      for (const r of values) out.push(r.map(fromExcelValue));
      done += n;
    }
    return out;
  }

  /**
   * Finds tables as they are now: header, position, size. Two syncs for any number of refs. Missing
   * ones are undefined.
   */
  private async locate(ctx: Excel.RequestContext, refs: TableRef[]): Promise<(Located | undefined)[]> {
    const handles = refs.map((ref) =>
      ref.kind === 'table'
        ? { ref, table: ctx.workbook.tables.getItemOrNullObject(ref.name), sheet: null }
        : { ref, table: null, sheet: ctx.workbook.worksheets.getItemOrNullObject(ref.sheet ?? ref.name) },
    );
    await ctx.sync();
    const details = handles.map((h) => {
      if (h.table && !h.table.isNullObject) {
        const t = h.table;
        return {
          h,
          ws: t.worksheet.load('name'),
          header: t.getHeaderRowRange().load('values,rowIndex,columnIndex'),
          body: t.getDataBodyRange().load('rowIndex,rowCount'),
          first: t.getDataBodyRange().getRow(0).load('values'),
          used: null,
          top: null,
        };
      }
      if (h.sheet && !h.sheet.isNullObject) {
        const used = h.sheet.getUsedRange(true).load('rowIndex,columnIndex,rowCount,columnCount');
        return { h, ws: h.sheet.load('name'), header: null, body: null, first: null, used, top: used.getRow(0).load('values') };
      }
      return null;
    });
    await ctx.sync();
    return details.map((d): Located | undefined => {
      if (!d) return undefined;
      if (d.header && d.body && d.first) {
        const header = d.header.values[0].map((v) => String(v ?? ''));
        const emptyTable = d.body.rowCount === 1 && d.first.values[0].every((v) => v === '' || v === null);
        return {
          ref: d.h.ref,
          kind: 'table',
          sheet: d.ws.name,
          headerRow: d.header.rowIndex,
          col: d.header.columnIndex,
          header,
          dataRows: d.body.rowCount,
          emptyTable,
          usedEnd: d.body.rowIndex + d.body.rowCount,
        };
      }
      const used = d.used!;
      const top = d.top!.values[0];
      const blank = used.rowCount === 1 && used.columnCount === 1 && (top[0] === '' || top[0] === null);
      if (blank) {
        return { ref: d.h.ref, kind: 'sheet', sheet: d.ws.name, headerRow: 0, col: 0, header: [], dataRows: 0, emptyTable: false, usedEnd: 0 };
      }
      let header = top.map((v) => (v === null || v === undefined ? '' : String(v)));
      // Trailing blank header cells are kept only when data runs under them (the used range says so).
      header = header.slice(0, used.columnCount);
      return {
        ref: d.h.ref,
        kind: 'sheet',
        sheet: d.ws.name,
        headerRow: used.rowIndex,
        col: used.columnIndex,
        header,
        dataRows: used.rowCount - 1,
        emptyTable: false,
        usedEnd: used.rowIndex + used.rowCount,
      };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Navigation (the task pane's links)

  /**
   * Selects part of a table and returns its address: a cell (sheet row + column; the row within the
   * table when the column is unknown), the last `lastRows` data rows, or the whole table.
   */
  async select(ref: TableRef, what: { sheetRow?: number; column?: string; lastRows?: number } = {}): Promise<string | null> {
    return this.run(async (ctx) => {
      const [loc] = await this.locate(ctx, [ref]);
      if (!loc) return null;
      const ws = ctx.workbook.worksheets.getItem(loc.sheet);
      const width = Math.max(1, loc.header.length);
      let range: Excel.Range;
      if (what.sheetRow !== undefined) {
        const c = what.column ? findColumnInHeader(loc.header, what.column) : -1;
        range = c >= 0 ? ws.getRangeByIndexes(what.sheetRow - 1, loc.col + c, 1, 1) : ws.getRangeByIndexes(what.sheetRow - 1, loc.col, 1, width);
      } else if (what.column) {
        const c = findColumnInHeader(loc.header, what.column);
        range = ws.getRangeByIndexes(loc.headerRow, loc.col + Math.max(0, c), 1, c >= 0 ? 1 : width);
      } else if (what.lastRows && loc.dataRows > 0) {
        const n = Math.min(what.lastRows, loc.dataRows);
        range = ws.getRangeByIndexes(loc.headerRow + 1 + loc.dataRows - n, loc.col, n, width);
      } else {
        range = ws.getRangeByIndexes(loc.headerRow, loc.col, 1 + loc.dataRows, width);
      }
      ws.activate();
      range.select();
      range.load('address');
      await ctx.sync();
      return range.address;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Writing

  async write(writes: TableWrite[], guard: WriteGuard | null, progress?: WriteProgress): Promise<void> {
    await this.run(async (ctx) => {
      // 1. Where is everything now?
      const refs: TableRef[] = [];
      const add = (r: TableRef | undefined) => {
        if (r && !refs.some((x) => refKey(x) === refKey(r))) refs.push(r);
      };
      for (const w of writes) add(w.kind === 'update' || w.kind === 'delete' ? w.table : w.existing);
      if (guard) add(guard.valueEntries);
      const registersRef = guard ? await this.findRegisters(ctx, writes) : undefined;
      add(registersRef);
      const located = await this.locate(ctx, refs);
      const at = new Map<string, Located>();
      refs.forEach((r, i) => {
        const l = located[i];
        if (l) at.set(refKey(r), l);
      });

      // 2. Is it still what the run read?
      if (guard) await this.checkGuard(ctx, guard, at, registersRef);

      // 3. Plan every request before the first write.
      const creates = await this.prepareCreates(ctx, writes);
      const steps: Step[] = [];
      for (const w of writes) {
        if (w.kind === 'update') steps.push(...this.planUpdate(w, at.get(refKey(w.table))));
        else if (w.kind === 'delete') steps.push(...this.planDelete(w, at.get(refKey(w.table))));
        else {
          const loc = w.existing ? at.get(refKey(w.existing)) : undefined;
          if (loc) steps.push(...(w.kind === 'append' ? this.planAppend(w, loc) : this.planReplace(w, loc)));
          else steps.push(...this.planCreate(w, creates.get(w)!));
        }
      }

      // 4. Write in syncs that each stay under the budget.
      const total = steps.reduce((n, s) => n + s.rows, 0);
      let done = 0;
      const eventsToggle = this.supports('ExcelApi', '1.8');
      const screen = this.supports('ExcelApi', '1.9');
      if (eventsToggle) ctx.runtime.enableEvents = false;
      try {
        let i = 0;
        while (i < steps.length) {
          let bytes = 0;
          let rows = 0;
          let what = steps[i].what;
          ctx.workbook.application.suspendApiCalculationUntilNextSync();
          if (screen) ctx.workbook.application.suspendScreenUpdatingUntilNextSync();
          do {
            steps[i].apply(ctx);
            bytes += steps[i].bytes;
            rows += steps[i].rows;
            what = steps[i].what;
            i++;
          } while (i < steps.length && bytes + steps[i].bytes <= this.payloadBudget);
          await ctx.sync();
          done += rows;
          progress?.(done, total, what);
        }
      } finally {
        if (eventsToggle) {
          ctx.runtime.enableEvents = true;
          await ctx.sync();
        }
      }
    });
  }

  /** The G/L Registers table: the one an append targets, else the one the workbook layer would find. */
  private async findRegisters(ctx: Excel.RequestContext, writes: TableWrite[]): Promise<TableRef | undefined> {
    for (const w of writes) {
      if (w.kind !== 'update' && w.kind !== 'delete' && looseName(w.names.name) === 'glregisters' && w.existing) return w.existing;
    }
    return findTable(await this.listIn(ctx), OUTPUT_TABLES.glRegisters.names.name, outputTableSpellings('glRegisters'));
  }

  private async checkGuard(
    ctx: Excel.RequestContext,
    guard: WriteGuard,
    at: Map<string, Located>,
    registersRef: TableRef | undefined,
  ): Promise<void> {
    const ve = at.get(refKey(guard.valueEntries));
    const changed = (why: string) =>
      new ConcurrentChangeError(`The workbook was changed since it was read (${why}). Nothing was written; run again.`);
    if (!ve) throw changed('the Value Entries table is gone');
    const n = guard.postedValues.length;
    if (ve.emptyTable ? n > 0 : ve.dataRows < n) throw changed('Value Entries has fewer rows');
    const memo = this.memo.get(refKey(guard.valueEntries));
    const names = [...guard.postedColumns];
    const expected: CellValue[][] = guard.postedValues.map((r) => [...r]);
    if (memo?.entryNoColumn && memo.rows === n) {
      names.push(memo.entryNoColumn);
      memo.entryNos.forEach((e, i) => expected[i].push(e));
    }
    const cols = names.map((name) => {
      let c = ve.header.indexOf(name);
      if (c < 0) c = findColumnInHeader(ve.header, name);
      if (c < 0) throw changed(`column "${name}" is gone`);
      return c;
    });
    const actual = await this.readColumns(ctx, ve, cols, n);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < cols.length; k++) {
        if (!sameCell(actual[r][k], expected[r][k] ?? null)) {
          throw changed(`Value Entries row ${ve.headerRow + 2 + r}, column "${names[k]}"`);
        }
      }
    }
    let last = 0;
    if (registersRef) {
      const reg = at.get(refKey(registersRef));
      if (reg && !reg.emptyTable && reg.dataRows > 0) {
        const c = findColumnInHeader(reg.header, 'No.');
        if (c >= 0) {
          for (const [v] of await this.readColumns(ctx, reg, [c], reg.dataRows)) {
            const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
            if (Number.isFinite(x) && x > last) last = x;
          }
        }
      }
    }
    if (last !== guard.lastRegisterNo) throw changed(`the last G/L Register is now ${last}, was ${guard.lastRegisterNo}`);
  }

  /** Reads some columns of a located table's first `count` data rows; several column ranges per sync. */
  private async readColumns(ctx: Excel.RequestContext, loc: Located, cols: number[], count: number): Promise<CellValue[][]> {
    const out: CellValue[][] = Array.from({ length: count }, () => new Array<CellValue>(cols.length).fill(null));
    if (count === 0 || cols.length === 0) return out;
    const ws = ctx.workbook.worksheets.getItem(loc.sheet);
    let bytesPerCell = 40;
    let done = 0;
    while (done < count) {
      const n = Math.max(1, Math.min(count - done, Math.floor(this.payloadBudget / (bytesPerCell * cols.length + 8))));
      const ranges = cols.map((c) => ws.getRangeByIndexes(loc.headerRow + 1 + done, loc.col + c, n, 1).load('values'));
      await ctx.sync();
      let measured = 0;
      ranges.forEach((range, k) => {
        const v = range.values;
        measured += gridBytes(v);
        for (let r = 0; r < n; r++) out[done + r][k] = fromExcelValue(v[r][0]);
      });
      bytesPerCell = Math.max(2, (measured / (n * cols.length)) * 1.3);
      done += n;
    }
    return out;
  }

  /** New sheets and tables: free names are chosen now, before anything is written. */
  private async prepareCreates(ctx: Excel.RequestContext, writes: TableWrite[]): Promise<Map<TableWrite, { sheet: string; table: string; reuse: boolean }>> {
    const out = new Map<TableWrite, { sheet: string; table: string; reuse: boolean }>();
    const creating = writes.filter((w): w is AppendWrite | ReplaceWrite => w.kind !== 'update' && w.kind !== 'delete' && !w.existing);
    if (creating.length === 0) return out;
    const sheets = ctx.workbook.worksheets.load('items/name');
    const tables = ctx.workbook.tables.load('items/name');
    await ctx.sync();
    const sheetNames = new Set(sheets.items.map((s) => s.name.toLowerCase()));
    const tableNames = new Set(tables.items.map((t) => t.name.toLowerCase()));
    // An existing sheet of that name can be reused when it is blank.
    const probes = creating.map((w) =>
      sheetNames.has(w.names.sheetName.toLowerCase())
        ? ctx.workbook.worksheets.getItem(w.names.sheetName).getUsedRangeOrNullObject(true).load('address')
        : null,
    );
    await ctx.sync();
    creating.forEach((w, i) => {
      const probe = probes[i];
      let sheet = w.names.sheetName;
      let reuse = false;
      if (probe && probe.isNullObject) reuse = true;
      else if (probe) {
        for (let k = 2; sheetNames.has(sheet.toLowerCase()); k++) {
          const suffix = ` (${k})`;
          sheet = w.names.sheetName.slice(0, 31 - suffix.length) + suffix;
        }
      }
      sheetNames.add(sheet.toLowerCase());
      let table = w.names.excelTableName;
      for (let k = 2; tableNames.has(table.toLowerCase()); k++) table = `${w.names.excelTableName}_${k}`;
      tableNames.add(table.toLowerCase());
      out.set(w, { sheet, table, reuse });
    });
    return out;
  }

  /** Column index (relative to the table) of each spec column; missing ones get new columns at the end. */
  private mapColumns(loc: Located, columns: ColumnSpec[]): { index: number[]; added: string[] } {
    const index: number[] = [];
    const added: string[] = [];
    for (const c of columns) {
      let i = findColumnInHeader(loc.header, c.name);
      if (i < 0) {
        i = findColumnInHeader(added, c.name);
        if (i >= 0) i += loc.header.length;
      }
      if (i < 0) {
        added.push(c.name);
        i = loc.header.length + added.length - 1;
      }
      index.push(i);
    }
    return { index, added };
  }

  /** Steps that add missing columns to a located table, and the widened header. */
  private planAddedColumns(loc: Located, added: string[]): Step[] {
    if (added.length === 0) return [];
    const what = loc.ref.name;
    if (loc.kind === 'table') {
      return added.map((name) => ({
        bytes: ACTION_BYTES + jsonBytes(name),
        rows: 0,
        what,
        apply: (ctx) => ctx.workbook.tables.getItem(loc.ref.name).columns.add(undefined, undefined, name),
      }));
    }
    const values = [added];
    return [
      {
        bytes: ACTION_BYTES * 2 + gridBytes(values),
        rows: 0,
        what,
        apply: (ctx) => {
          const r = ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(loc.headerRow, loc.col + loc.header.length, 1, added.length);
          r.numberFormat = [added.map(() => '@')];
          r.values = values;
        },
      },
    ];
  }

  /** Rows removed bottom-up (so the indexes stay valid), each run of adjacent rows as one range deleted upwards. */
  private planDelete(w: DeleteWrite, loc: Located | undefined): Step[] {
    if (!loc) throw new Error(`Table "${w.table.name}" was not found.`);
    const rows = [...new Set(w.rows)].sort((a, b) => b - a);
    for (const r of rows) if (r < 0 || r >= loc.dataRows) throw new Error(`${w.table.name}: row ${r} is outside the table.`);
    const width = loc.header.length;
    const steps: Step[] = [];
    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j + 1 < rows.length && rows[j + 1] === rows[j] - 1) j++;
      const from = loc.headerRow + 1 + rows[j];
      const count = rows[i] - rows[j] + 1;
      steps.push({ bytes: ACTION_BYTES, rows: count, what: w.table.name, apply: (ctx) => ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(from, loc.col, count, width).delete('Up') });
      i = j + 1;
    }
    return steps;
  }

  private planUpdate(w: UpdateWrite, loc: Located | undefined): Step[] {
    if (!loc) throw new Error(`Table "${w.table.name}" was not found.`);
    if (w.updates.length === 0 && w.columns.length === 0) return [];
    const { index, added } = this.mapColumns(loc, w.columns);
    const steps = this.planAddedColumns(loc, added);
    const what = w.table.name;
    const c0 = Math.min(...index);
    const c1 = Math.max(...index);
    const span = c1 - c0 + 1;
    // Newly added columns get their number format over all data rows; existing ones keep theirs.
    w.columns.forEach((c, k) => {
      if (index[k] < loc.header.length || loc.dataRows === 0) return;
      const format = columnNumberFormat(c.format, w.updates.map((u) => u.values[k]));
      steps.push(...this.planColumnFormat(loc, index[k], loc.dataRows, format, what));
    });
    const updates = [...w.updates].sort((a, b) => a.row - b.row);
    for (const u of updates) {
      if (u.row < 0 || u.row >= loc.dataRows) throw new Error(`${what}: row ${u.row} is outside the table.`);
    }
    // Runs of rows close together become one range; rows between them are null (left unchanged).
    let i = 0;
    while (i < updates.length) {
      const start = updates[i].row;
      let j = i;
      const grid: (ExcelScalar | null)[][] = [];
      let bytes = ACTION_BYTES;
      const pushRow = (values: CellValue[] | null) => {
        const row = new Array<ExcelScalar | null>(span).fill(null);
        if (values) w.columns.forEach((c, k) => (row[index[k] - c0] = toExcelValue(values[k] ?? null, c.format, this.date1904 === true)));
        bytes += span * 5 + 3;
        if (values) for (const v of row) if (v !== null) bytes += jsonBytes(v);
        grid.push(row);
      };
      pushRow(updates[j].values);
      while (j + 1 < updates.length) {
        const next = updates[j + 1];
        const gap = next.row - updates[j].row - 1;
        if (next.row === updates[j].row) {
          // A second update of the same row: the later one wins.
          grid.pop();
          bytes -= span * 5 + 3;
          pushRow(next.values);
          j++;
          continue;
        }
        if (gap > this.updateGap) break;
        const gapBytes = gap * (span * 5 + 3);
        if (bytes + gapBytes + span * 24 > this.payloadBudget - ACTION_BYTES) break;
        for (let g = 0; g < gap; g++) pushRow(null);
        pushRow(next.values);
        j++;
      }
      const sheetRow = loc.headerRow + 1 + start;
      const rows = j - i + 1;
      steps.push({
        bytes,
        rows,
        what,
        apply: (ctx) => {
          ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(sheetRow, loc.col + c0, grid.length, span).values = grid as ExcelScalar[][];
        },
      });
      i = j + 1;
    }
    return steps;
  }

  /** Number format for `count` data rows of one column, chunked. */
  private planColumnFormat(loc: Located, colIndex: number, count: number, format: string, what: string): Step[] {
    return this.formatSteps(count, jsonBytes(format) + 4, what, (ctx, r, n) => {
      const grid = Array.from({ length: n }, () => [format]);
      ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(loc.headerRow + 1 + r, loc.col + colIndex, n, 1).numberFormat = grid;
    });
  }

  /** Steps that each set the number formats of as many rows as fit in one request (perRow bytes a row). */
  private formatSteps(count: number, perRow: number, what: string, apply: (ctx: Excel.RequestContext, from: number, n: number) => void): Step[] {
    const steps: Step[] = [];
    const chunk = Math.max(1, Math.floor((this.payloadBudget - ACTION_BYTES) / perRow));
    for (let r = 0; r < count; r += chunk) {
      const n = Math.min(chunk, count - r);
      steps.push({ bytes: ACTION_BYTES + n * perRow, rows: 0, what, apply: (ctx) => apply(ctx, r, n) });
    }
    return steps;
  }

  /**
   * Rows as one cell grid (full width; `fill` for columns the write does not name), the number format
   * row, and the text columns (written after their cells are formatted as text, so that Excel cannot
   * turn "2130" into a number or "1-2" into a date).
   */
  private buildRows(columns: ColumnSpec[], index: number[], width: number, rows: CellValue[][], fill: ExcelScalar | null): Built {
    const formatRow = new Array<string | null>(width).fill(null);
    columns.forEach((c, k) => (formatRow[index[k]] = columnNumberFormat(c.format, rows.map((r) => r[k]))));
    const textCols = columns.map((c, k) => (c.format === 'text' ? index[k] : -1)).filter((i) => i >= 0).sort((x, y) => x - y);
    const values: (ExcelScalar | null)[][] = [];
    const rowBytes: number[] = [];
    const fmtBytes = gridBytes([formatRow]);
    for (const r of rows) {
      const row = new Array<ExcelScalar | null>(width).fill(fill);
      columns.forEach((c, k) => (row[index[k]] = toExcelValue(r[k] ?? null, c.format, this.date1904 === true)));
      let bytes = 8 + textCols.length * 3;
      for (const v of row) bytes += jsonBytes(v) + 1;
      values.push(row);
      rowBytes.push(bytes);
    }
    return { values, formatRow, textCols, rowBytes, fmtBytes };
  }

  private slice(built: Built, a: number, b: number): Built {
    return { ...built, values: built.values.slice(a, b), rowBytes: built.rowBytes.slice(a, b) };
  }

  /** Splits [0, n) into chunks whose bytes stay under the budget. */
  private chunks(rowBytes: number[], fixed: number): [number, number, number][] {
    const out: [number, number, number][] = [];
    let start = 0;
    let bytes = fixed;
    for (let i = 0; i < rowBytes.length; i++) {
      if (i > start && bytes + rowBytes[i] > this.payloadBudget) {
        out.push([start, i, bytes]);
        start = i;
        bytes = fixed;
      }
      bytes += rowBytes[i];
    }
    if (rowBytes.length > start) out.push([start, rowBytes.length, bytes]);
    return out;
  }

  /**
   * Number formats for `count` rows from sheet row `firstRow`: the first row explicitly, the others
   * copied from it in one request (Range.copyFrom, ExcelApi 1.9), else explicitly in chunks.
   */
  private planFormats(sheet: string, firstRow: number, col: number, count: number, built: Built, what: string, template?: number): Step[] {
    const width = built.formatRow.length;
    if (count <= 0) return [];
    if (this.supports('ExcelApi', '1.9')) {
      return [
        {
          bytes: ACTION_BYTES * 3 + built.fmtBytes,
          rows: 0,
          what,
          apply: (ctx) => {
            const ws = ctx.workbook.worksheets.getItem(sheet);
            let from = firstRow;
            let n = count;
            if (template === undefined) {
              ws.getRangeByIndexes(firstRow, col, 1, width).numberFormat = [built.formatRow] as string[][];
              from += 1;
              n -= 1;
            }
            const src = ws.getRangeByIndexes(template ?? firstRow, col, 1, width);
            if (n > 0) ws.getRangeByIndexes(from, col, n, width).copyFrom(src, 'Formats');
          },
        },
      ];
    }
    return this.formatSteps(count, built.fmtBytes, what, (ctx, r, n) => {
      const grid = Array.from({ length: n }, () => built.formatRow) as string[][];
      ctx.workbook.worksheets.getItem(sheet).getRangeByIndexes(firstRow + r, col, n, width).numberFormat = grid;
    });
  }

  /** Writes rows into cells that exist already (a sheet's free rows, or a table's existing rows): formats, then values. */
  private planCells(sheet: string, firstRow: number, col: number, built: Built, what: string): Step[] {
    const width = built.formatRow.length;
    const steps = this.planFormats(sheet, firstRow, col, built.values.length, built, what);
    for (const [a, b, bytes] of this.chunks(built.rowBytes, ACTION_BYTES * 2)) {
      steps.push({
        bytes,
        rows: b - a,
        what,
        apply: (ctx) => {
          ctx.workbook.worksheets.getItem(sheet).getRangeByIndexes(firstRow + a, col, b - a, width).values = built.values.slice(a, b) as ExcelScalar[][];
        },
      });
    }
    return steps;
  }

  /**
   * Adds rows at the end of an Excel table (rows.add with text cells blank), formats them, then writes
   * the text columns in runs of adjacent columns.
   */
  private planTableRows(loc: Located, startRow: number, built: Built, what: string): Step[] {
    const width = built.formatRow.length;
    const runs: [number, number][] = [];
    for (const c of built.textCols) {
      const last = runs[runs.length - 1];
      if (last && last[1] === c - 1) last[1] = c;
      else runs.push([c, c]);
    }
    const texts = new Set(built.textCols);
    const steps: Step[] = [];
    let at = startRow;
    const template = loc.headerRow + 1 + startRow;
    for (const [a, b, bytes] of this.chunks(built.rowBytes, ACTION_BYTES * (3 + runs.length))) {
      const first = at;
      at += b - a;
      const rows = built.values.slice(a, b);
      steps.push({
        bytes,
        rows: b - a,
        what,
        apply: (ctx) => {
          const blanked = texts.size ? rows.map((r) => r.map((v, c) => (texts.has(c) && v !== null ? '' : v))) : rows;
          ctx.workbook.tables.getItem(loc.ref.name).rows.add(undefined, blanked as ExcelScalar[][]);
        },
      });
      steps.push(...this.planFormats(loc.sheet, loc.headerRow + 1 + first, loc.col, b - a, built, what, first === startRow ? undefined : template));
      if (runs.length) {
        steps.push({
          bytes: ACTION_BYTES,
          rows: 0,
          what,
          apply: (ctx) => {
            const ws = ctx.workbook.worksheets.getItem(loc.sheet);
            for (const [c0, c1] of runs) {
              ws.getRangeByIndexes(loc.headerRow + 1 + first, loc.col + c0, b - a, c1 - c0 + 1).values = rows.map((r) => r.slice(c0, c1 + 1)) as ExcelScalar[][];
            }
          },
        });
      }
    }
    return steps;
  }

  private planAppend(w: AppendWrite, loc: Located): Step[] {
    const { index, added } = this.mapColumns(loc, w.columns);
    const steps = this.planAddedColumns(loc, added);
    const width = loc.header.length + added.length;
    const what = w.names.name;
    if (w.rows.length === 0) return steps;
    if (loc.kind === 'sheet') {
      const first = loc.header.length === 0 ? 1 : loc.headerRow + 1 + loc.dataRows;
      if (loc.header.length === 0) {
        // A blank sheet: write the header first.
        return this.planCreateOnSheet(w, { sheet: loc.sheet, table: '', reuse: true }, false);
      }
      return [...steps, ...this.planCells(loc.sheet, first, loc.col, this.buildRows(w.columns, index, width, w.rows, null), what)];
    }
    // Excel table: unmapped columns of new rows stay blank.
    const built = this.buildRows(w.columns, index, width, w.rows, '');
    if (loc.emptyTable) {
      // Fill the blank row first, then add the rest.
      return [
        ...steps,
        ...this.planCells(loc.sheet, loc.headerRow + 1, loc.col, this.slice(built, 0, 1), what),
        ...this.planTableRows(loc, 1, this.slice(built, 1, w.rows.length), what),
      ];
    }
    return [...steps, ...this.planTableRows(loc, loc.dataRows, built, what)];
  }

  private planReplace(w: ReplaceWrite, loc: Located): Step[] {
    const { index, added } = this.mapColumns(loc, w.columns);
    const steps = this.planAddedColumns(loc, added);
    const width = loc.header.length + added.length;
    const what = w.names.name;
    if (loc.kind === 'sheet') {
      if (loc.header.length === 0) return this.planCreateOnSheet(w, { sheet: loc.sheet, table: '', reuse: true }, false);
      const old = loc.usedEnd - (loc.headerRow + 1);
      if (old > 0) {
        steps.push({
          bytes: ACTION_BYTES,
          rows: 0,
          what,
          apply: (ctx) => ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(loc.headerRow + 1, loc.col, old, width).clear('Contents'),
        });
      }
      if (w.rows.length > 0) {
        steps.push(...this.planCells(loc.sheet, loc.headerRow + 1, loc.col, this.buildRows(w.columns, index, width, w.rows, null), what));
      }
      return steps;
    }
    const built = this.buildRows(w.columns, index, width, w.rows, '');
    const keep = Math.min(loc.dataRows, Math.max(1, w.rows.length));
    if (loc.dataRows > keep) {
      const from = loc.headerRow + 1 + keep;
      const count = loc.dataRows - keep;
      steps.push({
        bytes: ACTION_BYTES,
        rows: 0,
        what,
        apply: (ctx) => ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(from, loc.col, count, width).delete('Up'),
      });
    }
    if (w.rows.length === 0) {
      steps.push({
        bytes: ACTION_BYTES,
        rows: 0,
        what,
        apply: (ctx) => ctx.workbook.worksheets.getItem(loc.sheet).getRangeByIndexes(loc.headerRow + 1, loc.col, 1, width).clear('Contents'),
      });
      return steps;
    }
    steps.push(...this.planCells(loc.sheet, loc.headerRow + 1, loc.col, this.slice(built, 0, keep), what));
    if (w.rows.length > keep) steps.push(...this.planTableRows(loc, keep, this.slice(built, keep, w.rows.length), what));
    return steps;
  }

  private planCreate(w: AppendWrite | ReplaceWrite, target: { sheet: string; table: string; reuse: boolean }): Step[] {
    return this.planCreateOnSheet(w, target, true);
  }

  /** A new formatted Excel table at A1 of a new (or blank) sheet: header and rows, then the table over them. */
  private planCreateOnSheet(w: AppendWrite | ReplaceWrite, target: { sheet: string; table: string; reuse: boolean }, asTable: boolean): Step[] {
    const what = w.names.name;
    const width = w.columns.length;
    const header = [w.columns.map((c) => c.name)];
    const steps: Step[] = [
      {
        bytes: ACTION_BYTES * 4 + gridBytes(header) * 2,
        rows: 0,
        what,
        apply: (ctx) => {
          const ws = target.reuse ? ctx.workbook.worksheets.getItem(target.sheet) : ctx.workbook.worksheets.add(target.sheet);
          const h = ws.getRangeByIndexes(0, 0, 1, width);
          h.numberFormat = [w.columns.map(() => '@')];
          h.values = header;
          h.format.font.bold = true;
          ws.freezePanes.freezeRows(1);
        },
      },
    ];
    const index = w.columns.map((_, k) => k);
    steps.push(...this.planCells(target.sheet, 1, 0, this.buildRows(w.columns, index, width, w.rows, null), what));
    if (asTable) {
      const rows = Math.max(1, w.rows.length);
      steps.push({
        bytes: ACTION_BYTES * 4,
        rows: 0,
        what,
        apply: (ctx) => {
          const ws = ctx.workbook.worksheets.getItem(target.sheet);
          const t = ws.tables.add(ws.getRangeByIndexes(0, 0, rows + 1, width), true);
          t.name = target.table;
          t.style = 'TableStyleMedium2';
          // Autofit on the header and the first rows only: fitting 100,000 rows is slow in Excel.
          ws.getRangeByIndexes(0, 0, Math.min(rows + 1, 200), width).format.autofitColumns();
        },
      });
    }
    return steps;
  }
}
