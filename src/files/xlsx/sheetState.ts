/**
 * A worksheet as it will be after the edits recorded so far (SheetEdit records them): its original rows,
 * the patched cells and the row blocks, and the questions asked while writes are planned (a row's cells,
 * their styles, a plain sheet's block, the first non-blank cell of a range).
 */
import type { CellValue } from "../../workbook/port";
import { XlsxWriteError } from "./errors";
import {
  RowInfo,
  SheetXml,
  cellValue,
  isBlank,
  locateSheet,
  scanCells,
  scanRows,
} from "./sheetScan";
import { q } from "./xml";

/**
 * Rows r0..r1, written where the sheet had no row and no edit: `cells(num)` gives a row's <c> elements
 * (with their r, in column order; '' for none) each time it is asked. Cells set later on these rows are
 * patches over them, as over original rows.
 */
export interface RowBlock {
  r0: number;
  r1: number;
  cells(num: number): string;
}

/** Where a row's cells come from: the sheet's XML, or a row block's rendering of that row. */
interface RowSource {
  sheet: SheetXml;
  row: RowInfo;
}

/** A cell as it will be after the edits (or as it is, when not edited). */
export interface CellState {
  /** Style index (0 when none). */
  s: number;
  blank: boolean;
  value: CellValue;
}

export class SheetState {
  readonly sheet: SheetXml;
  protected readonly rows: RowInfo[] = [];
  /** Row → column → the new <c> element, or null to remove the cell. Only the XML is kept (memory). */
  protected readonly patches = new Map<number, Map<number, string | null>>();
  /** Sorted by r0, not overlapping each other nor any original row. */
  protected readonly blocks: RowBlock[] = [];

  constructor(
    xml: string,
    private readonly sst: () => readonly string[]
  ) {
    this.sheet = locateSheet(xml);
    if (!this.sheet.sheetData) throw new XlsxWriteError("worksheet has no sheetData");
    let prev = 0;
    scanRows(this.sheet, (r) => {
      if (r.num <= prev)
        throw new XlsxWriteError(
          `worksheet rows are not in order (row ${r.num} after ${prev}); open and save it in Excel first`
        );
      prev = r.num;
      // A plain literal, not a spread: these objects are searched and read for every cell written.
      this.rows.push({
        num: r.num,
        start: r.start,
        openEnd: r.openEnd,
        contentEnd: r.contentEnd,
        end: r.end,
        hasR: r.hasR,
      });
    });
  }

  get prefix(): string {
    return this.sheet.prefix;
  }

