/**
 * An in-memory WorkbookPort: tables as header + rows, writes applied in place. For tests of everything above
 * the port (reading, the run, undo) without files or Excel. Row numbers are sheet-like: the header is row 1,
 * data starts at row 2 (or as given).
 */
import { findColumn, findTable, looseHeader } from "../../src/workbook/names";
import {
  ConcurrentChangeError,
  type CellValue,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
} from "../../src/workbook/port";

export interface MemoryTable {
  header: string[];
  rows: CellValue[][];
  /** Default: 2, 3, ... (the header on row 1). */
  rowNumbers?: number[];
}

export class MemoryWorkbook implements WorkbookPort {
  readonly tables = new Map<string, MemoryTable>();
  /** Every write call, for assertions. */
  readonly writeLog: TableWrite[][] = [];

  constructor(tables: Record<string, MemoryTable> = {}) {
    for (const [name, t] of Object.entries(tables))
      this.tables.set(name, {
        header: [...t.header],
        rows: t.rows.map((r) => [...r]),
        rowNumbers: t.rowNumbers,
      });
  }

  /** A table from a header and rows of cells. */
  static table(header: string[], ...rows: CellValue[][]): MemoryTable {
    return { header, rows };
  }

  async listTables(): Promise<TableRef[]> {
    return [...this.tables.keys()].map((name) => ({ name, kind: "table" as const }));
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    const t = this.tables.get(ref.name);
    if (t === undefined) throw new Error(`No table ${ref.name}`);
    return {
      ref,
      header: [...t.header],
      rows: t.rows.map((r) => [...r]),
      rowNumbers: t.rowNumbers ?? t.rows.map((_, i) => i + 2),
    };
  }

  /** The table's rows as objects keyed by header (for assertions). */
  records(name: string): Record<string, CellValue>[] {
    const t = this.tables.get(name);
    if (t === undefined) return [];
    return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])));
  }

  async write(writes: TableWrite[], guard: WriteGuard | null): Promise<void> {
    if (guard !== null) {
      const t = this.tables.get(guard.valueEntries.name);
      if (t === undefined) throw new ConcurrentChangeError();
      const loose = looseHeader(t.header);
      const idx = guard.postedColumns.map((c) => findColumn(loose, c));
      const same =
        t.rows.length === guard.postedValues.length &&
        t.rows.every((r, i) =>
          idx.every((ix, j) => (ix < 0 ? null : (r[ix] ?? null)) === guard.postedValues[i][j])
        );
      const regs = this.tables.get(
        [...this.tables.keys()].find((k) => /^g\W*l\W*registers?$/i.test(k)) ?? ""
      );
      let last = 0;
      if (regs !== undefined) {
        const ni = findColumn(looseHeader(regs.header), "No.");
        for (const r of regs.rows)
          if (ni >= 0 && typeof r[ni] === "number" && (r[ni] as number) > last)
            last = r[ni] as number;
      }
      if (!same || last !== guard.lastRegisterNo) throw new ConcurrentChangeError();
    }
    this.writeLog.push(writes);
    for (const w of writes) {
      if (w.kind === "delete") {
        const t = this.tables.get(w.table.name)!;
        const drop = new Set(w.rows);
        t.rows = t.rows.filter((_, i) => !drop.has(i));
        t.rowNumbers = undefined;
        continue;
      }
      if (w.kind === "update") {
        const t = this.tables.get(w.table.name)!;
        const loose = looseHeader(t.header);
        const idx = w.columns.map((c) => {
          const i = findColumn(loose, c.name);
          if (i >= 0) return i;
          t.header.push(c.name);
          loose.push(c.name.toLowerCase().replace(/[^a-z0-9]/g, ""));
          return t.header.length - 1;
        });
        for (const u of w.updates) u.values.forEach((v, i) => (t.rows[u.row][idx[i]] = v));
        continue;
      }
      const refs = [...this.tables.keys()].map((name) => ({ name, kind: "table" as const }));
      const name =
        w.existing?.name ??
        findTable(refs, w.names.name, [w.names.excelTableName, w.names.sheetName, w.names.csvName])
          ?.name ??
        w.names.name;
      let t = this.tables.get(name);
      if (t === undefined) {
        t = { header: w.columns.map((c) => c.name), rows: [] };
        this.tables.set(name, t);
      }
      const loose = looseHeader(t.header);
      const idx = w.columns.map((c) => {
        const i = findColumn(loose, c.name);
        if (i >= 0) return i;
        t!.header.push(c.name);
        loose.push(c.name.toLowerCase().replace(/[^a-z0-9]/g, ""));
        return t!.header.length - 1;
      });
      if (w.kind === "replace") t.rows = [];
      for (const row of w.rows) {
        const out: CellValue[] = new Array(t.header.length).fill(null);
        row.forEach((v, i) => (out[idx[i]] = v));
        t.rows.push(out);
      }
      t.rowNumbers = undefined;
    }
  }
}
