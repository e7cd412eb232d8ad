/**
 * Applies the port's table writes to a copy of the package (PartStore.fork): plans every cell against
 * the sheet as it is, records the edits per sheet, and only at the end serializes the parts that changed.
 * Nothing is visible until finish() returns the new zip, so a failed write leaves the workbook as it was.
 */
import type {
  AppendWrite,
  CellValue,
  ColumnSpec,
  DeleteWrite,
  OutputTableNames,
  ReplaceWrite,
  TableRef,
  TableWrite,
  UpdateWrite,
  WriteProgress,
} from "../../workbook/port";
import { RangeRef, formatCell } from "./cellRef";
import { renderCell } from "./cellValues";
import { CellStyles, rowStyles } from "./cellStyles";
import { XlsxWriteError } from "./errors";
import type { SheetInfo, WorkbookModel } from "./model";
import { sanitizeSheetName, sanitizeTableName, uniqueName } from "./names";
import { columnWidths, newWorksheet } from "./newWorksheet";
import {
  CT_RELS,
  CT_SHARED_STRINGS,
  CT_STYLES,
  CT_TABLE,
  CT_WORKSHEET,
  PartStore,
  addOverride,
  addRelationship,
  dirOf,
  ensureDefault,
  removeOverride,
  parseRels,
  relKind,
  relsPathFor,
  removeRelationshipsTo,
  resolveTarget,
} from "./opc";
import { SharedStringsOut, sharedStringsPart } from "./sharedStrings";
import { SheetEdit } from "./sheetEdit";
import { newTablePart } from "./tablePart";
import {
  TableState,
  Target,
  checkFree,
  checkOtherTables,
  fillColumns,
  findSheet,
  findTable,
  mapColumns,
  setTableRef,
  sheetTarget,
  tableTarget,
} from "./targets";
import { addSheetEntry, setFullCalcOnLoad, withPrintTitles } from "./workbookXml";
import { ColumnWriter, ColumnWriterOf, writeRows } from "./writeRows";

/** Whether a worksheet's XML holds a formula element (<f> with any prefix). */
function containsFormula(xml: string): boolean {
  // "<f" and then the end of the name, in one pass (a big sheet without formulas is read once here).
  for (let i = xml.indexOf("<f"); i >= 0; i = xml.indexOf("<f", i + 2)) {
    const ch = xml.charCodeAt(i + 2);
    if (ch === 62 || ch === 32 || ch === 47 || ch === 9 || ch === 10 || ch === 13) return true;
  }
  // A prefixed SpreadsheetML namespace (x:f): rare, so a regular expression is fine.
  return xml.indexOf(":f") >= 0 && /<[A-Za-z_][\w.-]*:f[\s/>]/.test(xml);
}

export interface BookContext {
  file: string;
  store: PartStore;
  model: WorkbookModel;
  sst: () => readonly string[];
  /** Indices of the shared strings that are not one plain text (parseSharedStrings' `rich`). */
  richStrings: () => ReadonlySet<number>;
}

export class WriteSession {
  private readonly store: PartStore;
  private readonly sheets: SheetInfo[];
  private readonly tables: TableState[];
  private readonly edits = new Map<string, SheetEdit>();
  private readonly styles: CellStyles;
  private readonly model: WorkbookModel;
  /** The workbook's shared strings, and those the written cells add. */
  private readonly sst: SharedStringsOut;

  /** Makes the ColumnWriter of a spec's column: its cells styled by the session, its dates in the workbook's date system. */
  private readonly columnWriter: ColumnWriterOf = (edit, spec, col) => {
    const { styles } = this;
    return new ColumnWriter(
      edit.prefix,
      col,
      spec,
      (content, base) => styles.styleFor(spec.format, content, base),
      this.model.date1904,
      this.sst.indexOf
    );
  };

  constructor(private readonly ctx: BookContext) {
    this.store = ctx.store.fork();
    this.model = ctx.model;
    this.styles = new CellStyles(this.store, ctx.model);
    this.sst = new SharedStringsOut(ctx.sst, ctx.richStrings);
    this.sheets = [...ctx.model.sheets];
    this.tables = ctx.model.tables.map((t) => ({
      ...t,
      ref: { ...t.ref },
      columns: [...t.columns],
      xml: ctx.store.text(t.path) ?? "",
      dirty: false,
    }));
  }

  applyAll(writes: TableWrite[], progress?: WriteProgress): void {
    writes.forEach((w, i) => {
      this.apply(w);
      progress?.(
        i + 1,
        writes.length,
        w.kind === "update" || w.kind === "delete" ? w.table.name : w.names.name
      );
    });
  }

