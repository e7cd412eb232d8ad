/// <reference types="office-js" />
/**
 * What is in the workbook now, read inside one Excel.run: where tables and sheets are (Located), their
 * cells in budget-sized chunks, the date system, and free names for new sheets and tables.
 *
 * Apart from the port so that reading the workbook is one place, shared by readTable, the write guard and
 * write planning; nothing here keeps state between runs (the port does: read memos, the date system).
 */
import type { AppendWrite, CellValue, ReplaceWrite, TableRef, TableWrite } from "../workbook/port";
import { fromExcelValue, gridBytes } from "./cells";

/** Where a table is now, as located inside one Excel.run. */
export interface Located {
  ref: TableRef;
  kind: "table" | "sheet";
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

/** Where a new table goes: its sheet (reused when it exists and is blank) and a free table name. */
export interface CreateTarget {
  sheet: string;
  table: string;
  reuse: boolean;
}

/**
 * Finds tables as they are now: header, position, size. Two syncs for any number of refs. Missing
 * ones are undefined.
 */
export async function locate(
  context: Excel.RequestContext,
  refs: TableRef[]
): Promise<(Located | undefined)[]> {
  const handles = refs.map((ref) =>
    ref.kind === "table"
      ? { ref, table: context.workbook.tables.getItemOrNullObject(ref.name), sheet: null }
      : {
          ref,
          table: null,
          sheet: context.workbook.worksheets.getItemOrNullObject(ref.sheet ?? ref.name),
        }
  );
  await context.sync();
  const details = handles.map((h) => {
    if (h.table && !h.table.isNullObject) {
      const t = h.table;
      return {
        h,
        ws: t.worksheet.load("name"),
        header: t.getHeaderRowRange().load("values,rowIndex,columnIndex"),
        body: t.getDataBodyRange().load("rowIndex,rowCount"),
        first: t.getDataBodyRange().getRow(0).load("values"),
        used: null,
        top: null,
      };
    }
    if (h.sheet && !h.sheet.isNullObject) {
      const used = h.sheet.getUsedRange(true).load("rowIndex,columnIndex,rowCount,columnCount");
      return {
        h,
        ws: h.sheet.load("name"),
        header: null,
        body: null,
        first: null,
        used,
        top: used.getRow(0).load("values"),
      };
    }
    return null;
  });
  await context.sync();
  return details.map((d): Located | undefined => {
    if (!d) return undefined;
    if (d.header && d.body && d.first) {
      const header = d.header.values[0].map((v) => String(v ?? ""));
      const emptyTable =
        d.body.rowCount === 1 && d.first.values[0].every((v) => v === "" || v === null);
      return {
        ref: d.h.ref,
        kind: "table",
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
    const blank =
      used.rowCount === 1 && used.columnCount === 1 && (top[0] === "" || top[0] === null);
    if (blank) {
      return {
        ref: d.h.ref,
        kind: "sheet",
        sheet: d.ws.name,
        headerRow: 0,
        col: 0,
        header: [],
        dataRows: 0,
        emptyTable: false,
        usedEnd: 0,
      };
    }
    let header = top.map((v) => (v === null || v === undefined ? "" : String(v)));
    // Trailing blank header cells are kept only when data runs under them (the used range says so).
    header = header.slice(0, used.columnCount);
    return {
      ref: d.h.ref,
      kind: "sheet",
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

export async function listTablesIn(context: Excel.RequestContext): Promise<TableRef[]> {
  const sheets = context.workbook.worksheets.load("items/name");
  await context.sync();
  const perSheet = sheets.items.map((ws) => ({
    name: ws.name,
    tables: ws.tables.load("items/name"),
    used: ws.getUsedRangeOrNullObject(true).load("address"),
  }));
  await context.sync();
  const out: TableRef[] = [];
  for (const s of perSheet) {
    for (const t of s.tables.items) out.push({ name: t.name, kind: "table", sheet: s.name });
    if (!s.used.isNullObject) out.push({ name: s.name, kind: "sheet", sheet: s.name });
  }
  return out;
}

/**
 * Whether the workbook counts dates from 1904 (old Mac workbooks). Office.js has no property for it, but
 * DATE(1904,1,1) is 0 there and 1462 in the 1900 system.
 */
export async function isDate1904(context: Excel.RequestContext): Promise<boolean> {
  const r = context.workbook.functions.date(1904, 1, 1).load("value");
  await context.sync();
  return r.value === 0;
}

/**
 * Reads rows [row, row+count) x [col, col+width) of a sheet, one range per sync, each sized from the
 * bytes per row measured so far so that every response stays under the budget.
 */
export async function readBlock(
  context: Excel.RequestContext,
  sheet: string,
  row: number,
  col: number,
  count: number,
  width: number,
  budget: number
): Promise<CellValue[][]> {
  const out: CellValue[][] = [];
  if (count <= 0 || width <= 0) return out;
  const ws = context.workbook.worksheets.getItem(sheet);
  // Start conservatively (80 bytes a cell), then size chunks from what was measured (+30%).
  let bytesPerRow = width * 80;
  let done = 0;
  while (done < count) {
    const n = Math.max(1, Math.min(count - done, Math.floor(budget / bytesPerRow)));
    const range = ws.getRangeByIndexes(row + done, col, n, width).load("values");
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per payload-sized chunk: one request for all would pass Excel's request size limit
    await context.sync();
    const values = range.values;
    const measured = gridBytes(values);
    bytesPerRow = Math.max(bytesPerRow * 0.5, (measured / n) * 1.3, width * 2 + 4);
    for (const r of values) out.push(r.map(fromExcelValue));
    done += n;
  }
  return out;
}

/** Reads some columns of a located table's first `count` data rows; several column ranges per sync. */
export async function readColumns(
  context: Excel.RequestContext,
  loc: Located,
  cols: number[],
  count: number,
  budget: number
): Promise<CellValue[][]> {
  const out: CellValue[][] = Array.from({ length: count }, () =>
    new Array<CellValue>(cols.length).fill(null)
  );
  if (count === 0 || cols.length === 0) return out;
  const ws = context.workbook.worksheets.getItem(loc.sheet);
  let bytesPerCell = 40;
  let done = 0;
  while (done < count) {
    const n = Math.max(
      1,
      Math.min(count - done, Math.floor(budget / (bytesPerCell * cols.length + 8)))
    );
    const ranges = cols.map((c) =>
      ws.getRangeByIndexes(loc.headerRow + 1 + done, loc.col + c, n, 1).load("values")
    );
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per payload-sized chunk: one request for all would pass Excel's request size limit
    await context.sync();
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
export async function prepareCreates(
  context: Excel.RequestContext,
  writes: TableWrite[]
): Promise<Map<TableWrite, CreateTarget>> {
  const out = new Map<TableWrite, CreateTarget>();
  const creating = writes.filter(
    (w): w is AppendWrite | ReplaceWrite =>
      w.kind !== "update" && w.kind !== "delete" && !w.existing
  );
  if (creating.length === 0) return out;
  const sheets = context.workbook.worksheets.load("items/name");
  const tables = context.workbook.tables.load("items/name");
  await context.sync();
  const sheetNames = new Set(sheets.items.map((s) => s.name.toLowerCase()));
  const tableNames = new Set(tables.items.map((t) => t.name.toLowerCase()));
  // An existing sheet of that name can be reused when it is blank.
  const probes = creating.map((w) =>
    sheetNames.has(w.names.sheetName.toLowerCase())
      ? context.workbook.worksheets
          .getItem(w.names.sheetName)
          .getUsedRangeOrNullObject(true)
          .load("address")
      : null
  );
  await context.sync();
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
    for (let k = 2; tableNames.has(table.toLowerCase()); k++)
      table = `${w.names.excelTableName}_${k}`;
    tableNames.add(table.toLowerCase());
    out.set(w, { sheet, table, reuse });
  });
  return out;
}
