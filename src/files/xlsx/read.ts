/** Reading tables: an Excel table's range, or a plain sheet's used block (first to last non-empty row). */
import type { CellValue } from "../../workbook/port";
import type { TableInfo } from "./model";
import {
  SheetXml,
  cellValue,
  formulaWithoutValue,
  isBlank,
  scanCells,
  scanRows,
} from "./sheetScan";

export interface Grid {
  header: string[];
  rows: CellValue[][];
  rowNumbers: number[];
  /** Sheet coordinates of the block (header row undefined for a table without one). */
  headerRow: number | undefined;
  firstDataRow: number;
  c0: number;
  c1: number;
  /** Cells of the block (sheet row, 0-based column) holding a formula without a saved value. */
  noValue: { row: number; col: number }[];
}

/**
 * Rows of a block up to this many columns wide are padded with nulls to its width; wider blocks keep
 * each row only as long as its last value (SourceTable allows it), so one far cell costs little.
 */
const PAD_WIDTH = 256;

/** Missing and blank rows: one shared array per width, never written to. */
const EMPTY_ROWS = new Map<number, CellValue[]>();

function emptyRow(width: number): CellValue[] {
  const w = width <= PAD_WIDTH ? Math.max(0, width) : 0;
  let r = EMPTY_ROWS.get(w);
  if (!r) {
    r = Object.freeze(new Array(w).fill(null)) as unknown as CellValue[];
    EMPTY_ROWS.set(w, r);
  }
  return r;
}

/** A row to fill: all its cells when the block is narrow, else grown as values come. */
function newRow(width: number): CellValue[] {
  return width <= PAD_WIDTH ? new Array(width).fill(null) : [];
}

/** A row read with values up to some column, padded to `width` when the block is narrow. */
function finishRow(values: CellValue[], width: number): CellValue[] {
  if (width <= PAD_WIDTH) while (values.length < width) values.push(null);
  return values;
}

/** Converts a cell value after reading (1904-based date serials → 1900-based). */
export type ValueFix = (v: CellValue, style: number) => CellValue;

/** A header cell as a column name (booleans as Excel shows them). */
export function headerText(v: CellValue): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return String(v);
}

/**
 * Values of rows r0..r1, columns c0..c1 (missing cells null; see PAD_WIDTH). Missing rows share one
 * empty row, so a huge range with few cells costs only what it holds. Cells holding a formula
 * without a saved value are listed in `noValue` when given.
 */
export function readBlock(
  sheet: SheetXml,
  sst: () => readonly string[],
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  fix?: ValueFix,
  noValue?: { row: number; col: number }[]
): CellValue[][] {
  const out: CellValue[][] = new Array(Math.max(0, r1 - r0 + 1));
  // Every row tag is read (not only those up to r1), so that a broken row anywhere in the sheet is
  // found now, not by the writer after the run.
  scanRows(sheet, (row) => {
    if (row.num < r0 || row.num > r1) return true;
    let values: CellValue[] | undefined;
    scanCells(sheet, row, (c) => {
      if (c.col < c0) return true;
      if (c.col > c1) return false;
      const v = cellValue(sheet, c, sst);
      if (v === null) {
        if (noValue && !c.selfClosing && formulaWithoutValue(sheet, c))
          noValue.push({ row: row.num, col: c.col });
        return true;
      }
      values ??= newRow(c1 - c0 + 1);
      const k = c.col - c0;
      while (values.length < k) values.push(null);
      values[k] = fix ? fix(v, c.s) : v;
      return true;
    });
    out[row.num - r0] = values ? finishRow(values, c1 - c0 + 1) : emptyRow(c1 - c0 + 1);
    return true;
  });
  for (let i = 0; i < out.length; i++) if (!out[i]) out[i] = emptyRow(c1 - c0 + 1);
  return out;
}

/** A row padded with nulls to `width` cells (header rows). */
function padded(row: readonly CellValue[] | undefined, width: number): CellValue[] {
  const out: CellValue[] = new Array(width).fill(null);
  if (row) for (let i = 0; i < row.length && i < width; i++) out[i] = row[i];
  return out;
}

/**
 * The number of header rows a table really has. A table part that says headerRowCount="0" while its first
 * row holds exactly its column names was written by a tool that lost the header flag (exceljs writes every
 * table it read that way): that row is the header, or every later run would read it as a data row.
 */
export function effectiveHeaderRows(
  table: TableInfo,
  firstRow: readonly (CellValue | undefined)[]
): number {
  if (table.headerRowCount > 0 || table.columns.length === 0) return table.headerRowCount;
  const names = table.columns.map((c) => c.name.trim().toLowerCase());
  const cells = firstRow.map((v) =>
    v === null || v === undefined ? "" : headerText(v).trim().toLowerCase()
  );
  return names.every((n, i) => n !== "" && n === cells[i]) ? 1 : 0;
}

