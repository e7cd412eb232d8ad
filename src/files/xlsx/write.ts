/**
 * Applies the port's table writes to a copy of the package (PartStore.fork): plans every cell against
 * the sheet as it is, records the edits per sheet, and only at the end serializes the parts that changed.
 * Nothing is visible until finish() returns the new zip, so a failed write leaves the workbook as it was.
 */
import type { AppendWrite, CellValue, ColumnFormat, ColumnSpec, DeleteWrite, OutputTableNames, ReplaceWrite, TableRef, TableWrite, UpdateWrite, WriteProgress } from '../../workbook/port';
import { RangeRef, colName, formatCell, formatRange } from './cellRef';
import { CellContent, renderCell, renderCellRest, toContent } from './cellValues';
import { XlsxWriteError } from './errors';
import type { SheetInfo, TableInfo, WorkbookModel } from './model';
import { effectiveHeaderRows, headerText } from './read';
import { looseName } from '../../workbook/names';
import { sanitizeSheetName, sanitizeTableName, uniqueName } from './names';
import { CT_RELS, CT_STYLES, CT_TABLE, CT_WORKSHEET, PartStore, addOverride, addRelationship, dirOf, ensureDefault, removeOverride, removeRelationshipsTo } from './opc';
import { RowBlock, SheetEdit } from './sheetEdit';
import { DATE_FORMAT, MINIMAL_STYLES, Styles, moneyFormat } from './styles';
import { TIME_FORMAT } from '../../workbook/cellFormats';
import { addTableColumn, addUnboundQueryField, newTablePart, setTableRange } from './tablePart';
import { XML_DECLARATION, childElements, escapeAttr, escapeText, insertAt, insertChildInOrder, parseAttrs, q, rootElement, setAttr, startTag } from './xml';

/** The children of <workbook> in schema order (CT_Workbook). */
const WORKBOOK_ORDER = [
  'fileVersion', 'fileSharing', 'workbookPr', 'workbookProtection', 'bookViews', 'sheets', 'functionGroups', 'externalReferences',
  'definedNames', 'calcPr', 'oleSize', 'customWorkbookViews', 'pivotCaches', 'smartTagPr', 'smartTagTypes', 'webPublishing', 'fileRecoveryPr',
  'webPublishObjects', 'extLst',
] as const;

/** Whether a worksheet's XML holds a formula element (<f> with any prefix). */
function containsFormula(xml: string): boolean {
  if (xml.indexOf('<f>') >= 0 || xml.indexOf('<f ') >= 0) return true;
  // A prefixed SpreadsheetML namespace (x:f): rare, so a regular expression is fine.
  return xml.indexOf(':f') >= 0 && /<[A-Za-z_][\w.-]*:f[\s/>]/.test(xml);
}

const FORMATS: ColumnFormat[] = ['text', 'integer', 'money', 'date', 'time', 'boolean'];
const EMPTY: CellContent = { kind: 'empty' };
const NO_VALUES: CellValue[] = [];

export interface BookContext {
  file: string;
  store: PartStore;
  model: WorkbookModel;
  sst: () => readonly string[];
}

interface TableState extends TableInfo {
  xml: string;
  dirty: boolean;
}

/** Where a write goes: an Excel table or a plain sheet's block, in sheet coordinates. */
interface Target {
  label: string;
  sheet: SheetInfo;
  edit: SheetEdit;
  table?: TableState;
  headerRow: number | undefined;
  firstDataRow: number;
  /** firstDataRow - 1 when there are no data rows. */
  lastDataRow: number;
  c0: number;
  c1: number;
  header: string[];
}

export class WriteSession {
  private readonly store: PartStore;
  private readonly sheets: SheetInfo[];
  private readonly tables: TableState[];
  private readonly edits = new Map<string, SheetEdit>();
  private styles?: Styles;
  private readonly styleCache = new Map<number, number>();
  private readonly model: WorkbookModel;

  constructor(private readonly ctx: BookContext) {
    this.store = ctx.store.fork();
    this.model = ctx.model;
    this.sheets = [...ctx.model.sheets];
    this.tables = ctx.model.tables.map((t) => ({ ...t, ref: { ...t.ref }, columns: [...t.columns], xml: ctx.store.text(t.path) ?? '', dirty: false }));
  }

  applyAll(writes: TableWrite[], progress?: WriteProgress): void {
    writes.forEach((w, i) => {
      this.apply(w);
      progress?.(i + 1, writes.length, w.kind === 'update' || w.kind === 'delete' ? w.table.name : w.names.name);
    });
  }

  apply(w: TableWrite): void {
    switch (w.kind) {
      case 'update':
        return this.update(w);
      case 'delete':
        return this.deleteRows(w);
      case 'append':
      case 'replace':
        return this.appendOrReplace(w);
    }
  }

