/** Reading tables: an Excel table's range, or a plain sheet's used block (first to last non-empty row). */
import type { CellValue } from '../../workbook/port';
import type { TableInfo } from './model';
import { SheetXml, cellValue, isBlank, scanCells, scanRows } from './sheetScan';

export interface Grid {
  header: string[];
  rows: CellValue[][];
  rowNumbers: number[];
  /** Sheet coordinates of the block (header row undefined for a table without one). */
  headerRow: number | undefined;
  firstDataRow: number;
  c0: number;
  c1: number;
}

/** Converts a cell value after reading (1904-based date serials → 1900-based). */
export type ValueFix = (v: CellValue, style: number) => CellValue;

/** A header cell as a column name (booleans as Excel shows them). */
export function headerText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/** Values of rows r0..r1, columns c0..c1 (missing cells null). */
export function readBlock(sheet: SheetXml, sst: () => readonly string[], r0: number, r1: number, c0: number, c1: number, fix?: ValueFix): CellValue[][] {
  const width = c1 - c0 + 1;
  const out: CellValue[][] = new Array(Math.max(0, r1 - r0 + 1));
  scanRows(sheet, (row) => {
    if (row.num < r0) return true;
    if (row.num > r1) return false;
    const values: CellValue[] = new Array(width).fill(null);
    scanCells(sheet, row, (c) => {
      if (c.col < c0) return true;
      if (c.col > c1) return false;
      const v = cellValue(sheet, c, sst);
      values[c.col - c0] = fix && v !== null ? fix(v, c.s) : v;
      return true;
    });
    out[row.num - r0] = values;
    return true;
  });
  for (let i = 0; i < out.length; i++) if (!out[i]) out[i] = new Array(width).fill(null);
  return out;
}

/**
 * The number of header rows a table really has. A table part that says headerRowCount="0" while its first
 * row holds exactly its column names was written by a tool that lost the header flag (exceljs writes every
 * table it read that way): that row is the header, or every later run would read it as a data row.
 */
export function effectiveHeaderRows(table: TableInfo, firstRow: readonly (CellValue | undefined)[]): number {
  if (table.headerRowCount > 0 || table.columns.length === 0) return table.headerRowCount;
  const names = table.columns.map((c) => c.name.trim().toLowerCase());
  const cells = firstRow.map((v) => (v === null || v === undefined ? '' : headerText(v).trim().toLowerCase()));
  return names.every((n, i) => n !== '' && n === cells[i]) ? 1 : 0;
}

export function readExcelTable(sheet: SheetXml, sst: () => readonly string[], table: TableInfo, fix?: ValueFix): Grid {
  const { ref } = table;
  const headerRows = effectiveHeaderRows(table, readBlock(sheet, sst, ref.r0, ref.r0, ref.c0, ref.c1)[0]);
  const hasHeader = headerRows > 0;
  const firstDataRow = ref.r0 + headerRows;
  const lastDataRow = ref.r1 - table.totalsRowCount;
  const block = readBlock(sheet, sst, ref.r0, Math.max(lastDataRow, ref.r0), ref.c0, ref.c1, fix);
  const columnName = (i: number) => table.columns[i]?.name ?? '';
  const header = hasHeader ? block[0].map((v, i) => headerText(v) || columnName(i)) : block[0].map((_v, i) => columnName(i));
  const rows = block.slice(firstDataRow - ref.r0, lastDataRow - ref.r0 + 1);
  return {
    header,
    rows,
    rowNumbers: rows.map((_r, i) => firstDataRow + i),
    headerRow: hasHeader ? ref.r0 : undefined,
    firstDataRow,
    c0: ref.c0,
    c1: ref.c1,
  };
}

/**
 * A plain sheet as a table: the first non-empty row is the header (from its first to its last non-empty
 * cell), data runs to the last row with a non-empty cell in those columns; blank rows in between are kept.
 * One pass over the sheet.
 */
export function readSheetTable(sheet: SheetXml, sst: () => readonly string[], fix?: ValueFix): Grid | undefined {
  let headerRow: number | undefined;
  let header: CellValue[] = [];
  let c0 = 0;
  let c1 = -1;
  const data: CellValue[][] = [];
  let lastNonEmpty = 0;
  scanRows(sheet, (row) => {
    if (headerRow === undefined) {
      const cells: [number, CellValue][] = [];
      scanCells(sheet, row, (c) => {
        const v = cellValue(sheet, c, sst);
        if (!isBlank(v)) cells.push([c.col, v]);
      });
      if (!cells.length) return;
      headerRow = row.num;
      c0 = cells[0][0];
      c1 = cells[cells.length - 1][0];
      header = new Array(c1 - c0 + 1).fill(null);
      for (const [col, v] of cells) header[col - c0] = v;
      return;
    }
    const values: CellValue[] = new Array(c1 - c0 + 1).fill(null);
    let any = false;
    scanCells(sheet, row, (c) => {
      if (c.col < c0) return true;
      if (c.col > c1) return false;
      const v = cellValue(sheet, c, sst);
      if (!isBlank(v)) {
        any = true;
        values[c.col - c0] = fix ? fix(v, c.s) : v;
      }
      return true;
    });
    if (any) {
      data[row.num - headerRow - 1] = values;
      lastNonEmpty = row.num;
    }
  });
  if (headerRow === undefined) return undefined;
  const count = lastNonEmpty ? lastNonEmpty - headerRow : 0;
  const rows: CellValue[][] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = data[i] ?? new Array(c1 - c0 + 1).fill(null);
  return {
    header: header.map(headerText),
    rows,
    rowNumbers: rows.map((_r, i) => headerRow! + 1 + i),
    headerRow,
    firstDataRow: headerRow + 1,
    c0,
    c1,
  };
}

/** Whether a sheet has at least one non-empty cell (stops at the first). */
export function sheetHasContent(sheet: SheetXml, sst: () => readonly string[]): boolean {
  let found = false;
  scanRows(sheet, (row) => {
    scanCells(sheet, row, (c) => {
      if (!isBlank(cellValue(sheet, c, sst))) found = true;
      return !found;
    });
    return !found;
  });
  return found;
}
