/**
 * Cell-level edits of one worksheet, applied in a single pass over the original XML: untouched rows are
 * copied as slices, patched rows are rebuilt with their cells in column order (new cells inserted at
 * their place, each cell's other content kept), new rows are inserted in row order. Rows written whole
 * where there were none (appended rows, a new table) are kept as row blocks: rendered to XML only while
 * the sheet is serialized, and serialized in pieces, so a big new table never exists as cell objects or
 * as one string.
 */
import type { CellValue } from '../../workbook/port';
import { RangeRef, colName, formatRange, parseRange } from './cellRef';
import { XlsxWriteError } from './errors';
import { CellInfo, RowInfo, SheetXml, cellChild, cellValue, isBlank, locateSheet, scanCells, scanPlainCells, scanRows } from './sheetScan';
import { escapeRegExp, q, setAttr } from './xml';

const MAX_ROW = 1_048_576;
const MAX_COL = 16_383;
/** Characters per chunk of a serialized sheet (SheetEdit.chunks). */
const CHUNK = 1 << 12;

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

export class SheetEdit {
  readonly sheet: SheetXml;
  private readonly rows: RowInfo[] = [];
  /** Row → column → the new <c> element, or null to remove the cell. Only the XML is kept (memory). */
  private readonly patches = new Map<number, Map<number, string | null>>();
  /** Sorted by r0, not overlapping each other nor any original row. */
  private readonly blocks: RowBlock[] = [];
  /**
   * For original rows patched by updateRow (and not since): where the patched cells go, so that the row
   * is serialized without scanning it again: [first cell's start, last cell's end, then for each patched
   * column in order the start and end of the text it replaces (equal: an insertion)].
   */
  private readonly layouts = new Map<number, number[]>();
  private layoutCols: { of: readonly number[]; sorted: number[]; max: number } | undefined;
  private readonly newTableParts: string[] = [];
  /** Set when a cell holding a formula was overwritten, removed or moved: the calc chain is then stale. */
  formulasTouched = false;
  private readonly removedSharedMasters = new Set<string>();
  private bounds: RangeRef | null = null;

  constructor(xml: string, private readonly sst: () => readonly string[]) {
    this.sheet = locateSheet(xml);
    if (!this.sheet.sheetData) throw new XlsxWriteError('worksheet has no sheetData');
    let prev = 0;
    scanRows(this.sheet, (r) => {
      if (r.num <= prev) throw new XlsxWriteError(`worksheet rows are not in order (row ${r.num} after ${prev}); open and save it in Excel first`);
      prev = r.num;
      // A plain literal, not a spread: these objects are searched and read for every cell written.
      this.rows.push({ num: r.num, start: r.start, openEnd: r.openEnd, contentEnd: r.contentEnd, end: r.end, hasR: r.hasR });
    });
  }

  get prefix(): string {
    return this.sheet.prefix;
  }

  get changed(): boolean {
    return this.patches.size > 0 || this.blocks.length > 0 || this.newTableParts.length > 0;
  }