  /** The new package, or undefined when nothing changed. */
  finish(): Uint8Array | undefined {
    let calcChainStale = false;
    for (const [path, edit] of this.changedSheets()) {
      // Serialized and compressed piece by piece: a big sheet is never one string or one byte array.
      this.store.writePart(path, edit.chunks());
      if (edit.formulasTouched) calcChainStale = true;
    }
    return this.complete(calcChainStale);
  }

  /** finish(), with the sheets compressed off the main thread (when the codec can) while they are serialized. */
  async finishAsync(): Promise<Uint8Array | undefined> {
    let calcChainStale = false;
    for (const [path, edit] of this.changedSheets()) {
      await this.store.writePartAsync(path, edit.chunks());
      if (edit.formulasTouched) calcChainStale = true;
    }
    return this.complete(calcChainStale);
  }

  /** The edited sheets, each let go once taken (its edits are not kept while the next one is written). */
  private *changedSheets(): Generator<[string, SheetEdit]> {
    for (const path of [...this.edits.keys()]) {
      const edit = this.edits.get(path)!;
      this.edits.delete(path);
      if (edit.changed) yield [path, edit];
    }
  }

  private complete(calcChainStale: boolean): Uint8Array | undefined {
    for (const t of this.tables) if (t.dirty) this.store.setText(t.path, t.xml);
    const styles = this.styles?.result();
    if (styles !== undefined) {
      if (this.model.stylesPath) this.store.setText(this.model.stylesPath, styles);
      else {
        const path = `${dirOf(this.model.workbookPath) || 'xl'}/styles.xml`;
        this.store.setText(path, styles);
        addRelationship(this.store, this.model.workbookPath, `${this.model.relTypeBase}styles`, path);
        addOverride(this.store, path, CT_STYLES);
      }
    }
    // A formula was moved or overwritten: Excel rebuilds a missing calc chain, but repairs a stale one.
    if (calcChainStale && this.model.calcChainPath) {
      const p = this.model.calcChainPath;
      this.store.remove(p);
      removeRelationshipsTo(this.store, this.model.workbookPath, p);
      removeOverride(this.store, p);
    }
    if (this.store.changed && this.hasFormulas()) this.setFullCalcOnLoad();
    return this.store.changed ? this.store.toBytes() : undefined;
  }

  /**
   * Whether the workbook has formulas (a calc chain lists them; openpyxl and exceljs write formulas
   * without one, so the sheets are looked at too): their saved values may be stale after the write.
   */
  private hasFormulas(): boolean {
    if (this.model.calcChainPath) return true;
    for (const s of this.model.sheets) {
      const xml = this.ctx.store.text(s.path);
      if (xml !== undefined && containsFormula(xml)) return true;
    }
    return false;
  }

  /** calcPr fullCalcOnLoad="1": Excel recalculates every formula when it opens the workbook. */
  private setFullCalcOnLoad(): void {
    const path = this.model.workbookPath;
    const xml = this.store.text(path);
    if (xml === undefined) return;
    const root = rootElement(xml);
    const calcPr = childElements(xml, root).find((e) => e.local === 'calcPr');
    if (calcPr) {
      const tag = startTag(xml, calcPr);
      const next = setAttr(tag, 'fullCalcOnLoad', '1');
      if (next !== tag) this.store.setText(path, xml.slice(0, calcPr.start) + next + xml.slice(calcPr.openEnd));
      return;
    }
    this.store.setText(path, insertChildInOrder(xml, root, 'calcPr', `<${q(root.prefix, 'calcPr')} fullCalcOnLoad="1"/>`, WORKBOOK_ORDER));
  }

  // ---- the three kinds of write ----

  private update(w: UpdateWrite): void {
    const t = this.resolve(w.table);
    if (!t) throw new XlsxWriteError(`cannot update ${w.table.name}: it is empty or missing`);
    const cols = this.mapColumns(t, w.columns);
    const count = t.lastDataRow - t.firstDataRow + 1;
    const { edit } = t;
    const writers = w.columns.map((spec, k) => this.columnWriter(edit, spec, cols[k]));
    for (const u of w.updates) {
      if (!Number.isInteger(u.row) || u.row < 0 || u.row >= count) throw new XlsxWriteError(`cannot update row index ${u.row} of ${t.label}: it has ${count} data rows`);
      const r = t.firstDataRow + u.row;
      edit.updateRow(r, cols, (styles) =>
        writers.map((wr, k) => {
          const rest = wr.render(u.values[k] ?? null, styles[k]);
          edit.checkCell(r, wr.col);
          return rest === null ? null : wr.open + r + rest;
        }),
      );
    }
  }

