/**
 * Cell-level edits of one worksheet, applied in a single pass over the original XML: untouched rows are
 * copied as slices, patched rows are rebuilt with their cells in column order (new cells inserted at
 * their place, each cell's other content kept), new rows are inserted in row order.
 */
import type { CellValue } from '../../workbook/port';
import { RangeRef, colName, formatRange, parseRange } from './cellRef';
import { XlsxWriteError } from './errors';
import { CellInfo, RowInfo, SheetXml, cellChild, cellValue, isBlank, locateSheet, scanCells, scanRows } from './sheetScan';
import { escapeRegExp, q, setAttr } from './xml';

const MAX_ROW = 1_048_576;
const MAX_COL = 16_383;

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
      this.rows.push({ ...r });
    });
  }

  get prefix(): string {
    return this.sheet.prefix;
  }

  get changed(): boolean {
    return this.patches.size > 0 || this.newTableParts.length > 0;
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

  /** The cells of a row as they will be after the edits so far, by column. */
  rowState(num: number): Map<number, CellState> {
    const out = new Map<number, CellState>();
    const row = this.findRow(num);
    if (row) {
      scanCells(this.sheet, row, (c) => {
        const value = cellValue(this.sheet, c, this.sst);
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
    const row = this.findRow(num);
    if (row) {
      let max = -1;
      for (const c of cols) if (c > max) max = c;
      scanCells(this.sheet, row, (c) => {
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
    const row = this.findRow(num);
    if (!row) return undefined;
    let found: CellState | undefined;
    scanCells(this.sheet, row, (c) => {
      if (c.col < col) return true;
      if (c.col === col) {
        const value = cellValue(this.sheet, c, this.sst);
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
    const visit = (num: number, row: RowInfo | undefined) => {
      if (headerRow === undefined || this.patches.has(num) || !row) {
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
      scanCells(this.sheet, row, (c) => {
        if (c.col < c0) return true;
        if (c.col > c1) return false;
        if (isBlank(cellValue(this.sheet, c, this.sst))) return true;
        last = num;
        return false;
      });
    };
    const patched = [...this.patches.keys()].sort((a, b) => a - b);
    let pi = 0;
    for (const row of this.rows) {
      while (pi < patched.length && patched[pi] < row.num) visit(patched[pi++], undefined);
      if (pi < patched.length && patched[pi] === row.num) pi++;
      visit(row.num, row);
    }
    while (pi < patched.length) visit(patched[pi++], undefined);
    return headerRow === undefined ? undefined : { headerRow, c0, c1, last };
  }

  /** Columns in c0..c1 that have a cell in row `num` after the edits so far (no values decoded). */
  colsIn(num: number, c0: number, c1: number): number[] {
    const out = new Set<number>();
    const row = this.findRow(num);
    if (row) {
      scanCells(this.sheet, row, (c) => {
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
    const check = (num: number, row: RowInfo | undefined): boolean => {
      const p = this.patches.get(num);
      if (p) {
        for (const [col, xml] of p) {
          if (col >= c0 && col <= c1 && xml !== null && !this.patchState(xml).blank && (!hit || col < hit.col)) hit = { row: num, col };
        }
      }
      if (row) {
        scanCells(this.sheet, row, (c) => {
          if (c.col < c0) return true;
          if (c.col > c1 || (hit && c.col > hit.col)) return false;
          if (p?.has(c.col)) return true;
          if (!isBlank(cellValue(this.sheet, c, this.sst))) {
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
    for (const n of [...nums].sort((a, b) => a - b)) if (check(n, this.findRow(n))) return hit;
    return undefined;
  }

  /** Sets a cell (xml = a full <c> element with the right r) or removes it (null). */
  set(num: number, col: number, xml: string | null): void {
    if (num > MAX_ROW || col > MAX_COL) throw new XlsxWriteError(`cell ${colName(col)}${num} is beyond the last row or column of a worksheet`);
    let row = this.patches.get(num);
    if (!row) {
      row = new Map();
      this.patches.set(num, row);
    }
    row.set(col, xml);
    // A self-closing <c/> holds no value: it does not widen the dimension.
    if (xml !== null && !xml.endsWith('/>')) {
      const b = this.bounds;
      if (!b) this.bounds = { c0: col, c1: col, r0: num, r1: num };
      else {
        if (col < b.c0) b.c0 = col;
        if (col > b.c1) b.c1 = col;
        if (num < b.r0) b.r0 = num;
        if (num > b.r1) b.r1 = num;
      }
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

  /** The worksheet XML with all edits applied. */
  serialize(): string {
    const { xml } = this.sheet;
    const sd = this.sheet.sheetData!;
    const rowQ = q(this.prefix, 'row');
    const out: string[] = [];
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
    out.push(head);

    const patched = [...this.patches.keys()].sort((a, b) => a - b);
    let pi = 0;
    let pos = sd.openEnd; // original text not yet copied
    const contentEnd = sd.selfClosing ? sd.openEnd : sd.contentEnd;
    for (const row of this.rows) {
      if (pi >= patched.length) break;
      if (patched[pi] > row.num) continue;
      out.push(xml.slice(pos, row.start));
      pos = row.start;
      while (pi < patched.length && patched[pi] < row.num) out.push(this.newRow(rowQ, patched[pi++]));
      if (pi < patched.length && patched[pi] === row.num) {
        out.push(this.rebuildRow(rowQ, row, this.patches.get(row.num)!));
        pos = row.end;
        pi++;
      }
    }
    out.push(xml.slice(pos, contentEnd));
    while (pi < patched.length) out.push(this.newRow(rowQ, patched[pi++]));
    out.push(tail);
    const result = out.join('');
    this.checkSharedFormulas(result);
    return result;
  }

  private newRow(rowQ: string, num: number): string {
    const patches = this.patches.get(num)!;
    let cells = '';
    for (const col of sortedKeys(patches)) {
      const x = patches.get(col)!;
      if (x !== null) cells += x;
    }
    return cells ? `<${rowQ} r="${num}">${cells}</${rowQ}>` : '';
  }

  private rebuildRow(rowQ: string, row: RowInfo, patches: Map<number, string | null>): string {
    const { xml } = this.sheet;
    let tag = xml.slice(row.start, row.openEnd);
    // spans is an optional hint that would go stale; r is made explicit so positions cannot shift.
    tag = setAttr(tag, 'spans', null);
    if (!row.hasR) tag = setAttr(tag, 'r', String(row.num));
    if (tag.endsWith('/>')) tag = tag.slice(0, -2).replace(/\s+$/, '') + '>';
    const parts: string[] = [tag];
    const cols = sortedKeys(patches);
    let ci = 0;
    let lastEnd = row.openEnd;
    scanCells(this.sheet, row, (c) => {
      lastEnd = c.end;
      while (ci < cols.length && cols[ci] < c.col) {
        const p = patches.get(cols[ci++])!;
        if (p !== null) parts.push(p);
      }
      if (ci < cols.length && cols[ci] === c.col) {
        const p = patches.get(cols[ci++])!;
        this.noteReplaced(c);
        if (p !== null) parts.push(p);
        return;
      }
      if (c.hasR) parts.push(xml.slice(c.start, c.end));
      else {
        const t = xml.slice(c.start, c.openEnd);
        parts.push(setAttr(t, 'r', colName(c.col) + row.num) + xml.slice(c.openEnd, c.end));
      }
    });
    while (ci < cols.length) {
      const p = patches.get(cols[ci++])!;
      if (p !== null) parts.push(p);
    }
    // Anything after the last cell (a row extLst) stays, after the cells as the schema wants.
    if (row.contentEnd > lastEnd) {
      const rest = xml.slice(lastEnd, row.contentEnd);
      if (rest.trim()) parts.push(rest.trim());
    }
    parts.push(`</${rowQ}>`);
    return parts.join('');
  }

  private noteReplaced(cell: CellInfo): void {
    const f = cellChild(this.sheet, cell, 'f');
    if (f < 0) return;
    this.formulasTouched = true;
    const fTag = this.sheet.xml.slice(f, this.sheet.xml.indexOf('>', f) + 1);
    const si = /\bsi\s*=\s*["'](\d+)["']/.exec(fTag);
    if (si && /\bt\s*=\s*["']shared["']/.test(fTag) && /\bref\s*=/.test(fTag)) this.removedSharedMasters.add(si[1]);
  }

  /** Overwriting the master cell of a shared formula would orphan the cells that share it. */
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