  protected findRow(num: number): RowInfo | undefined {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = this.rows[mid].num;
      if (n === num) return this.rows[mid];
      if (n < num) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private blockAt(num: number): RowBlock | undefined {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid];
      if (num < b.r0) hi = mid - 1;
      else if (num > b.r1) lo = mid + 1;
      else return b;
    }
    return undefined;
  }

  /** A block's row as a little sheet of its own, so that it is read like an original row. */
  protected blockRow(block: RowBlock, num: number): RowSource {
    const rowQ = q(this.prefix, "row");
    const open = `<${rowQ} r="${num}">`;
    const xml = open + block.cells(num) + `</${rowQ}>`;
    return {
      sheet: { ...this.sheet, xml },
      row: {
        num,
        start: 0,
        openEnd: open.length,
        contentEnd: xml.length - rowQ.length - 3,
        end: xml.length,
        hasR: true,
      },
    };
  }

  /** The cells of row `num` before patches: an original row or a block's row. */
  private source(num: number): RowSource | undefined {
    const row = this.findRow(num);
    if (row) return { sheet: this.sheet, row };
    const b = this.blockAt(num);
    return b ? this.blockRow(b, num) : undefined;
  }

  /** Whether row `num` has nothing yet: no row in the sheet, no edit, no block (a new block may cover it). */
  isFresh(num: number): boolean {
    return !this.findRow(num) && !this.patches.has(num) && !this.blockAt(num);
  }

  /** The cells of a row as they will be after the edits so far, by column. */
  rowState(num: number): Map<number, CellState> {
    const out = new Map<number, CellState>();
    const src = this.source(num);
    if (src) {
      scanCells(src.sheet, src.row, (c) => {
        const value = cellValue(src.sheet, c, this.sst);
        out.set(c.col, { s: Math.max(0, c.s), blank: isBlank(value), value });
      });
    }
    const p = this.patches.get(num);
    if (p) {
      for (const [col, patch] of p) {
        if (patch === null) out.delete(col);
        else out.set(col, this.patchState(patch));
      }
    }
    return out;
  }

  /**
   * Styles of the given columns' cells after the edits so far (undefined where there is no cell). Cheaper
   * than rowState: no values are decoded, so updating every row of a big table stays fast.
   */
  stylesOf(num: number, cols: readonly number[]): (number | undefined)[] {
    const out: (number | undefined)[] = new Array(cols.length).fill(undefined);
    const src = this.source(num);
    if (src) {
      let max = -1;
      for (const c of cols) if (c > max) max = c;
      scanCells(src.sheet, src.row, (c) => {
        if (c.col > max) return false;
        for (let k = 0; k < cols.length; k++) if (cols[k] === c.col) out[k] = Math.max(0, c.s);
        return true;
      });
    }
    const p = this.patches.get(num);
    if (p) {
      cols.forEach((c, k) => {
        const patch = p.get(c);
        if (patch !== undefined) out[k] = patch === null ? undefined : this.patchState(patch).s;
      });
    }
    return out;
  }

  cellState(num: number, col: number): CellState | undefined {
    const patch = this.patches.get(num)?.get(col);
    if (patch !== undefined) return patch === null ? undefined : this.patchState(patch);
    const src = this.source(num);
    if (!src) return undefined;
    let found: CellState | undefined;
    scanCells(src.sheet, src.row, (c) => {
      if (c.col < col) return true;
      if (c.col === col) {
        const value = cellValue(src.sheet, c, this.sst);
        found = { s: Math.max(0, c.s), blank: isBlank(value), value };
      }
      return false;
    });
    return found;
  }

  /**
   * A plain sheet's block after the edits so far: the first row with a non-blank cell (the header, its
   * first to last non-blank column) and the last row with a non-blank cell in those columns. Data rows
   * stop scanning at their first non-blank cell, so a big sheet costs little more than a row scan.
   */
  blockExtent(): { headerRow: number; c0: number; c1: number; last: number } | undefined {
    let headerRow: number | undefined;
    let c0 = 0;
    let c1 = -1;
    let last = 0;
    const visit = (num: number, src: RowSource | undefined) => {
      if (headerRow === undefined || this.patches.has(num) || !src) {
        const filled: number[] = [];
        for (const [col, st] of this.rowState(num)) if (!st.blank) filled.push(col);
        if (!filled.length) return;
        filled.sort((a, b) => a - b);
        if (headerRow === undefined) {
          headerRow = num;
          c0 = filled[0];
          c1 = filled[filled.length - 1];
          last = num;
        } else if (filled.some((c) => c >= c0 && c <= c1)) last = num;
        return;
      }
      scanCells(src.sheet, src.row, (c) => {
        if (c.col < c0) return true;
        if (c.col > c1) return false;
        if (isBlank(cellValue(src.sheet, c, this.sst))) return true;
        last = num;
        return false;
      });
    };
    this.forEachRow((num, row, block) =>
      visit(num, row ? { sheet: this.sheet, row } : block ? this.blockRow(block, num) : undefined)
    );
    return headerRow === undefined ? undefined : { headerRow, c0, c1, last };
  }

  /** Columns in c0..c1 that have a cell in row `num` after the edits so far (no values decoded). */
  colsIn(num: number, c0: number, c1: number): number[] {
    const out = new Set<number>();
    const src = this.source(num);
    if (src) {
      scanCells(src.sheet, src.row, (c) => {
        if (c.col > c1) return false;
        if (c.col >= c0) out.add(c.col);
        return true;
      });
    }
    const p = this.patches.get(num);
    if (p)
      for (const [col, xml] of p)
        if (col >= c0 && col <= c1) {
          if (xml === null) out.delete(col);
          else out.add(col);
        }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * The first non-blank cell (after the edits so far) in a range, or undefined. Reads only the cells in
   * the range, so checking a column beside a big table stays cheap.
   */
  firstNonBlank(
    r0: number,
    r1: number,
    c0: number,
    c1: number
  ): { row: number; col: number } | undefined {
    if (r1 < r0 || c1 < c0) return undefined;
    let hit: { row: number; col: number } | undefined;
    const check = (num: number, src: RowSource | undefined): boolean => {
      const p = this.patches.get(num);
      if (p) {
        for (const [col, xml] of p) {
          if (
            col >= c0 &&
            col <= c1 &&
            xml !== null &&
            !this.patchState(xml).blank &&
            (!hit || col < hit.col)
          )
            hit = { row: num, col };
        }
      }
      if (src) {
        scanCells(src.sheet, src.row, (c) => {
          if (c.col < c0) return true;
          if (c.col > c1 || (hit && c.col > hit.col)) return false;
          if (p?.has(c.col)) return true;
          if (!isBlank(cellValue(src.sheet, c, this.sst))) {
            hit = { row: num, col: c.col };
            return false;
          }
          return true;
        });
      }
      return hit !== undefined;
    };
    const nums = new Set<number>();
    for (const n of this.patches.keys()) if (n >= r0 && n <= r1) nums.add(n);
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid].num < r0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.rows.length && this.rows[i].num <= r1; i++)
      nums.add(this.rows[i].num);
    for (const b of this.blocks)
      for (let n = Math.max(r0, b.r0); n <= Math.min(r1, b.r1); n++) nums.add(n);
    for (const n of [...nums].sort((a, b) => a - b)) if (check(n, this.source(n))) return hit;
    return undefined;
  }

  /** A patched cell's state, read back from its XML (rarely needed, so it is not kept per cell). */
  private patchState(cellXml: string): CellState {
    const sheet: SheetXml = { ...this.sheet, xml: cellXml };
    let state: CellState = { s: 0, blank: true, value: null };
    scanCells(
      sheet,
      { num: 0, start: 0, openEnd: 0, contentEnd: cellXml.length, end: cellXml.length, hasR: true },
      (c) => {
        const value = cellValue(sheet, c, this.sst);
        state = { s: Math.max(0, c.s), blank: isBlank(value), value };
        return false;
      }
    );
    return state;
  }

  /**
   * Visits every row that is in the sheet after the edits so far, in order: original rows (`row`), block
   * rows (`block`) and rows that only have patches (neither).
   */
  private forEachRow(
    visit: (num: number, row: RowInfo | undefined, block: RowBlock | undefined) => void
  ): void {
    const patched = [...this.patches.keys()].sort((a, b) => a - b);
    const rows = this.rows;
    const blocks = this.blocks;
    let oi = 0;
    let pi = 0;
    let bi = 0;
    let bn = blocks.length ? blocks[0].r0 : Infinity; // next block row
    for (;;) {
      const on = oi < rows.length ? rows[oi].num : Infinity;
      const pn = pi < patched.length ? patched[pi] : Infinity;
      const num = Math.min(on, pn, bn);
      if (num === Infinity) return;
      if (pn === num) pi++;
      if (on === num) visit(num, rows[oi++], undefined);
      else if (bn === num) visit(num, undefined, blocks[bi]);
      else visit(num, undefined, undefined);
      if (bn === num) {
        if (bn < blocks[bi].r1) bn++;
        else bn = ++bi < blocks.length ? blocks[bi].r0 : Infinity;
      }
    }
  }
}