  /**
   * Removes data rows: the rows below move up over them (cells keep content and style, in the target's
   * columns), the rows freed at the end are cleared, and an Excel table (with its totals row) shrinks,
   * keeping one data row as Excel needs.
   */
  private deleteRows(w: DeleteWrite): void {
    const t = this.resolve(w.table);
    if (!t) throw new XlsxWriteError(`cannot remove rows of ${w.table.name}: it is empty or missing`);
    const count = t.lastDataRow - t.firstDataRow + 1;
    const drop = new Set(w.rows);
    for (const r of drop) if (!Number.isInteger(r) || r < 0 || r >= count) throw new XlsxWriteError(`cannot remove row index ${r} of ${t.label}: it has ${count} data rows`);
    if (drop.size === 0) return;
    const { edit } = t;
    let to = t.firstDataRow;
    for (let i = 0; i < count; i++) {
      if (drop.has(i)) continue;
      const from = t.firstDataRow + i;
      if (from !== to) {
        for (const col of edit.colsIn(to, t.c0, t.c1)) edit.set(to, col, null);
        edit.moveCells(from, to, t.c0, t.c1);
      }
      to++;
    }
    const newLast = to - 1;
    for (let r = newLast + 1; r <= t.lastDataRow; r++) for (const col of edit.colsIn(r, t.c0, t.c1)) edit.set(r, col, null);
    if (t.table) {
      const totals = t.table.totalsRowCount;
      const oldEnd = t.table.ref.r1;
      const newEnd = Math.max(newLast, t.firstDataRow) + totals;
      for (let k = 0; k < totals; k++) edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      this.setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    }
    t.lastDataRow = newLast;
  }

  private appendOrReplace(w: AppendWrite | ReplaceWrite): void {
    let t: Target | undefined;
    if (w.existing) {
      t = this.resolve(w.existing);
      if (!t && w.existing.kind === 'sheet') {
        // An empty sheet: create the table in it.
        this.createTable({ ...w.names, sheetName: w.existing.name }, w.columns, w.rows);
        return;
      }
      if (!t) throw new XlsxWriteError(`${w.existing.name} was not found in the workbook`);
    } else {
      t = this.findByNames(w.names);
      if (!t) {
        this.createTable(w.names, w.columns, w.rows);
        return;
      }
    }
    const cols = this.mapColumns(t, w.columns);
    if (w.kind === 'append') this.appendRows(t, w.columns, cols, w.rows);
    else this.replaceRows(t, w.columns, cols, w.rows);
  }

  private appendRows(t: Target, specs: ColumnSpec[], cols: number[], rows: CellValue[][]): void {
    if (rows.length === 0) return;
    const { edit } = t;
    const hasData = t.lastDataRow >= t.firstDataRow;
    // A table whose data rows are all blank (Excel's placeholder row) is filled from its first row.
    const start = t.table && hasData && !edit.firstNonBlank(t.firstDataRow, t.lastDataRow, t.c0, t.c1) ? t.firstDataRow : t.lastDataRow + 1;
    const end = start + rows.length - 1;
    const base = this.rowStyles(t, hasData ? t.lastDataRow : undefined);

    if (t.table) {
      const totals = t.table.totalsRowCount;
      const oldEnd = t.table.ref.r1;
      const newEnd = Math.max(end, t.lastDataRow) + totals;
      if (newEnd > oldEnd) this.checkFree(t, oldEnd + 1, newEnd, t.c0, t.c1, 'grow');
      if (totals > 0 && newEnd !== oldEnd) for (let k = 0; k < totals; k++) edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      this.setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    } else {
      this.checkOtherTables(t, start, end, t.c0, Math.max(t.c1, ...cols));
    }
    this.writeRows(t.edit, specs, cols, rows, start, base, t.table ? this.fillColumns(t, cols) : [], true);
    t.lastDataRow = Math.max(t.lastDataRow, end);
  }

  private replaceRows(t: Target, specs: ColumnSpec[], cols: number[], rows: CellValue[][]): void {
    const { edit } = t;
    const oldFirst = t.firstDataRow;
    const oldLast = t.lastDataRow;
    const hasData = oldLast >= oldFirst;
    const base = this.rowStyles(t, hasData ? oldFirst : undefined);
    // Excel needs a table to keep at least one data row.
    const count = t.table ? Math.max(1, rows.length) : rows.length;
    const newLast = oldFirst + count - 1;
    const c1 = Math.max(t.c1, ...cols);

    const totals = t.table?.totalsRowCount ?? 0;
    const oldEnd = t.table ? t.table.ref.r1 : oldLast;
    const newEnd = newLast + totals;
    if (t.table && newEnd > oldEnd) this.checkFree(t, oldEnd + 1, newEnd, t.c0, t.c1, 'grow');
    if (!t.table && count > 0) this.checkOtherTables(t, oldFirst, newLast, t.c0, c1);
    // Rows no longer covered lose their cells (in the table's columns); then the totals row moves up or down.
    for (let r = newLast + 1; r <= oldLast; r++) for (const col of edit.colsIn(r, t.c0, c1)) edit.set(r, col, null);
    if (t.table) {
      if (totals > 0 && newEnd !== oldEnd) {
        for (let k = 0; k < totals; k++) edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      }
      this.setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    }
    const padded = rows.length ? rows : count ? [[]] : [];
    this.writeRows(t.edit, specs, cols, padded, oldFirst, base, this.fillColumns(t, cols), true);
    t.lastDataRow = newLast;
  }