  private findRow(num: number): RowInfo | undefined {
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
  private blockRow(block: RowBlock, num: number): RowSource {
    const rowQ = q(this.prefix, 'row');
    const open = `<${rowQ} r="${num}">`;
    const xml = open + block.cells(num) + `</${rowQ}>`;
    return { sheet: { ...this.sheet, xml }, row: { num, start: 0, openEnd: open.length, contentEnd: xml.length - rowQ.length - 3, end: xml.length, hasR: true } };
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

  /**
   * Adds a row block over fresh rows (isFresh for each). `bounds`: the cells it writes that widen the
   * dimension (those with content), or null.
   */
  addBlock(block: RowBlock, bounds: RangeRef | null): void {
    let i = this.blocks.length;
    while (i > 0 && this.blocks[i - 1].r0 > block.r0) i--;
    if (block.r1 < block.r0 || (i > 0 && this.blocks[i - 1].r1 >= block.r0) || (i < this.blocks.length && this.blocks[i].r0 <= block.r1)) {
      throw new Error(`row block ${block.r0}-${block.r1} overlaps another one`);
    }
    this.blocks.splice(i, 0, block);
    if (bounds) this.widen(bounds.c0, bounds.r0, bounds.c1, bounds.r1);
  }

  /** Throws when a cell is beyond the last row or column a worksheet can have. */
  checkCell(num: number, col: number): void {
    if (num > MAX_ROW || col > MAX_COL) throw new XlsxWriteError(`cell ${colName(col)}${num} is beyond the last row or column of a worksheet`);
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
    this.forEachRow((num, row, block) => visit(num, row ? { sheet: this.sheet, row } : block ? this.blockRow(block, num) : undefined));
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
    if (p) for (const [col, xml] of p) if (col >= c0 && col <= c1) xml === null ? out.delete(col) : out.add(col);
    return [...out].sort((a, b) => a - b);
  }

  /**
   * The first non-blank cell (after the edits so far) in a range, or undefined. Reads only the cells in
   * the range, so checking a column beside a big table stays cheap.
   */
  firstNonBlank(r0: number, r1: number, c0: number, c1: number): { row: number; col: number } | undefined {
    if (r1 < r0 || c1 < c0) return undefined;
    let hit: { row: number; col: number } | undefined;
    const check = (num: number, src: RowSource | undefined): boolean => {
      const p = this.patches.get(num);
      if (p) {
        for (const [col, xml] of p) {
          if (col >= c0 && col <= c1 && xml !== null && !this.patchState(xml).blank && (!hit || col < hit.col)) hit = { row: num, col };
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
    for (let i = lo; i < this.rows.length && this.rows[i].num <= r1; i++) nums.add(this.rows[i].num);
    for (const b of this.blocks) for (let n = Math.max(r0, b.r0); n <= Math.min(r1, b.r1); n++) nums.add(n);
    for (const n of [...nums].sort((a, b) => a - b)) if (check(n, this.source(n))) return hit;
    return undefined;
  }

  /**
   * Sets the cells of columns `cols` in row `num` from their styles so far: `make` gets each one's style
   * (stylesOf) and gives its new XML (null removes it). On an original row without other edits this is a
   * single pass over the row, which also notes where the cells go so that serializing need not scan the
   * row again.
   */
  updateRow(num: number, cols: readonly number[], make: (styles: (number | undefined)[]) => (string | null)[]): void {
    const row = this.patches.has(num) || !cols.length ? undefined : this.findRow(num);
    if (!row) {
      const xmls = make(this.stylesOf(num, cols));
      cols.forEach((c, k) => this.set(num, c, xmls[k]));
      return;
    }
    let lc = this.layoutCols;
    if (!lc || lc.of.length !== cols.length || lc.of.some((c, k) => c !== cols[k])) {
      const sorted = [...new Set(cols)].sort((a, b) => a - b);
      lc = this.layoutCols = { of: [...cols], sorted, max: sorted[sorted.length - 1] };
    }
    const { sorted: want, max } = lc;
    const styles: (number | undefined)[] = new Array(cols.length).fill(undefined);
    const layout: number[] = new Array(2 + 2 * want.length).fill(0);
    // The layout holds when every cell has its r, the cells follow each other with nothing between and
    // their columns ascend: then rebuildRow's output is the row's text with the patched cells replaced.
    let styling = true;
    let simple = true;
    let first = -1;
    let prevCol = -1;
    let prevEnd = -1;
    let wi = 0;
    const visit = (c: CellInfo): boolean => {
      if (styling) {
        if (c.col > max) styling = false;
        else for (let k = 0; k < cols.length; k++) if (cols[k] === c.col) styles[k] = Math.max(0, c.s);
      }
      if (!simple) return styling;
      if (!c.hasR || c.col <= prevCol || (prevEnd >= 0 && c.start !== prevEnd)) {
        simple = false;
        return styling;
      }
      if (first < 0) first = c.start;
      while (wi < want.length && want[wi] < c.col) {
        layout[2 + 2 * wi] = layout[3 + 2 * wi] = c.start;
        wi++;
      }
      if (wi < want.length && want[wi] === c.col) {
        layout[2 + 2 * wi] = c.start;
        layout[3 + 2 * wi] = c.end;
        wi++;
        this.noteReplaced(this.sheet, c);
      }
      prevCol = c.col;
      prevEnd = c.end;
      return true;
    };
    // Most rows are plain (scanPlainCells); others are read again in full.
    if (!scanPlainCells(this.sheet, row, visit)) {
      styles.fill(undefined);
      styling = simple = true;
      first = prevCol = prevEnd = -1;
      wi = 0;
      scanCells(this.sheet, row, visit);
    }
    const xmls = make(styles);
    cols.forEach((c, k) => this.set(num, c, xmls[k]));
    if (!simple) return;
    const lastEnd = prevEnd >= 0 ? prevEnd : row.openEnd;
    for (; wi < want.length; wi++) layout[2 + 2 * wi] = layout[3 + 2 * wi] = lastEnd;
    layout[0] = first >= 0 ? first : row.openEnd;
    layout[1] = lastEnd;
    this.layouts.set(num, layout);
  }

  /** Sets a cell (xml = a full <c> element with the right r) or removes it (null). */
  set(num: number, col: number, xml: string | null): void {
    this.checkCell(num, col);
    if (this.layouts.size) this.layouts.delete(num);
    let row = this.patches.get(num);
    if (!row) {
      row = new Map();
      this.patches.set(num, row);
    }
    row.set(col, xml);
    // A self-closing <c/> holds no value: it does not widen the dimension.
    if (xml !== null && !xml.endsWith('/>')) this.widen(col, num, col, num);
  }

  private widen(c0: number, r0: number, c1: number, r1: number): void {
    const b = this.bounds;
    if (!b) this.bounds = { c0, c1, r0, r1 };
    else {
      if (c0 < b.c0) b.c0 = c0;
      if (c1 > b.c1) b.c1 = c1;
      if (r0 < b.r0) b.r0 = r0;
      if (r1 > b.r1) b.r1 = r1;
    }
  }

  /** A patched cell's state, read back from its XML (rarely needed, so it is not kept per cell). */
  private patchState(cellXml: string): CellState {
    const sheet: SheetXml = { ...this.sheet, xml: cellXml };
    let state: CellState = { s: 0, blank: true, value: null };
    scanCells(sheet, { num: 0, start: 0, openEnd: 0, contentEnd: cellXml.length, end: cellXml.length, hasR: true }, (c) => {
      const value = cellValue(sheet, c, this.sst);
      state = { s: Math.max(0, c.s), blank: isBlank(value), value };
      return false;
    });
    return state;
  }

  /**
   * Moves the original cells of `from` in columns c0..c1 to row `to` (a table's totals row), keeping
   * their content; the cells at `from` are removed unless set again later.
   */
  moveCells(from: number, to: number, c0: number, c1: number): void {
    const row = this.findRow(from);
    if (!row || from === to) return;
    const { xml } = this.sheet;
    scanCells(this.sheet, row, (c) => {
      if (c.col < c0) return true;
      if (c.col > c1) return false;
      const tag = xml.slice(c.start, c.openEnd);
      const text = setAttr(tag, 'r', colName(c.col) + to) + xml.slice(c.openEnd, c.end);
      this.set(to, c.col, text);
      this.set(from, c.col, null);
      if (cellChild(this.sheet, c, 'f') >= 0) this.formulasTouched = true;
      return true;
    });
  }

  /** Registers a table part (relationship id) to list in <tableParts>. */
  addTablePart(rId: string): void {
    this.newTableParts.push(rId);
  }

  /**
   * Visits every row that is in the sheet after the edits so far, in order: original rows (`row`), block
   * rows (`block`) and rows that only have patches (neither).
   */
  private forEachRow(visit: (num: number, row: RowInfo | undefined, block: RowBlock | undefined) => void): void {
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

  /**
   * The worksheet XML with all edits applied, in chunks of about CHUNK characters or more (each of whole
   * rows, or the text before or after the rows): made as they are asked for, so that the whole text
   * never has to exist at once.
   */
  *chunks(): Generator<string, void, undefined> {
    yield* this.emit();
    // Overwriting the master cell of a shared formula would orphan the cells that share it. Masters are
    // found while rows are rebuilt, so the text is looked at again once all are known (rare).
    if (this.removedSharedMasters.size) for (const text of this.emit()) this.checkSharedFormulas(text);
  }

  private *emit(): Generator<string, void, undefined> {
    let parts: string[] = [];
    let length = 0;
    const out = (text: string) => {
      parts.push(text);
      length += text.length;
    };
    const take = () => {
      const text = parts.length === 1 ? parts[0] : parts.join('');
      parts = [];
      length = 0;
      return text;
    };
    const { xml } = this.sheet;
    const sd = this.sheet.sheetData!;
    const rowQ = q(this.prefix, 'row');
    let head = xml.slice(0, sd.openEnd);
    let tail = xml.slice(sd.contentEnd);
    if (sd.selfClosing) {
      head = head.replace(/\s*\/>$/, '>');
      tail = `</${sd.qname}>` + tail;
    }
    head = this.updateDimension(head);
    if (this.newTableParts.length) {
      const rel = this.relPrefix(head);
      head = rel.head;
      tail = this.addTablePartsTo(tail, rel.prefix);
    }
    out(head);

    // Untouched original rows are copied as slices; only the rows that changed or are new are visited.
    const contentEnd = sd.selfClosing ? sd.openEnd : sd.contentEnd;
    const rows = this.rows;
    let pos = sd.openEnd; // original text not yet copied
    let oi = 0; // next original row not passed yet
    const patched = [...this.patches.keys()].sort((a, b) => a - b);
    const blocks = this.blocks;
    let pi = 0;
    let bi = 0;
    let bn = blocks.length ? blocks[0].r0 : Infinity;
    const rowClose = `</${rowQ}>`;
    for (;;) {
      const pn = pi < patched.length ? patched[pi] : Infinity;
      const num = Math.min(pn, bn);
      if (num === Infinity) break;
      const patches = pn === num ? this.patches.get(patched[pi++])! : undefined;
      const block = bn === num ? blocks[bi] : undefined;
      if (block) {
        if (bn < block.r1) bn++;
        else bn = ++bi < blocks.length ? blocks[bi].r0 : Infinity;
      }
      while (oi < rows.length && rows[oi].num < num) oi++;
      const row = oi < rows.length && rows[oi].num === num ? rows[oi] : undefined;
      if (length >= CHUNK) yield take();
      // The original text up to this row (or, for a new row, up to the next original row) is copied.
      const at = oi < rows.length ? rows[oi].start : contentEnd;
      if (at > pos) {
        const text = xml.slice(pos, at);
        pos = at;
        if (text.length < CHUNK) out(text);
        else {
          // A long stretch of untouched rows goes out as it is.
          if (length) yield take();
          yield text;
        }
      }
      if (row) {
        const layout = this.layouts.get(num);
        if (layout) this.spliceRow(row, patches!, layout, rowQ, out);
        else this.rebuildRow(this.sheet, row, patches!, rowQ, out);
        pos = row.end;
        oi++;
        continue;
      }
      if (block && patches) {
        const parts: string[] = [];
        const src = this.blockRow(block, num);
        this.rebuildRow(src.sheet, src.row, patches, rowQ, (t) => parts.push(t));
        // A block row whose cells were all removed is left out, as a new row without cells is.
        if (parts.length > 2) for (const t of parts) out(t);
      } else if (block) {
        const cells = block.cells(num);
        if (cells) out(`<${rowQ} r="${num}">${cells}${rowClose}`);
      } else {
        const text = this.newRow(rowQ, num, patches!);
        if (text) out(text);
      }
    }
    if (contentEnd > pos) {
      if (length) yield take();
      yield xml.slice(pos, contentEnd);
    }
    out(tail);
    yield take();
  }

  private newRow(rowQ: string, num: number, patches: Map<number, string | null>): string {
    let cells = '';
    for (const col of sortedKeys(patches)) {
      const x = patches.get(col)!;
      if (x !== null) cells += x;
    }
    return cells ? `<${rowQ} r="${num}">${cells}</${rowQ}>` : '';
  }

  /** A row's start tag when its cells change. */
  private rowTag(sheet: SheetXml, row: RowInfo): string {
    let tag = sheet.xml.slice(row.start, row.openEnd);
    // spans is an optional hint that would go stale; r is made explicit so positions cannot shift.
    if (tag.indexOf('spans') >= 0) tag = setAttr(tag, 'spans', null);
    if (!row.hasR) tag = setAttr(tag, 'r', String(row.num));
    if (tag.endsWith('/>')) tag = tag.slice(0, -2).replace(/\s+$/, '') + '>';
    return tag;
  }

  /** rebuildRow's result for a row with a layout (updateRow): the row's text with the patched cells replaced. */
  private spliceRow(row: RowInfo, patches: Map<number, string | null>, layout: number[], rowQ: string, out: (text: string) => void): void {
    const { xml } = this.sheet;
    out(this.rowTag(this.sheet, row));
    const cols = sortedKeys(patches);
    let pos = layout[0];
    for (let i = 0; i < cols.length; i++) {
      const from = layout[2 + 2 * i];
      if (from > pos) out(xml.slice(pos, from));
      const p = patches.get(cols[i])!;
      if (p !== null) out(p);
      pos = layout[3 + 2 * i];
    }
    const lastEnd = layout[1];
    if (lastEnd > pos) out(xml.slice(pos, lastEnd));
    if (row.contentEnd > lastEnd) {
      const rest = xml.slice(lastEnd, row.contentEnd);
      if (rest.trim()) out(rest.trim());
    }
    out(`</${rowQ}>`);
  }

  /** An original (or block) row with its patches: its cells in column order, each patched one replaced. */
  private rebuildRow(sheet: SheetXml, row: RowInfo, patches: Map<number, string | null>, rowQ: string, out: (text: string) => void): void {
    const { xml } = sheet;
    out(this.rowTag(sheet, row));
    const cols = sortedKeys(patches);
    let ci = 0;
    let lastEnd = row.openEnd;
    // Unchanged cells are given out as runs of adjacent cells (what lies between cells is not kept).
    let runStart = -1;
    let runEnd = -1;
    const flushRun = () => {
      if (runStart >= 0) out(xml.slice(runStart, runEnd));
      runStart = -1;
    };
    scanCells(sheet, row, (c) => {
      lastEnd = c.end;
      if (ci < cols.length && cols[ci] <= c.col) {
        flushRun();
        while (ci < cols.length && cols[ci] < c.col) {
          const p = patches.get(cols[ci++])!;
          if (p !== null) out(p);
        }
        if (ci < cols.length && cols[ci] === c.col) {
          const p = patches.get(cols[ci++])!;
          this.noteReplaced(sheet, c);
          if (p !== null) out(p);
          return;
        }
      }
      if (c.hasR) {
        if (runStart >= 0 && c.start !== runEnd) flushRun();
        if (runStart < 0) runStart = c.start;
        runEnd = c.end;
      } else {
        flushRun();
        const t = xml.slice(c.start, c.openEnd);
        out(setAttr(t, 'r', colName(c.col) + row.num) + xml.slice(c.openEnd, c.end));
      }
    });
    flushRun();
    while (ci < cols.length) {
      const p = patches.get(cols[ci++])!;
      if (p !== null) out(p);
    }
    // Anything after the last cell (a row extLst) stays, after the cells as the schema wants.
    if (row.contentEnd > lastEnd) {
      const rest = xml.slice(lastEnd, row.contentEnd);
      if (rest.trim()) out(rest.trim());
    }
    out(`</${rowQ}>`);
  }

  private noteReplaced(sheet: SheetXml, cell: CellInfo): void {
    const f = cellChild(sheet, cell, 'f');
    if (f < 0) return;
    this.formulasTouched = true;
    const fTag = sheet.xml.slice(f, sheet.xml.indexOf('>', f) + 1);
    const si = /\bsi\s*=\s*["'](\d+)["']/.exec(fTag);
    if (si && /\bt\s*=\s*["']shared["']/.test(fTag) && /\bref\s*=/.test(fTag)) this.removedSharedMasters.add(si[1]);
  }

  /** Throws when `result` (a piece of the new sheet) has a cell sharing the formula of an overwritten master. */
  private checkSharedFormulas(result: string): void {
    for (const si of this.removedSharedMasters) {
      const re = new RegExp(`<(?:[\\w.-]+:)?f\\b[^>]*\\bsi\\s*=\\s*["']${escapeRegExp(si)}["']`);
      if (re.test(result)) {
        throw new XlsxWriteError(`a written cell holds the formula that other cells share (shared formula ${si}); overwriting it would break them`);
      }
    }
  }

  private updateDimension(head: string): string {
    if (!this.bounds) return head;
    const re = new RegExp(`<${escapeRegExp(q(this.prefix, 'dimension'))}\\b[^>]*>`);
    const m = re.exec(head);
    if (!m) return head;
    const refMatch = /\bref\s*=\s*["']([^"']*)["']/.exec(m[0]);
    const old = refMatch ? parseRange(refMatch[1]) : null;
    const b = this.bounds;
    const r: RangeRef = old ? { c0: Math.min(old.c0, b.c0), r0: Math.min(old.r0, b.r0), c1: Math.max(old.c1, b.c1), r1: Math.max(old.r1, b.r1) } : b;
    return head.slice(0, m.index) + setAttr(m[0], 'ref', formatRange(r)) + head.slice(m.index + m[0].length);
  }

  /** Adds <tablePart> entries: into an existing <tableParts>, else a new one before <extLst> (schema order). */
  private addTablePartsTo(tail: string, rPrefix: string): string {
    const p = this.prefix;
    const items = this.newTableParts.map((id) => `<${q(p, 'tablePart')} ${rPrefix}:id="${id}"/>`).join('');
    const tpRe = new RegExp(`<${escapeRegExp(q(p, 'tableParts'))}\\b[^>]*?(/?)>`);
    const m = tpRe.exec(tail);
    if (m) {
      const countMatch = /\bcount\s*=\s*["'](\d+)["']/.exec(m[0]);
      const count = (countMatch ? parseInt(countMatch[1], 10) : 0) + this.newTableParts.length;
      let tag = setAttr(m[0], 'count', String(count));
      if (m[1]) {
        tag = tag.slice(0, -2).replace(/\s+$/, '') + '>';
        return tail.slice(0, m.index) + tag + items + `</${q(p, 'tableParts')}>` + tail.slice(m.index + m[0].length);
      }
      const close = tail.indexOf(`</${q(p, 'tableParts')}>`, m.index);
      return tail.slice(0, m.index) + tag + tail.slice(m.index + m[0].length, close) + items + tail.slice(close);
    }
    const block = `<${q(p, 'tableParts')} count="${this.newTableParts.length}">${items}</${q(p, 'tableParts')}>`;
    const ext = new RegExp(`<${escapeRegExp(q(p, 'extLst'))}[\\s>]`).exec(tail);
    const at = ext ? ext.index : tail.lastIndexOf(`</${this.sheet.root.qname}`);
    return tail.slice(0, at) + block + tail.slice(at);
  }

  /** The prefix bound to the relationships namespace on <worksheet>, declaring r (or r1...) when missing. */
  private relPrefix(head: string): { head: string; prefix: string } {
    const root = this.sheet.root;
    const rootTag = head.slice(root.start, root.openEnd);
    const m = /\sxmlns:([\w.-]+)\s*=\s*["']http:\/\/(?:schemas\.openxmlformats\.org\/officeDocument\/2006|purl\.oclc\.org\/ooxml\/officeDocument)\/relationships["']/.exec(rootTag);
    if (m) return { head, prefix: m[1] };
    const strict = /purl\.oclc\.org/.test(rootTag);
    const uri = strict ? 'http://purl.oclc.org/ooxml/officeDocument/relationships' : 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    let prefix = 'r';
    for (let n = 1; new RegExp(`\\sxmlns:${prefix}\\s*=`).test(rootTag); n++) prefix = `r${n}`;
    const tag = setAttr(rootTag, `xmlns:${prefix}`, uri);
    return { head: head.slice(0, root.start) + tag + head.slice(root.openEnd), prefix };
  }
}

/** Map keys ascending (patches are usually added in column order, so usually no sort is needed). */
function sortedKeys(m: Map<number, unknown>): number[] {
  const keys = [...m.keys()];
  for (let i = 1; i < keys.length; i++) if (keys[i] < keys[i - 1]) return keys.sort((a, b) => a - b);
  return keys;
}

