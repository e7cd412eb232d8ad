/// <reference types="office-js" />
/**
 * WorkbookPort on the Excel JavaScript API (Excel.run): the live workbook the add-in runs in.
 *
 * - Tables are Excel tables (ListObjects) or plain worksheets (workbook.md, "Finding a table").
 * - Reads and writes go in chunks whose measured JSON payload stays under `payloadBudget` (2 MB by
 *   default, against Office's ~5 MB limit), packing as much as fits into each sync.
 * - write(): everything is located, the guard is checked and every request is planned before the
 *   first cell changes; calculation and screen updating are suspended for each writing sync and this
 *   add-in's events are off while writing (so Automatic Cost Posting does not see its own writes).
 *
 * Locating and reading tables is in locate.ts, planning the write requests in writePlan.ts; this file
 * keeps the port's state (read memos, date system) and runs discovery, reads, selection and writes.
 */
import {
  ConcurrentChangeError,
  type CellValue,
  type SourceTable,
  type TableRef,
  type TableWrite,
  type WorkbookPort,
  type WriteGuard,
  type WriteProgress,
} from "../workbook/port";
import { findColumnInHeader, looseName, findTable } from "../workbook/names";
import { OUTPUT_TABLES, outputTableSpellings } from "../workbook/outputSchema";
import {
  isDate1904,
  listTablesIn,
  locate,
  prepareCreates,
  readBlock,
  readColumns,
  type Located,
} from "./locate";
import {
  planAppend,
  planCreate,
  planDelete,
  planReplace,
  planUpdate,
  type PlanOptions,
  type Step,
} from "./writePlan";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface ExcelPortOptions {
  /** Defaults to the global Excel.run. */
  run?: ExcelRun;
  /** Largest JSON payload of one request or response, in bytes. Default 2,000,000. */
  payloadBudget?: number;
  /** Requirement-set check; defaults to Office.context.requirements.isSetSupported. */
  supports?: (set: string, version: string) => boolean;
  /** Rows apart that still go into one update range (the rows between are sent as null = unchanged). */
  updateGap?: number;
}

const DEFAULT_PAYLOAD_BUDGET = 2_000_000;

interface ReadMemo {
  rows: number;
  entryNoColumn: string | null;
  entryNos: CellValue[];
}

function defaultRun(): ExcelRun {
  const g = globalThis as unknown as { Excel?: { run: ExcelRun } };
  if (!g.Excel)
    throw new Error("Excel is not available: the add-in must run inside Excel (or the try page).");
  return g.Excel.run.bind(g.Excel) as ExcelRun;
}

function defaultSupports(set: string, version: string): boolean {
  const g = globalThis as unknown as { Office?: typeof Office };
  try {
    return g.Office?.context?.requirements?.isSetSupported(set, version) ?? true;
  } catch {
    return true;
  }
}

function refKey(ref: TableRef): string {
  return `${ref.kind}:${ref.name.toLowerCase()}`;
}

function sameCell(a: CellValue, b: CellValue): boolean {
  const x = a === "" || a === undefined ? null : a;
  const y = b === "" || b === undefined ? null : b;
  return x === y;
}

export class ExcelWorkbookPort implements WorkbookPort {
  private readonly runner: () => ExcelRun;
  readonly payloadBudget: number;
  private readonly supports: (set: string, version: string) => boolean;
  private readonly updateGap: number;
  private readonly memo = new Map<string, ReadMemo>();
  /** The workbook uses the 1904 date system (detected once: cell values are raw serials of its system). */
  private date1904: boolean | null = null;

  constructor(options: ExcelPortOptions = {}) {
    const run = options.run;
    this.runner = run ? () => run : defaultRun;
    this.payloadBudget = options.payloadBudget ?? DEFAULT_PAYLOAD_BUDGET;
    this.supports = options.supports ?? defaultSupports;
    this.updateGap = options.updateGap ?? 64;
  }