  /** The target's columns (up to the last written one) that no spec writes: they get an empty styled cell. */
  private fillColumns(t: Target, cols: number[]): number[] {
    const written = new Set(cols);
    const c1 = Math.max(t.c1, ...cols);
    const out: number[] = [];
    for (let col = t.c0; col <= c1; col++) if (!written.has(col)) out.push(col);
    return out;
  }

  /**
   * Writes data rows from `start`. Written columns get their values; the `fill` columns get an empty
   * cell with the column's style (clearing what was there). Each cell's value is checked and its style
   * settled here, in cell order (so errors and added styles come as if every cell were written now);
   * rows that had nothing become row blocks, rendered only when the sheet is serialized (so `rows` must
   * not change before then), and rows that had cells are patched cell by cell. With `skipHoles`, a hole
   * in a sparse `rows` writes nothing (else it is a row of nulls).
   */
  private writeRows(edit: SheetEdit, specs: ColumnSpec[], cols: number[], rows: CellValue[][], start: number, base: Map<number, number>, fill: number[], skipHoles = false): void {
    const writers = specs.map((spec, k) => this.columnWriter(edit, spec, cols[k]));
    const bases = cols.map((col) => base.get(col));
    const fillRest = fill.map((col) => renderCellRest(edit.prefix, base.get(col) ?? 0, EMPTY));
    let runStart = -1;
    let bounds: RangeRef | null = null;
    const endRun = (last: number) => {
      if (runStart >= 0) edit.addBlock(this.rowBlock(edit, specs, cols, rows, start, base, fill, runStart, last, skipHoles), bounds);
      runStart = -1;
      bounds = null;
    };
    for (let i = 0; i < rows.length; i++) {
      const r = start + i;
      const values = rows[i] ?? NO_VALUES;
      const fresh = edit.isFresh(r);
      if (!fresh) endRun(r - 1);
      else if (runStart < 0) runStart = r;
      if (skipHoles && !(i in rows)) continue;
      for (let k = 0; k < writers.length; k++) {
        const w = writers[k];
        const value = values[k] ?? null;
        if (!fresh) {
          const rest = w.render(value, bases[k]);
          edit.checkCell(r, w.col);
          edit.set(r, w.col, rest === null ? null : w.open + r + rest);
          continue;
        }
        const filled = w.check(value, bases[k]);
        edit.checkCell(r, w.col);
        if (!filled) continue;
        const b: RangeRef | null = bounds;
        if (!b) bounds = { c0: w.col, c1: w.col, r0: r, r1: r };
        else {
          if (w.col < b.c0) b.c0 = w.col;
          if (w.col > b.c1) b.c1 = w.col;
          b.r1 = r;
        }
      }
      fill.forEach((col, j) => {
        edit.checkCell(r, col);
        if (!fresh) edit.set(r, col, fillRest[j] === null ? null : `<${q(edit.prefix, 'c')} r="${colName(col)}${r}${fillRest[j]}`);
      });
    }
    endRun(start + rows.length - 1);
  }

  /**
   * Rows r0..r1 of a writeRows call as a row block: the same cells, rendered when asked for. Every value
   * was checked and every style settled by writeRows, so rendering finds them in the style cache.
   */
  private rowBlock(edit: SheetEdit, specs: ColumnSpec[], cols: number[], rows: CellValue[][], start: number, base: Map<number, number>, fill: number[], r0: number, r1: number, skipHoles: boolean): RowBlock {
    // Each column once, in column order: its value (the last spec for a column written twice), or a fill.
    const byCol = new Map<number, number>();
    cols.forEach((col, k) => byCol.set(col, k));
    for (const col of fill) if (!byCol.has(col)) byCol.set(col, -1);
    const cQ = q(edit.prefix, 'c');
    const plan = [...byCol]
      .sort((a, b) => a[0] - b[0])
      .map(([col, k]) => ({
        k,
        open: `<${cQ} r="${colName(col)}`,
        writer: k >= 0 ? this.columnWriter(edit, specs[k], col) : undefined,
        base: base.get(col),
        rest: k >= 0 ? null : renderCellRest(edit.prefix, base.get(col) ?? 0, EMPTY),
      }));
    return {
      r0,
      r1,
      cells: (num) => {
        if (skipHoles && !(num - start in rows)) return '';
        const values = rows[num - start] ?? NO_VALUES;
        const n = String(num);
        let out = '';
        for (const e of plan) {
          const rest = e.writer ? e.writer.render(values[e.k] ?? null, e.base) : e.rest;
          if (rest !== null) out += e.open + n + rest;
        }
        return out;
      },
    };
  }