export function readExcelTable(
  sheet: SheetXml,
  sst: () => readonly string[],
  table: TableInfo,
  fix?: ValueFix
): Grid {
  const { ref } = table;
  const width = ref.c1 - ref.c0 + 1;
  const headerRows = effectiveHeaderRows(
    table,
    padded(readBlock(sheet, sst, ref.r0, ref.r0, ref.c0, ref.c1)[0], width)
  );
  const hasHeader = headerRows > 0;
  const firstDataRow = ref.r0 + headerRows;
  const lastDataRow = ref.r1 - table.totalsRowCount;
  const noValue: { row: number; col: number }[] = [];
  const block = readBlock(
    sheet,
    sst,
    ref.r0,
    Math.max(lastDataRow, ref.r0),
    ref.c0,
    ref.c1,
    fix,
    noValue
  );
  const columnName = (i: number) => table.columns[i]?.name ?? "";
  const first = padded(block[0], width);
  const header = hasHeader
    ? first.map((v, i) => headerText(v) || columnName(i))
    : first.map((_v, i) => columnName(i));
  const rows = block.slice(firstDataRow - ref.r0, lastDataRow - ref.r0 + 1);
  return {
    header,
    rows,
    rowNumbers: rows.map((_r, i) => firstDataRow + i),
    headerRow: hasHeader ? ref.r0 : undefined,
    firstDataRow,
    c0: ref.c0,
    c1: ref.c1,
    noValue: noValue.filter((n) => n.row >= firstDataRow && n.row <= lastDataRow),
  };
}

/**
 * A plain sheet as a table: the first non-empty row is the header (from its first to its last non-empty
 * cell), data runs to the last row with a non-empty cell in those columns; blank rows in between are kept
 * (as one shared empty row each; see PAD_WIDTH: a sheet with one cell far down or far right costs what it
 * holds). One pass over the sheet.
 */
export function readSheetTable(
  sheet: SheetXml,
  sst: () => readonly string[],
  fix?: ValueFix
): Grid | undefined {
  let headerRow: number | undefined;
  let header: CellValue[] = [];
  let c0 = 0;
  let c1 = -1;
  const data = new Map<number, CellValue[]>();
  const noValue: { row: number; col: number }[] = [];
  let lastNonEmpty = 0;
  scanRows(sheet, (row) => {
    if (headerRow === undefined) {
      const cells: [number, CellValue][] = [];
      scanCells(sheet, row, (c) => {
        const v = cellValue(sheet, c, sst);
        if (!isBlank(v)) cells.push([c.col, v]);
        else if (v === null && !c.selfClosing && formulaWithoutValue(sheet, c))
          noValue.push({ row: row.num, col: c.col });
      });
      if (!cells.length) return;
      headerRow = row.num;
      c0 = cells[0][0];
      c1 = cells[cells.length - 1][0];
      header = new Array(c1 - c0 + 1).fill(null);
      for (const [col, v] of cells) header[col - c0] = v;
      return;
    }
    let values: CellValue[] | undefined;
    scanCells(sheet, row, (c) => {
      if (c.col < c0) return true;
      if (c.col > c1) return false;
      const v = cellValue(sheet, c, sst);
      if (!isBlank(v)) {
        values ??= newRow(c1 - c0 + 1);
        const k = c.col - c0;
        while (values.length < k) values.push(null);
        values[k] = fix ? fix(v as CellValue, c.s) : v;
      } else if (v === null && !c.selfClosing && formulaWithoutValue(sheet, c))
        noValue.push({ row: row.num, col: c.col });
      return true;
    });
    if (values) {
      data.set(row.num, finishRow(values, c1 - c0 + 1));
      lastNonEmpty = row.num;
    }
  });
  if (headerRow === undefined) return undefined;
  const count = lastNonEmpty ? lastNonEmpty - headerRow : 0;
  const rows: CellValue[][] = new Array(count);
  const rowNumbers: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    rows[i] = data.get(headerRow + 1 + i) ?? emptyRow(c1 - c0 + 1);
    rowNumbers[i] = headerRow + 1 + i;
  }
  return {
    header: header.map(headerText),
    rows,
    rowNumbers,
    headerRow,
    firstDataRow: headerRow + 1,
    c0,
    c1,
    // Any of them could be the header or a data row once calculated: all count.
    noValue,
  };
}

/** Whether a sheet has at least one non-empty cell (stops at the first). */
export function sheetHasContent(sheet: SheetXml, sst: () => readonly string[]): boolean {
  let found = false;
  scanRows(sheet, (row) => {
    scanCells(sheet, row, (c) => {
      if (!isBlank(cellValue(sheet, c, sst)) || formulaWithoutValue(sheet, c)) found = true;
      return !found;
    });
    return !found;
  });
  return found;
}