  private run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    return this.runner()(batch);
  }

  // ------------------------------------------------------------------------------------------------
  // Discovery and reading

  async listTables(): Promise<TableRef[]> {
    return this.run((context) => listTablesIn(context));
  }

  /** The workbook's date system, detected on the first read (see isDate1904) and kept. */
  private async dateSystemIn(context: Excel.RequestContext): Promise<boolean> {
    if (this.date1904 === null) this.date1904 = await isDate1904(context);
    return this.date1904;
  }

  async readTable(ref: TableRef): Promise<SourceTable> {
    return this.run(async (context) => {
      const date1904 = await this.dateSystemIn(context);
      const [loc] = await locate(context, [ref]);
      if (!loc)
        throw new Error(
          `${ref.kind === "table" ? "Table" : "Worksheet"} "${ref.name}" was not found.`
        );
      const width = loc.header.length;
      const rows = loc.emptyTable
        ? []
        : await readBlock(
            context,
            loc.sheet,
            loc.headerRow + 1,
            loc.col,
            loc.dataRows,
            width,
            this.payloadBudget
          );
      const first = loc.headerRow + 2;
      const table: SourceTable = {
        ref: { ...ref, sheet: loc.sheet },
        header: loc.header,
        rows,
        rowNumbers: rows.map((_, i) => first + i),
      };
      if (date1904) table.date1904 = true;
      const e = findColumnInHeader(loc.header, "Entry No.");
      this.memo.set(refKey(ref), {
        rows: rows.length,
        entryNoColumn: e >= 0 ? loc.header[e] : null,
        entryNos: e >= 0 ? rows.map((r) => r[e] ?? null) : [],
      });
      return table;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Navigation (the task pane's links)

  /**
   * Selects part of a table and returns its address: a cell (sheet row + column; the row within the
   * table when the column is unknown), the last `lastRows` data rows, or the whole table.
   */
  async select(
    ref: TableRef,
    what: { sheetRow?: number; column?: string; lastRows?: number } = {}
  ): Promise<string | null> {
    return this.run(async (context) => {
      const [loc] = await locate(context, [ref]);
      if (!loc) return null;
      const ws = context.workbook.worksheets.getItem(loc.sheet);
      const width = Math.max(1, loc.header.length);
      let range: Excel.Range;
      if (what.sheetRow !== undefined) {
        const c = what.column ? findColumnInHeader(loc.header, what.column) : -1;
        range =
          c >= 0
            ? ws.getRangeByIndexes(what.sheetRow - 1, loc.col + c, 1, 1)
            : ws.getRangeByIndexes(what.sheetRow - 1, loc.col, 1, width);
      } else if (what.column) {
        const c = findColumnInHeader(loc.header, what.column);
        range = ws.getRangeByIndexes(
          loc.headerRow,
          loc.col + Math.max(0, c),
          1,
          c >= 0 ? 1 : width
        );
      } else if (what.lastRows && loc.dataRows > 0) {
        const n = Math.min(what.lastRows, loc.dataRows);
        range = ws.getRangeByIndexes(loc.headerRow + 1 + loc.dataRows - n, loc.col, n, width);
      } else {
        range = ws.getRangeByIndexes(loc.headerRow, loc.col, 1 + loc.dataRows, width);
      }
      ws.activate();
      range.select();
      range.load("address");
      await context.sync();
      return range.address;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Writing

  async write(
    writes: TableWrite[],
    guard: WriteGuard | null,
    progress?: WriteProgress
  ): Promise<void> {
    await this.run(async (context) => {
      // 1. Where is everything now?
      const refs: TableRef[] = [];
      const add = (r: TableRef | undefined) => {
        if (r && !refs.some((x) => refKey(x) === refKey(r))) refs.push(r);
      };
      for (const w of writes)
        add(w.kind === "update" || w.kind === "delete" ? w.table : w.existing);
      if (guard) add(guard.valueEntries);
      const registersRef = guard ? await this.findRegisters(context, writes) : undefined;
      add(registersRef);
      const located = await locate(context, refs);
      const at = new Map<string, Located>();
      refs.forEach((r, i) => {
        const l = located[i];
        if (l) at.set(refKey(r), l);
      });

      // 2. Is it still what the run read?
      if (guard) await this.checkGuard(context, guard, at, registersRef);

      // 3. Plan every request before the first write.
      const creates = await prepareCreates(context, writes);
      const plan: PlanOptions = {
        payloadBudget: this.payloadBudget,
        supports: this.supports,
        updateGap: this.updateGap,
        date1904: this.date1904 === true,
      };
      const steps: Step[] = [];
      for (const w of writes) {
        if (w.kind === "update") steps.push(...planUpdate(plan, w, at.get(refKey(w.table))));
        else if (w.kind === "delete") steps.push(...planDelete(w, at.get(refKey(w.table))));
        else {
          const loc = w.existing ? at.get(refKey(w.existing)) : undefined;
          if (loc)
            steps.push(
              ...(w.kind === "append" ? planAppend(plan, w, loc) : planReplace(plan, w, loc))
            );
          else steps.push(...planCreate(plan, w, creates.get(w)!));
        }
      }

      // 4. Write in syncs that each stay under the budget.
      const total = steps.reduce((n, s) => n + s.rows, 0);
      let done = 0;
      const eventsToggle = this.supports("ExcelApi", "1.8");
      const screen = this.supports("ExcelApi", "1.9");
      if (eventsToggle) context.runtime.enableEvents = false;
      try {
        let i = 0;
        while (i < steps.length) {
          let bytes = 0;
          let rows = 0;
          let what = steps[i].what;
          context.workbook.application.suspendApiCalculationUntilNextSync();
          if (screen) context.workbook.application.suspendScreenUpdatingUntilNextSync();
          do {
            steps[i].apply(context);
            bytes += steps[i].bytes;
            rows += steps[i].rows;
            what = steps[i].what;
            i++;
          } while (i < steps.length && bytes + steps[i].bytes <= this.payloadBudget);
          // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per payload-sized chunk: one request for all would pass Excel's request size limit
          await context.sync();
          done += rows;
          progress?.(done, total, what);
        }
      } finally {
        if (eventsToggle) {
          context.runtime.enableEvents = true;
          await context.sync();
        }
      }
    });
  }

  /** The G/L Registers table: the one an append targets, else the one the workbook layer would find. */
  private async findRegisters(
    context: Excel.RequestContext,
    writes: TableWrite[]
  ): Promise<TableRef | undefined> {
    for (const w of writes) {
      if (
        w.kind !== "update" &&
        w.kind !== "delete" &&
        looseName(w.names.name) === "glregisters" &&
        w.existing
      )
        return w.existing;
    }
    return findTable(
      await listTablesIn(context),
      OUTPUT_TABLES.glRegisters.names.name,
      outputTableSpellings("glRegisters")
    );
  }

  private async checkGuard(
    context: Excel.RequestContext,
    guard: WriteGuard,
    at: Map<string, Located>,
    registersRef: TableRef | undefined
  ): Promise<void> {
    const ve = at.get(refKey(guard.valueEntries));
    const changed = (why: string) =>
      new ConcurrentChangeError(
        `The workbook was changed since it was read (${why}). Nothing was written; run again.`
      );
    if (!ve) throw changed("the Value Entries table is gone");
    const n = guard.postedValues.length;
    if (ve.emptyTable ? n > 0 : ve.dataRows < n) throw changed("Value Entries has fewer rows");
    const memo = this.memo.get(refKey(guard.valueEntries));
    const names = [...guard.postedColumns];
    const expected: CellValue[][] = guard.postedValues.map((r) => [...r]);
    if (memo?.entryNoColumn && memo.rows === n) {
      names.push(memo.entryNoColumn);
      memo.entryNos.forEach((e, i) => expected[i].push(e));
    }
    const cols = names.map((name) => {
      let c = ve.header.indexOf(name);
      if (c < 0) c = findColumnInHeader(ve.header, name);
      if (c < 0) throw changed(`column "${name}" is gone`);
      return c;
    });
    const actual = await readColumns(context, ve, cols, n, this.payloadBudget);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < cols.length; k++) {
        if (!sameCell(actual[r][k], expected[r][k] ?? null)) {
          throw changed(`Value Entries row ${ve.headerRow + 2 + r}, column "${names[k]}"`);
        }
      }
    }
    let last = 0;
    if (registersRef) {
      const reg = at.get(refKey(registersRef));
      if (reg && !reg.emptyTable && reg.dataRows > 0) {
        const c = findColumnInHeader(reg.header, "No.");
        if (c >= 0) {
          for (const [v] of await readColumns(
            context,
            reg,
            [c],
            reg.dataRows,
            this.payloadBudget
          )) {
            const x = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
            if (Number.isFinite(x) && x > last) last = x;
          }
        }
      }
    }
    if (last !== guard.lastRegisterNo)
      throw changed(`the last G/L Register is now ${last}, was ${guard.lastRegisterNo}`);
  }
}