  private columnWriter(edit: SheetEdit, spec: ColumnSpec, col: number): ColumnWriter {
    return new ColumnWriter(edit.prefix, col, spec, (content, base) => this.styleFor(spec.format, content, base), this.model.date1904);
  }

  // ---- cells and styles ----

  /**
   * The style of a written cell: the existing/copied style `base` when there is one (switched to a date
   * format when a date would land in a non-date style, and back for numbers in a date style), else a
   * style for the format: accounting for money, yyyy-mm-dd for dates, the default otherwise.
   */
  private styleFor(format: ColumnFormat, content: CellContent, base: number | undefined): number {
    // Called for every written cell: memoized on (format, content kind, decimals, base).
    const decimalsKey = content.kind === 'number' && content.decimals !== undefined ? Math.min(content.decimals, 30) : 31;
    const key = (((base ?? -1) + 1) * 32 + decimalsKey) * 64 + FORMATS.indexOf(format) * 4 + (content.kind === 'number' ? 1 : content.kind === 'text' ? 2 : 0);
    let s = this.styleCache.get(key);
    if (s === undefined) {
      s = this.computeStyle(format, content, base);
      this.styleCache.set(key, s);
    }
    return s;
  }

  private computeStyle(format: ColumnFormat, content: CellContent, base: number | undefined): number {
    const st = this.stylesheet();
    const decimals = content.kind === 'number' && content.decimals !== undefined ? content.decimals : 2;
    if (base !== undefined) {
      if (content.kind !== 'number') return base;
      const isDate = st.isDateStyle(base);
      if (format === 'date') return isDate ? base : st.styleFor(DATE_FORMAT, base);
      if (format === 'time') return isDate ? base : st.styleFor(TIME_FORMAT, base);
      if (isDate) return st.styleFor(format === 'money' ? moneyFormat(decimals) : 'General', base);
      return base;
    }
    if (format === 'money') return st.styleFor(moneyFormat(decimals));
    if (format === 'date') return st.styleFor(DATE_FORMAT);
    if (format === 'time' && content.kind === 'number') return st.styleFor(TIME_FORMAT);
    return 0;
  }

  private stylesheet(): Styles {
    if (!this.styles) {
      const xml = this.model.stylesPath ? this.store.text(this.model.stylesPath) : undefined;
      this.styles = new Styles(xml ?? MINIMAL_STYLES);
    }
    return this.styles;
  }

  /** Style per column of a template row (the last or first data row), for the cells that exist there. */
  private rowStyles(t: Target, row: number | undefined): Map<number, number> {
    const out = new Map<number, number>();
    if (row === undefined) return out;
    for (const [col, st] of t.edit.rowState(row)) if (col >= t.c0) out.set(col, st.s);
    return out;
  }

  // ---- finding and shaping targets ----

  private edit(sheet: SheetInfo): SheetEdit {
    let e = this.edits.get(sheet.path);
    if (!e) {
      const xml = this.store.text(sheet.path);
      if (xml === undefined) throw new XlsxWriteError(`worksheet ${sheet.name} (${sheet.path}) is missing`);
      e = new SheetEdit(xml, this.ctx.sst);
      this.edits.set(sheet.path, e);
    }
    return e;
  }

  private resolve(ref: TableRef): Target | undefined {
    if (ref.kind === 'table') {
      const t = this.findTable(ref.name);
      if (!t) throw new XlsxWriteError(`table ${ref.name} was not found in the workbook`);
      return this.tableTarget(t);
    }
    if (ref.kind === 'sheet') {
      const s = this.findSheet(ref.name);
      if (!s) throw new XlsxWriteError(`sheet ${ref.name} was not found in the workbook`);
      return this.sheetTarget(s);
    }
    throw new XlsxWriteError(`${ref.name} is a ${ref.kind} table, not part of an .xlsx workbook`);
  }

  private findByNames(names: OutputTableNames): Target | undefined {
    const t = this.findTable(names.excelTableName);
    if (t) return this.tableTarget(t);
    const s = this.findSheet(names.sheetName);
    return s ? this.sheetTarget(s) : undefined;
  }

  private findTable(name: string): TableState | undefined {
    const lower = name.toLowerCase();
    return (
      this.tables.find((t) => t.displayName.toLowerCase() === lower || t.name.toLowerCase() === lower) ??
      this.tables.find((t) => looseName(t.displayName) === looseName(name))
    );
  }