  apply(w: TableWrite): void {
    switch (w.kind) {
      case "update":
        return this.update(w);
      case "delete":
        return this.deleteRows(w);
      case "append":
      case "replace":
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
    this.writeSharedStrings();
    for (const t of this.tables) if (t.dirty) this.store.setText(t.path, t.xml);
    const styles = this.styles.result();
    if (styles !== undefined) {
      if (this.model.stylesPath) this.store.setText(this.model.stylesPath, styles);
      else {
        const path = `${dirOf(this.model.workbookPath) || "xl"}/styles.xml`;
        this.store.setText(path, styles);
        addRelationship(
          this.store,
          this.model.workbookPath,
          `${this.model.relTypeBase}styles`,
          path
        );
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
    if (this.store.changed && this.hasFormulas())
      setFullCalcOnLoad(this.store, this.model.workbookPath);
    return this.store.changed ? this.store.toBytes() : undefined;
  }

  /**
   * Appends the texts the cells added to the shared string part (its items and their indices kept), or
   * creates the part, its content type and its relationship from the workbook.
   */
  private writeSharedStrings(): void {
    const added = this.sst.added;
    if (!added.length) return;
    const count = this.sst.strings().length - added.length;
    let path = this.model.sharedStringsPath;
    if (path) {
      this.store.writePart(
        path,
        sharedStringsPart(this.store.text(path), this.model.mainNs, count, added)
      );
      return;
    }
    const wb = this.model.workbookPath;
    // A relationship to a part the package lacks: the part goes where it points.
    const rel = parseRels(this.store.text(relsPathFor(wb))).find(
      (r) => relKind(r.type) === "sharedStrings" && !r.external
    );
    path = rel ? resolveTarget(wb, rel.target) : `${dirOf(wb) || "xl"}/sharedStrings.xml`;
    this.store.writePart(path, sharedStringsPart(undefined, this.model.mainNs, 0, added));
    if (!rel) addRelationship(this.store, wb, `${this.model.relTypeBase}sharedStrings`, path);
    addOverride(this.store, path, CT_SHARED_STRINGS);
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

  // ---- the three kinds of write ----

  private update(w: UpdateWrite): void {
    const t = this.resolve(w.table);
    if (!t) throw new XlsxWriteError(`cannot update ${w.table.name}: it is empty or missing`);
    const cols = mapColumns(t, w.columns, this.store, this.tables, this.sst.indexOf);
    const count = t.lastDataRow - t.firstDataRow + 1;
    const { edit } = t;
    const writers = w.columns.map((spec, k) => this.columnWriter(edit, spec, cols[k]));
    for (const u of w.updates) {
      if (!Number.isInteger(u.row) || u.row < 0 || u.row >= count)
        throw new XlsxWriteError(
          `cannot update row index ${u.row} of ${t.label}: it has ${count} data rows`
        );
      const r = t.firstDataRow + u.row;
      edit.updateRow(r, cols, (styles) =>
        writers.map((wr, k) => {
          const rest = wr.render(u.values[k] ?? null, styles[k]);
          edit.checkCell(r, wr.col);
          return rest === null ? null : wr.open + r + rest;
        })
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
    if (!t)
      throw new XlsxWriteError(`cannot remove rows of ${w.table.name}: it is empty or missing`);
    const count = t.lastDataRow - t.firstDataRow + 1;
    const drop = new Set(w.rows);
    for (const r of drop)
      if (!Number.isInteger(r) || r < 0 || r >= count)
        throw new XlsxWriteError(
          `cannot remove row index ${r} of ${t.label}: it has ${count} data rows`
        );
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
    for (let r = newLast + 1; r <= t.lastDataRow; r++)
      for (const col of edit.colsIn(r, t.c0, t.c1)) edit.set(r, col, null);
    if (t.table) {
      const totals = t.table.totalsRowCount;
      const oldEnd = t.table.ref.r1;
      const newEnd = Math.max(newLast, t.firstDataRow) + totals;
      for (let k = 0; k < totals; k++)
        edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    }
    t.lastDataRow = newLast;
  }

  private appendOrReplace(w: AppendWrite | ReplaceWrite): void {
    let t: Target | undefined;
    if (w.existing) {
      t = this.resolve(w.existing);
      if (!t && w.existing.kind === "sheet") {
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
    const cols = mapColumns(t, w.columns, this.store, this.tables, this.sst.indexOf);
    if (w.kind === "append") this.appendRows(t, w.columns, cols, w.rows);
    else this.replaceRows(t, w.columns, cols, w.rows);
  }

  private appendRows(t: Target, specs: ColumnSpec[], cols: number[], rows: CellValue[][]): void {
    if (rows.length === 0) return;
    const { edit } = t;
    const hasData = t.lastDataRow >= t.firstDataRow;
    // A table whose data rows are all blank (Excel's placeholder row) is filled from its first row.
    const start =
      t.table && hasData && !edit.firstNonBlank(t.firstDataRow, t.lastDataRow, t.c0, t.c1)
        ? t.firstDataRow
        : t.lastDataRow + 1;
    const end = start + rows.length - 1;
    const base = rowStyles(t, hasData ? t.lastDataRow : undefined);

    if (t.table) {
      const totals = t.table.totalsRowCount;
      const oldEnd = t.table.ref.r1;
      const newEnd = Math.max(end, t.lastDataRow) + totals;
      if (newEnd > oldEnd) checkFree(t, oldEnd + 1, newEnd, t.c0, t.c1, "grow", this.tables);
      if (totals > 0 && newEnd !== oldEnd)
        for (let k = 0; k < totals; k++)
          edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    } else {
      checkOtherTables(t, start, end, t.c0, Math.max(t.c1, ...cols), this.tables);
    }
    writeRows(
      t.edit,
      this.columnWriter,
      specs,
      cols,
      rows,
      start,
      base,
      t.table ? fillColumns(t, cols) : [],
      true
    );
    t.lastDataRow = Math.max(t.lastDataRow, end);
  }

  private replaceRows(t: Target, specs: ColumnSpec[], cols: number[], rows: CellValue[][]): void {
    const { edit } = t;
    const oldFirst = t.firstDataRow;
    const oldLast = t.lastDataRow;
    const hasData = oldLast >= oldFirst;
    const base = rowStyles(t, hasData ? oldFirst : undefined);
    // Excel needs a table to keep at least one data row.
    const count = t.table ? Math.max(1, rows.length) : rows.length;
    const newLast = oldFirst + count - 1;
    const c1 = Math.max(t.c1, ...cols);

    const totals = t.table?.totalsRowCount ?? 0;
    const oldEnd = t.table ? t.table.ref.r1 : oldLast;
    const newEnd = newLast + totals;
    if (t.table && newEnd > oldEnd)
      checkFree(t, oldEnd + 1, newEnd, t.c0, t.c1, "grow", this.tables);
    if (!t.table && count > 0) checkOtherTables(t, oldFirst, newLast, t.c0, c1, this.tables);
    // Rows no longer covered lose their cells (in the table's columns); then the totals row moves up or down.
    for (let r = newLast + 1; r <= oldLast; r++)
      for (const col of edit.colsIn(r, t.c0, c1)) edit.set(r, col, null);
    if (t.table) {
      if (totals > 0 && newEnd !== oldEnd) {
        for (let k = 0; k < totals; k++)
          edit.moveCells(oldEnd - totals + 1 + k, newEnd - totals + 1 + k, t.c0, t.c1);
      }
      setTableRef(t.table, { ...t.table.ref, r1: newEnd });
    }
    const padded = rows.length ? rows : count ? [[]] : [];
    writeRows(
      t.edit,
      this.columnWriter,
      specs,
      cols,
      padded,
      oldFirst,
      base,
      fillColumns(t, cols),
      true
    );
    t.lastDataRow = newLast;
  }

  // ---- finding targets ----

  private edit(sheet: SheetInfo): SheetEdit {
    let e = this.edits.get(sheet.path);
    if (!e) {
      const xml = this.store.text(sheet.path);
      if (xml === undefined)
        throw new XlsxWriteError(`worksheet ${sheet.name} (${sheet.path}) is missing`);
      e = new SheetEdit(xml, this.sst.strings);
      this.edits.set(sheet.path, e);
    }
    return e;
  }

  private resolve(ref: TableRef): Target | undefined {
    if (ref.kind === "table") {
      const t = findTable(this.tables, ref.name);
      if (!t) throw new XlsxWriteError(`table ${ref.name} was not found in the workbook`);
      return tableTarget(t, this.edit(t.sheet));
    }
    if (ref.kind === "sheet") {
      const s = findSheet(this.sheets, ref.name);
      if (!s) throw new XlsxWriteError(`sheet ${ref.name} was not found in the workbook`);
      return sheetTarget(s, this.edit(s));
    }
    throw new XlsxWriteError(`${ref.name} is a ${ref.kind} table, not part of an .xlsx workbook`);
  }

  private findByNames(names: OutputTableNames): Target | undefined {
    const t = findTable(this.tables, names.excelTableName);
    if (t) return tableTarget(t, this.edit(t.sheet));
    const s = findSheet(this.sheets, names.sheetName);
    return s ? sheetTarget(s, this.edit(s)) : undefined;
  }

  // ---- creating a table ----

  private createTable(names: OutputTableNames, specs: ColumnSpec[], rows: CellValue[][]): void {
    if (!specs.length) throw new XlsxWriteError(`cannot create ${names.name} without columns`);
    // An existing (empty) sheet of that name takes the table; else a new sheet is added.
    const sheet =
      findSheet(this.sheets, names.sheetName) ?? this.addSheet(names.sheetName, specs, rows);
    const edit = this.edit(sheet);
    const p = edit.prefix;

    // Header cells must equal the table's column names; duplicate names are not allowed.
    const colNames: string[] = [];
    for (const spec of specs) colNames.push(uniqueName(spec.name.trim() || "Column", colNames));
    colNames.forEach((n, c) =>
      edit.set(
        1,
        c,
        renderCell(p, formatCell(c, 1), 0, { kind: "text", text: n }, this.sst.indexOf)
      )
    );
    const count = Math.max(1, rows.length);
    // Placeholder cells (no rows) still get the column's format, so later appends copy it.
    writeRows(
      edit,
      this.columnWriter,
      specs,
      specs.map((_s, c) => c),
      rows.length ? rows : [[]],
      2,
      new Map(),
      []
    );
    const ref: RangeRef = { c0: 0, r0: 1, c1: specs.length - 1, r1: count + 1 };

    const name = uniqueName(sanitizeTableName(names.excelTableName), [
      ...this.tables.flatMap((t) => [t.name, t.displayName]),
      ...this.model.definedNames,
    ]);
    const id = this.tables.reduce((m, t) => Math.max(m, t.id), 0) + 1;
    const dir = `${dirOf(this.model.workbookPath) || "xl"}/tables`;
    let n = this.tables.length + 1;
    while (this.store.has(`${dir}/table${n}.xml`)) n++;
    const path = `${dir}/table${n}.xml`;
    const xml = newTablePart(this.model.mainNs, id, name, ref, colNames);
    this.store.setText(path, xml);
    addOverride(this.store, path, CT_TABLE);
    ensureDefault(this.store, "rels", CT_RELS);
    const rId = addRelationship(this.store, sheet.path, `${this.model.relTypeBase}table`, path);
    edit.addTablePart(rId);
    this.tables.push({
      id,
      tableType: "worksheet",
      name,
      displayName: name,
      ref,
      headerRowCount: 1,
      totalsRowCount: 0,
      columns: colNames.map((c, i) => ({ id: i + 1, name: c })),
      path,
      sheet,
      xml,
      dirty: false,
    });
  }

  /** Adds an empty worksheet (frozen header row, column widths for the data) to the workbook. */
  private addSheet(wanted: string, specs: ColumnSpec[], rows: CellValue[][]): SheetInfo {
    const name = uniqueName(
      sanitizeSheetName(wanted),
      this.model.allSheetNames.concat(this.sheets.map((s) => s.name)),
      31
    );
    const dir =
      dirOf(this.sheets[0]?.path ?? "") || `${dirOf(this.model.workbookPath) || "xl"}/worksheets`;
    let n = this.sheets.length + 1;
    while (this.store.has(`${dir}/sheet${n}.xml`)) n++;
    const path = `${dir}/sheet${n}.xml`;
    const relNs = this.model.relTypeBase.replace(/\/$/, "");
    this.store.setText(path, newWorksheet(this.model.mainNs, relNs, columnWidths(specs, rows)));
    addOverride(this.store, path, CT_WORKSHEET);
    const rId = addRelationship(
      this.store,
      this.model.workbookPath,
      `${this.model.relTypeBase}worksheet`,
      path
    );

    // Register it in workbook.xml: <sheet name sheetId r:id/> at the end of <sheets>.
    const added = addSheetEntry(this.store.text(this.model.workbookPath)!, name, rId, relNs);
    this.store.setText(this.model.workbookPath, withPrintTitles(added.xml, name, added.sheetIndex));
    const info: SheetInfo = { name, sheetId: added.sheetId, rId, path };
    this.sheets.push(info);
    return info;
  }
}
