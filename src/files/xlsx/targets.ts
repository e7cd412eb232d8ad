/**
 * Targets of a write (an Excel table or a plain sheet's block, in sheet coordinates): finding them by
 * name, reading their header, matching and adding columns, and checking the cells they would grow over.
 */
import type { ColumnSpec } from "../../workbook/port";
import { RangeRef, formatCell, formatRange } from "./cellRef";
import { SharedStringIndex, renderCell } from "./cellValues";
import { XlsxWriteError } from "./errors";
import type { SheetInfo, TableInfo } from "./model";
import { effectiveHeaderRows, headerText } from "./read";
import { looseName } from "../../workbook/names";
import type { PartStore } from "./opc";
import type { SheetEdit } from "./sheetEdit";
import { addTableColumn, addUnboundQueryField, setTableRange } from "./tablePart";

export interface TableState extends TableInfo {
  xml: string;
  dirty: boolean;
}

/** Where a write goes: an Excel table or a plain sheet's block, in sheet coordinates. */
export interface Target {
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

export function findTable(tables: TableState[], name: string): TableState | undefined {
  const lower = name.toLowerCase();
  return (
    tables.find((t) => t.displayName.toLowerCase() === lower || t.name.toLowerCase() === lower) ??
    tables.find((t) => looseName(t.displayName) === looseName(name))
  );
}

export function findSheet(sheets: SheetInfo[], name: string): SheetInfo | undefined {
  const lower = name.toLowerCase();
  return sheets.find((s) => s.name.toLowerCase() === lower);
}

export function tableTarget(t: TableState, edit: SheetEdit): Target {
  const first = edit.rowState(t.ref.r0);
  const headerRows = effectiveHeaderRows(
    t,
    Array.from({ length: t.ref.c1 - t.ref.c0 + 1 }, (_, i) => first.get(t.ref.c0 + i)?.value)
  );
  const hasHeader = headerRows > 0;
  const header: string[] = [];
  const cells = hasHeader ? first : new Map();
  for (let c = t.ref.c0; c <= t.ref.c1; c++) {
    const v = cells.get(c)?.value;
    header.push(
      v === null || v === undefined || v === ""
        ? (t.columns[c - t.ref.c0]?.name ?? "")
        : headerText(v)
    );
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
export function sheetTarget(sheet: SheetInfo, edit: SheetEdit): Target | undefined {
  const block = edit.blockExtent();
  if (!block) return undefined;
  const cells = edit.rowState(block.headerRow);
  const header: string[] = [];
  for (let c = block.c0; c <= block.c1; c++) {
    const v = cells.get(c);
    header.push(v && !v.blank ? headerText(v.value) : "");
  }
  return {
    label: `sheet ${sheet.name}`,
    sheet,
    edit,
    headerRow: block.headerRow,
    firstDataRow: block.headerRow + 1,
    lastDataRow: block.last,
    c0: block.c0,
    c1: block.c1,
    header,
  };
}

/** Column positions for the specs, adding the missing ones after the last column. */
export function mapColumns(
  t: Target,
  specs: ColumnSpec[],
  store: PartStore,
  tables: TableState[],
  sst?: SharedStringIndex
): number[] {
  return specs.map((spec) => {
    const key = looseName(spec.name);
    const i = key ? t.header.findIndex((h) => looseName(h) === key) : -1;
    return i >= 0 ? t.c0 + i : addColumn(t, spec.name, store, tables, sst);
  });
}

function addColumn(
  t: Target,
  name: string,
  store: PartStore,
  tables: TableState[],
  sst?: SharedStringIndex
): number {
  const col = t.c1 + 1;
  const top = t.headerRow ?? t.firstDataRow;
  const bottom = t.table ? t.table.ref.r1 : Math.max(t.lastDataRow, top);
  checkFree(t, top, bottom, col, col, `add column "${name}"`, tables);
  if (t.headerRow !== undefined) {
    const s = t.edit.cellState(t.headerRow, t.c1)?.s ?? 0;
    const xml = renderCell(
      t.edit.prefix,
      formatCell(col, t.headerRow),
      s,
      { kind: "text", text: name },
      sst
    );
    t.edit.set(t.headerRow, col, xml);
  }
  if (t.table) {
    const tbl = t.table;
    const qtPath = tbl.tableType === "queryTable" ? tbl.queryTablePath : undefined;
    const qtXml = qtPath ? store.text(qtPath) : undefined;
    let added: { xml: string; id: number };
    if (qtPath && qtXml) {
      // The field id is needed on the column and the column id on the field: take the next column id first.
      const nextColumnId = addTableColumn(tbl.xml, name).id;
      const qt = addUnboundQueryField(qtXml, nextColumnId);
      store.setText(qtPath, qt.xml);
      added = addTableColumn(tbl.xml, name, ` queryTableFieldId="${qt.fieldId}"`);
    } else {
      added = addTableColumn(tbl.xml, name);
    }
    tbl.xml = added.xml;
    tbl.columns.push({ id: added.id, name });
    setTableRef(tbl, { ...tbl.ref, c1: col });
  }
  t.c1 = col;
  t.header.push(name);
  return col;
}

export function setTableRef(t: TableState, ref: RangeRef): void {
  t.ref = ref;
  t.xml = setTableRange(t.xml, t, ref);
  t.dirty = true;
}

/** A table may only grow over empty cells, and never into another table (Excel would refuse both). */
export function checkFree(
  t: Target,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  what: string,
  tables: TableState[]
): void {
  const hit = t.edit.firstNonBlank(r0, r1, c0, c1);
  if (hit) {
    throw new XlsxWriteError(
      `cannot ${what} in ${t.label}: cell ${formatCell(hit.col, hit.row)} of sheet ${t.sheet.name} is in the way (not empty); move it and run again`
    );
  }
  checkOtherTables(t, r0, r1, c0, c1, tables);
}

export function checkOtherTables(
  t: Target,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  tables: TableState[]
): void {
  for (const other of tables) {
    if (other === t.table || other.sheet.path !== t.sheet.path) continue;
    const o = other.ref;
    if (o.r0 <= r1 && o.r1 >= r0 && o.c0 <= c1 && o.c1 >= c0) {
      throw new XlsxWriteError(
        `cannot write ${t.label}: rows ${r0}-${r1} would overlap table ${other.displayName} (${formatRange(o)})`
      );
    }
  }
}

/** The target's columns (up to the last written one) that no spec writes: they get an empty styled cell. */
export function fillColumns(t: Target, cols: number[]): number[] {
  const written = new Set(cols);
  const c1 = Math.max(t.c1, ...cols);
  const out: number[] = [];
  for (let col = t.c0; col <= c1; col++) if (!written.has(col)) out.push(col);
  return out;
}