  private findSheet(name: string): SheetInfo | undefined {
    const lower = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower);
  }

  private tableTarget(t: TableState): Target {
    const edit = this.edit(t.sheet);
    const first = edit.rowState(t.ref.r0);
    const headerRows = effectiveHeaderRows(t, Array.from({ length: t.ref.c1 - t.ref.c0 + 1 }, (_, i) => first.get(t.ref.c0 + i)?.value));
    const hasHeader = headerRows > 0;
    const header: string[] = [];
    const cells = hasHeader ? first : new Map();
    for (let c = t.ref.c0; c <= t.ref.c1; c++) {
      const v = cells.get(c)?.value;
      header.push(v === null || v === undefined || v === '' ? t.columns[c - t.ref.c0]?.name ?? '' : headerText(v));
    }
    return {
      label: `table ${t.displayName}`,
      sheet: t.sheet,
      edit,
      table: t,
      headerRow: hasHeader ? t.ref.r0 : undefined,
      firstDataRow: t.ref.r0 + headerRows,
      lastDataRow: t.ref.r1 - t.totalsRowCount,
      c0: t.ref.c0,
      c1: t.ref.c1,
      header,
    };
  }

  /** A plain sheet's block (workbook.md: first non-empty row is the header), or undefined when it is empty. */
  private sheetTarget(sheet: SheetInfo): Target | undefined {
    const edit = this.edit(sheet);
    const block = edit.blockExtent();
    if (!block) return undefined;
    const cells = edit.rowState(block.headerRow);
    const header: string[] = [];
    for (let c = block.c0; c <= block.c1; c++) {
      const v = cells.get(c);
      header.push(v && !v.blank ? headerText(v.value) : '');
    }
    return { label: `sheet ${sheet.name}`, sheet, edit, headerRow: block.headerRow, firstDataRow: block.headerRow + 1, lastDataRow: block.last, c0: block.c0, c1: block.c1, header };
  }

  /** Column positions for the specs, adding the missing ones after the last column. */
  private mapColumns(t: Target, specs: ColumnSpec[]): number[] {
    return specs.map((spec) => {
      const key = looseName(spec.name);
      const i = key ? t.header.findIndex((h) => looseName(h) === key) : -1;
      return i >= 0 ? t.c0 + i : this.addColumn(t, spec.name);
    });
  }

  private addColumn(t: Target, name: string): number {
    const col = t.c1 + 1;
    const top = t.headerRow ?? t.firstDataRow;
    const bottom = t.table ? t.table.ref.r1 : Math.max(t.lastDataRow, top);
    this.checkFree(t, top, bottom, col, col, `add column "${name}"`);
    if (t.headerRow !== undefined) {
      const s = t.edit.cellState(t.headerRow, t.c1)?.s ?? 0;
      const xml = renderCell(t.edit.prefix, formatCell(col, t.headerRow), s, { kind: 'text', text: name });
      t.edit.set(t.headerRow, col, xml);
    }
    if (t.table) {
      const tbl = t.table;
      const qtPath = tbl.tableType === 'queryTable' ? tbl.queryTablePath : undefined;
      const qtXml = qtPath ? this.store.text(qtPath) : undefined;
      let added: { xml: string; id: number };
      if (qtPath && qtXml) {
        // The field id is needed on the column and the column id on the field: take the next column id first.
        const nextColumnId = addTableColumn(tbl.xml, name).id;
        const qt = addUnboundQueryField(qtXml, nextColumnId);
        this.store.setText(qtPath, qt.xml);
        added = addTableColumn(tbl.xml, name, ` queryTableFieldId="${qt.fieldId}"`);
      } else {
        added = addTableColumn(tbl.xml, name);
      }
      tbl.xml = added.xml;
      tbl.columns.push({ id: added.id, name });
      this.setTableRef(tbl, { ...tbl.ref, c1: col });
    }
    t.c1 = col;
    t.header.push(name);
    return col;
  }

  private setTableRef(t: TableState, ref: RangeRef): void {
    t.ref = ref;
    t.xml = setTableRange(t.xml, t, ref);
    t.dirty = true;
  }

  /** A table may only grow over empty cells, and never into another table (Excel would refuse both). */
  private checkFree(t: Target, r0: number, r1: number, c0: number, c1: number, what: string): void {
    const hit = t.edit.firstNonBlank(r0, r1, c0, c1);
    if (hit) {
      throw new XlsxWriteError(`cannot ${what} in ${t.label}: cell ${formatCell(hit.col, hit.row)} of sheet ${t.sheet.name} is in the way (not empty); move it and run again`);
    }
    this.checkOtherTables(t, r0, r1, c0, c1);
  }

  private checkOtherTables(t: Target, r0: number, r1: number, c0: number, c1: number): void {
    for (const other of this.tables) {
      if (other === t.table || other.sheet.path !== t.sheet.path) continue;
      const o = other.ref;
      if (o.r0 <= r1 && o.r1 >= r0 && o.c0 <= c1 && o.c1 >= c0) {
        throw new XlsxWriteError(`cannot write ${t.label}: rows ${r0}-${r1} would overlap table ${other.displayName} (${formatRange(o)})`);
      }
    }
  }

  // ---- creating a table ----

  private createTable(names: OutputTableNames, specs: ColumnSpec[], rows: CellValue[][]): void {
    if (!specs.length) throw new XlsxWriteError(`cannot create ${names.name} without columns`);
    // An existing (empty) sheet of that name takes the table; else a new sheet is added.
    const sheet = this.findSheet(names.sheetName) ?? this.addSheet(names.sheetName, specs, rows);
    const edit = this.edit(sheet);
    const p = edit.prefix;

    // Header cells must equal the table's column names; duplicate names are not allowed.
    const colNames: string[] = [];
    for (const spec of specs) colNames.push(uniqueName(spec.name.trim() || 'Column', colNames));
    colNames.forEach((n, c) => edit.set(1, c, renderCell(p, formatCell(c, 1), 0, { kind: 'text', text: n })));
    const count = Math.max(1, rows.length);
    // Placeholder cells (no rows) still get the column's format, so later appends copy it.
    this.writeRows(edit, specs, specs.map((_s, c) => c), rows.length ? rows : [[]], 2, new Map(), []);
    const ref: RangeRef = { c0: 0, r0: 1, c1: specs.length - 1, r1: count + 1 };

    const name = uniqueName(sanitizeTableName(names.excelTableName), [...this.tables.flatMap((t) => [t.name, t.displayName]), ...this.model.definedNames]);
    const id = this.tables.reduce((m, t) => Math.max(m, t.id), 0) + 1;
    const dir = `${dirOf(this.model.workbookPath) || 'xl'}/tables`;
    let n = this.tables.length + 1;
    while (this.store.has(`${dir}/table${n}.xml`)) n++;
    const path = `${dir}/table${n}.xml`;
    const xml = newTablePart(this.model.mainNs, id, name, ref, colNames);
    this.store.setText(path, xml);
    addOverride(this.store, path, CT_TABLE);
    ensureDefault(this.store, 'rels', CT_RELS);
    const rId = addRelationship(this.store, sheet.path, `${this.model.relTypeBase}table`, path);
    edit.addTablePart(rId);
    this.tables.push({ id, tableType: 'worksheet', name, displayName: name, ref, headerRowCount: 1, totalsRowCount: 0, columns: colNames.map((c, i) => ({ id: i + 1, name: c })), path, sheet, xml, dirty: false });
  }

  /** Adds an empty worksheet (frozen header row, column widths for the data) to the workbook. */
  private addSheet(wanted: string, specs: ColumnSpec[], rows: CellValue[][]): SheetInfo {
    const name = uniqueName(sanitizeSheetName(wanted), this.model.allSheetNames.concat(this.sheets.map((s) => s.name)), 31);
    const dir = dirOf(this.sheets[0]?.path ?? '') || `${dirOf(this.model.workbookPath) || 'xl'}/worksheets`;
    let n = this.sheets.length + 1;
    while (this.store.has(`${dir}/sheet${n}.xml`)) n++;
    const path = `${dir}/sheet${n}.xml`;
    const relNs = this.model.relTypeBase.replace(/\/$/, '');
    this.store.setText(path, newWorksheet(this.model.mainNs, relNs, columnWidths(specs, rows)));
    addOverride(this.store, path, CT_WORKSHEET);
    const rId = addRelationship(this.store, this.model.workbookPath, `${this.model.relTypeBase}worksheet`, path);

    // Register it in workbook.xml: <sheet name sheetId r:id/> at the end of <sheets>.
    let wb = this.store.text(this.model.workbookPath)!;
    let root = rootElement(wb);
    let rootTag = startTag(wb, root);
    let rPrefix = Object.entries(parseAttrs(rootTag)).find(([k, v]) => k.startsWith('xmlns:') && v === relNs)?.[0].slice(6);
    if (!rPrefix) {
      rPrefix = 'r';
      for (let i = 1; `xmlns:${rPrefix}` in parseAttrs(rootTag); i++) rPrefix = `r${i}`;
      wb = wb.slice(0, root.start) + setAttr(rootTag, `xmlns:${rPrefix}`, relNs) + wb.slice(root.openEnd);
      root = rootElement(wb);
      rootTag = startTag(wb, root);
    }
    const sheetsEl = childElements(wb, root).find((e) => e.local === 'sheets');
    if (!sheetsEl) throw new XlsxWriteError('workbook.xml has no <sheets>');
    let maxId = 0;
    const sheetIndex = childElements(wb, sheetsEl).length;
    for (const s of childElements(wb, sheetsEl)) maxId = Math.max(maxId, parseInt(parseAttrs(startTag(wb, s)).sheetId ?? '0', 10));
    const entry = `<${q(sheetsEl.prefix, 'sheet')} name="${escapeAttr(name)}" sheetId="${maxId + 1}" ${rPrefix}:id="${rId}"/>`;
    if (sheetsEl.selfClosing) {
      wb = wb.slice(0, sheetsEl.start) + startTag(wb, sheetsEl).replace(/\s*\/>$/, '>') + entry + `</${sheetsEl.qname}>` + wb.slice(sheetsEl.end);
    } else {
      wb = insertAt(wb, sheetsEl.contentEnd, entry);
    }
    this.store.setText(this.model.workbookPath, withPrintTitles(wb, name, sheetIndex));
    const info: SheetInfo = { name, sheetId: maxId + 1, rId, path };
    this.sheets.push(info);
    return info;
  }
}

