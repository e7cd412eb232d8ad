/**
 * Cell-level edits of one worksheet, applied in a single pass over the original XML: untouched rows are
 * copied as slices, patched rows are rebuilt with their cells in column order (new cells inserted at
 * their place, each cell's other content kept), new rows are inserted in row order. Rows written whole
 * where there were none (appended rows, a new table) are kept as row blocks: rendered to XML only while
 * the sheet is serialized, and serialized in pieces, so a big new table never exists as cell objects or
 * as one string.
 */
import { RangeRef, colName } from "./cellRef";
import { XlsxWriteError } from "./errors";
import { FormulaWatch } from "./formulaWatch";
import { newRow, rebuildRow, spliceRow } from "./rowSplice";
import { addTablePartsTo, relPrefix, updateDimension } from "./sheetHeadTail";
import { CellInfo, cellChild, scanCells, scanPlainCells } from "./sheetScan";
import { RowBlock, SheetState } from "./sheetState";
import { q, setAttr } from "./xml";

const MAX_ROW = 1_048_576;
const MAX_COL = 16_383;
/** Characters per chunk of a serialized sheet (SheetEdit.chunks). */
const CHUNK = 1 << 12;

export class SheetEdit extends SheetState {
  /**
   * For original rows patched by updateRow (and not since): where the patched cells go, so that the row
   * is serialized without scanning it again: [first cell's start, last cell's end, then for each patched
   * column in order the start and end of the text it replaces (equal: an insertion)].
   */
  private readonly layouts = new Map<number, number[]>();
  private layoutCols: { of: readonly number[]; sorted: number[]; max: number } | undefined;
  private readonly newTableParts: string[] = [];
  /** What the edits did to formulas (the calc chain, shared formulas). */
  private readonly formulas = new FormulaWatch();
  private bounds: RangeRef | null = null;

  /** Set when a cell holding a formula was overwritten, removed or moved: the calc chain is then stale. */
  get formulasTouched(): boolean {
    return this.formulas.touched;
  }

  get changed(): boolean {
    return this.patches.size > 0 || this.blocks.length > 0 || this.newTableParts.length > 0;
  }

  /**
   * Adds a row block over fresh rows (isFresh for each). `bounds`: the cells it writes that widen the
   * dimension (those with content), or null.
   */
  addBlock(block: RowBlock, bounds: RangeRef | null): void {
    let i = this.blocks.length;
    while (i > 0 && this.blocks[i - 1].r0 > block.r0) i--;
    if (
      block.r1 < block.r0 ||
      (i > 0 && this.blocks[i - 1].r1 >= block.r0) ||
      (i < this.blocks.length && this.blocks[i].r0 <= block.r1)
    ) {
      throw new Error(`row block ${block.r0}-${block.r1} overlaps another one`);
    }
    this.blocks.splice(i, 0, block);
    if (bounds) this.widen(bounds.c0, bounds.r0, bounds.c1, bounds.r1);
  }

  /** Throws when a cell is beyond the last row or column a worksheet can have. */
  checkCell(num: number, col: number): void {
    if (num > MAX_ROW || col > MAX_COL)
      throw new XlsxWriteError(
        `cell ${colName(col)}${num} is beyond the last row or column of a worksheet`
      );
  }

  /**
   * Sets the cells of columns `cols` in row `num` from their styles so far: `make` gets each one's style
   * (stylesOf) and gives its new XML (null removes it). On an original row without other edits this is a
   * single pass over the row, which also notes where the cells go so that serializing need not scan the
   * row again.
   */
  updateRow(
    num: number,
    cols: readonly number[],
    make: (styles: (number | undefined)[]) => (string | null)[]
  ): void {
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
    const { formulas } = this;
    const visit = (c: CellInfo): boolean => {
      if (styling) {
        if (c.col > max) styling = false;
        else
          for (let k = 0; k < cols.length; k++) if (cols[k] === c.col) styles[k] = Math.max(0, c.s);
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
        formulas.noteReplaced(this.sheet, c);
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
    if (xml !== null && !xml.endsWith("/>")) this.widen(col, num, col, num);
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
      const text = setAttr(tag, "r", colName(c.col) + to) + xml.slice(c.openEnd, c.end);
      this.set(to, c.col, text);
      this.set(from, c.col, null);
      if (cellChild(this.sheet, c, "f") >= 0) this.formulas.touched = true;
      return true;
    });
  }

  /** Registers a table part (relationship id) to list in <tableParts>. */
  addTablePart(rId: string): void {
    this.newTableParts.push(rId);
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
    if (this.formulas.removedSharedMasters.size)
      for (const text of this.emit()) this.formulas.checkSharedFormulas(text);
  }

  private *emit(): Generator<string, void, undefined> {
    let parts: string[] = [];
    let length = 0;
    const out = (text: string) => {
      parts.push(text);
      length += text.length;
    };
    const take = () => {
      const text = parts.length === 1 ? parts[0] : parts.join("");
      parts = [];
      length = 0;
      return text;
    };
    const { xml } = this.sheet;
    const sd = this.sheet.sheetData!;
    const rowQ = q(this.prefix, "row");
    let head = xml.slice(0, sd.openEnd);
    let tail = xml.slice(sd.contentEnd);
    if (sd.selfClosing) {
      head = head.replace(/\s*\/>$/, ">");
      tail = `</${sd.qname}>` + tail;
    }
    head = updateDimension(this.sheet, head, this.bounds);
    if (this.newTableParts.length) {
      const rel = relPrefix(this.sheet, head);
      head = rel.head;
      tail = addTablePartsTo(this.sheet, tail, this.newTableParts, rel.prefix);
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
        if (layout) spliceRow(this.sheet, row, patches!, layout, rowQ, out);
        else rebuildRow(this.sheet, row, patches!, rowQ, out, this.formulas);
        pos = row.end;
        oi++;
        continue;
      }
      if (block && patches) {
        const parts: string[] = [];
        const src = this.blockRow(block, num);
        rebuildRow(src.sheet, src.row, patches, rowQ, (t) => parts.push(t), this.formulas);
        // A block row whose cells were all removed is left out, as a new row without cells is.
        if (parts.length > 2) for (const t of parts) out(t);
      } else if (block) {
        const cells = block.cells(num);
        if (cells) out(`<${rowQ} r="${num}">${cells}${rowClose}`);
      } else {
        const text = newRow(rowQ, num, patches!);
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
}