/**
 * The cells of one written column: each value checked (toContent) and its style settled (styleFor), and
 * rendered; the last value's result is kept, as a column often repeats its value from one row to the next.
 */
class ColumnWriter {
  /** `<c r="` and the column letters: the row number and render()'s text complete the cell. */
  readonly open: string;
  private checked = false;
  private checkedValue: CellValue = null;
  private checkedBase: number | undefined;
  private filled = false;
  private rendered = false;
  private renderedValue: CellValue = null;
  private renderedBase: number | undefined;
  private rest: string | null = null;

  constructor(
    private readonly prefix: string,
    readonly col: number,
    private readonly spec: ColumnSpec,
    private readonly style: (content: CellContent, base: number | undefined) => number,
    private readonly date1904: boolean,
  ) {
    this.open = `<${q(prefix, 'c')} r="${colName(col)}`;
  }

  /**
   * Checks `value` and settles its style (`base`: the style of the cell it replaces or copies, see
   * styleFor), as rendering it would; returns whether the cell has content (it widens the dimension).
   */
  check(value: CellValue, base: number | undefined): boolean {
    if (this.checked && value === this.checkedValue && base === this.checkedBase) return this.filled;
    const content = toContent(this.spec.format, value, this.spec.name, this.date1904);
    this.style(content, base);
    this.filled = content.kind !== 'empty';
    this.checked = true;
    this.checkedValue = value;
    this.checkedBase = base;
    return this.filled;
  }

  /** The cell's text after its reference (renderCellRest), or null when there is no cell. */
  render(value: CellValue, base: number | undefined): string | null {
    if (this.rendered && value === this.renderedValue && base === this.renderedBase) return this.rest;
    const content = toContent(this.spec.format, value, this.spec.name, this.date1904);
    this.rest = renderCellRest(this.prefix, this.style(content, base), content);
    this.rendered = true;
    this.renderedValue = value;
    this.renderedBase = base;
    return this.rest;
  }
}

/** A new sheet's header row repeats on every printed page (the _xlnm.Print_Titles name of that sheet). */
function withPrintTitles(wb: string, sheetName: string, localSheetId: number): string {
  const root = rootElement(wb);
  const dn = q(root.prefix, 'definedName');
  const entry = `<${dn} name="_xlnm.Print_Titles" localSheetId="${localSheetId}">${escapeText(`'${sheetName.replace(/'/g, "''")}'!$1:$1`)}</${dn}>`;
  const names = childElements(wb, root).find((e) => e.local === 'definedNames');
  if (names === undefined) return insertChildInOrder(wb, root, 'definedNames', `<${q(root.prefix, 'definedNames')}>${entry}</${q(root.prefix, 'definedNames')}>`, WORKBOOK_ORDER);
  if (names.selfClosing) return wb.slice(0, names.start) + `<${names.qname}>${entry}</${names.qname}>` + wb.slice(names.end);
  return insertAt(wb, names.contentEnd, entry);
}

/** A new worksheet: frozen header row, column widths, empty sheetData (cells come as edits), printed landscape and fit to the page's width. */
function newWorksheet(mainNs: string, relNs: string, widths: number[]): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return (
    XML_DECLARATION +
    `<worksheet xmlns="${mainNs}" xmlns:r="${relNs}">` +
    `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>` +
    `<dimension ref="A1"/>` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>` +
    (cols ? `<cols>${cols}</cols>` : '') +
    `<sheetData/>` +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    `<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>` +
    `</worksheet>`
  );
}

/** Column widths (in characters) fitting the header (plus the filter button) and the first rows' values. */
export function columnWidths(specs: ColumnSpec[], rows: CellValue[][]): number[] {
  return specs.map((spec, c) => {
    let len = Math.max(spec.name.length + 3, spec.width ?? 0);
    const minLen = spec.format === 'date' ? 10 : spec.format === 'money' ? 12 : 6;
    len = Math.max(len, minLen);
    for (let i = 0; i < Math.min(rows.length, 200); i++) {
      const v = rows[i]?.[c];
      if (v === null || v === undefined) continue;
      const text = typeof v === 'boolean' ? 'Yes' : String(v);
      len = Math.max(len, text.length + (spec.format === 'money' ? Math.floor(text.length / 3) + 2 : 0));
    }
    return Math.round(Math.min(60, len + 1.7) * 100) / 100;
  });
}

