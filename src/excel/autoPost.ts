/// <reference types="office-js" />
/**
 * Automatic Cost Posting (rules.md section 8, add-in only). While the setting is on, every Value Entries
 * row added or changed in the workbook posts per Entry at once: the table's (or sheet's) onChanged event
 * collects the changed rows, a short debounce batches a paste of many rows, their Entry Nos. are read and
 * posted through `postEntries`. Problems are reported for those rows; a row that cannot post stays
 * unposted for the batch run.
 *
 * The adapter turns this add-in's events off while it writes, and changes that touch only the posted
 * columns are ignored, so a posting never triggers itself.
 */
import type { RunOutcome, RunRequest } from "../app/run";
import { postWorkbook } from "../app/run";
import type { TableRef, WorkbookPort } from "../workbook/port";
import { findColumnInHeader, findTable } from "../workbook/names";
import { VALUE_ENTRIES } from "../workbook/schema";
import { parseAddress } from "./address";
import type { ExcelRun } from "./adapter";

/** Posts the given entries per Entry, with automatic-posting rules (errors, dimensions enforced). */
export type PostEntries = (port: WorkbookPort, entryNos: number[]) => Promise<RunOutcome>;

/** The run in automatic mode: only these entries, per Entry, dimension rules enforced (rules.md section 8). */
export const postEntriesViaRun: PostEntries = (port, entryNos) => {
  const request: RunRequest = {
    postingMethod: "per Entry",
    documentNo: "",
    post: true,
    entryNos,
    automatic: true,
  };
  return postWorkbook(port, request);
};

export interface RowProblem {
  /** Sheet row number as the user sees it. */
  row: number;
  entryNo: number | null;
  message: string;
}

export interface AutoPostReport {
  entryNos: number[];
  posted: number;
  problems: RowProblem[];
  /** A whole-run problem (input errors elsewhere, a concurrent change that persisted, an exception). */
  error?: string;
}

export interface AutoPostOptions {
  run: ExcelRun;
  port: WorkbookPort;
  postEntries?: PostEntries;
  onReport: (r: AutoPostReport) => void;
  /** Milliseconds to wait for more changes before posting (a paste raises one event; typing several). */
  debounceMs?: number;
  /** Header names of the posted columns: changes only there are the add-in's own and are ignored. */
  postedColumns?: string[];
}

const DEFAULT_POSTED = [
  "Cost Posted to G/L",
  "Expected Cost Posted to G/L",
  "Cost Posted to G/L (ACY)",
  "Exp. Cost Posted to G/L (ACY)",
];

interface Watched {
  ref: TableRef;
  sheet: string;
  header: string[];
  headerRow: number;
  col: number;
  handler: OfficeExtension.EventHandlerResult<
    Excel.TableChangedEventArgs | Excel.WorksheetChangedEventArgs
  >;
}

export class AutoPoster {
  private watched: Watched | null = null;
  private pending = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private busy: Promise<void> = Promise.resolve();
  private readonly postEntries: PostEntries;
  private readonly debounceMs: number;
  private readonly posted: string[];

  constructor(private readonly opts: AutoPostOptions) {
    this.postEntries = opts.postEntries ?? postEntriesViaRun;
    this.debounceMs = opts.debounceMs ?? 400;
    this.posted = opts.postedColumns ?? DEFAULT_POSTED;
  }

  get active(): boolean {
    return this.watched !== null;
  }

  /** Starts watching the Value Entries table (an Excel table, else its worksheet). False when there is none. */
  async start(): Promise<boolean> {
    if (this.watched) return true;
    const ref = findTable(
      await this.opts.port.listTables(),
      VALUE_ENTRIES.name,
      VALUE_ENTRIES.aliases ?? []
    );
    if (!ref) return false;
    this.watched = await this.opts.run(async (context) => {
      let header: Excel.Range;
      let target: Excel.Table | Excel.Worksheet;
      let ws: Excel.Worksheet;
      if (ref.kind === "table") {
        const t = context.workbook.tables.getItem(ref.name);
        header = t.getHeaderRowRange();
        target = t;
        // eslint-disable-next-line office-addins/call-sync-before-read -- worksheet is a navigation property (a proxy), not a loaded value
        ws = t.worksheet;
      } else {
        ws = context.workbook.worksheets.getItem(ref.sheet ?? ref.name);
        header = ws.getUsedRange(true).getRow(0);
        target = ws;
      }
      header.load("values,rowIndex,columnIndex");
      ws.load("name");
      const handler = (
        target.onChanged as OfficeExtension.EventHandlers<
          Excel.TableChangedEventArgs | Excel.WorksheetChangedEventArgs
        >
      ).add((e) => this.onChanged(e));
      await context.sync();
      return {
        ref,
        sheet: ws.name,
        header: header.values[0].map((v) => String(v ?? "")),
        headerRow: header.rowIndex,
        col: header.columnIndex,
        handler,
      };
    });
    return true;
  }

  async stop(): Promise<void> {
    const w = this.watched;
    this.watched = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    if (w) {
      await this.opts.run(async (context) => {
        w.handler.remove();
        await context.sync();
      });
    }
  }

  /** The event handler: remembers the changed data rows, then posts after the debounce. */
  onChanged(e: { address: string; changeType?: string }): Promise<void> {
    const w = this.watched;
    if (!w || e.changeType === "RowDeleted" || e.changeType === "ColumnDeleted")
      return Promise.resolve();
    const box = parseAddress(e.address);
    const postedCols = this.posted
      .map((p) => findColumnInHeader(w.header, p))
      .filter((c) => c >= 0)
      .map((c) => w.col + c);
    const onlyPosted = Array.from({ length: box.colCount }, (_, i) => box.col + i).every((c) =>
      postedCols.includes(c)
    );
    if (onlyPosted) return Promise.resolve();
    for (let r = box.row; r < box.row + box.rowCount; r++) if (r > w.headerRow) this.pending.add(r);
    if (this.pending.size === 0) return Promise.resolve();
    if (this.timer) clearTimeout(this.timer);
    return new Promise((resolve) => {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.busy = this.busy.then(() => this.flush()).then(resolve, resolve);
      }, this.debounceMs);
    });
  }

  /** Posts the pending rows now (tests call it directly). */
  async flush(): Promise<void> {
    const w = this.watched;
    if (!w || this.pending.size === 0) return;
    const rows = [...this.pending].sort((a, b) => a - b);
    this.pending.clear();
    const report: AutoPostReport = { entryNos: [], posted: 0, problems: [] };
    try {
      const entryCol = findColumnInHeader(w.header, "Entry No.");
      if (entryCol < 0) throw new Error("The Value Entries table has no Entry No. column.");
      const values = await this.opts.run(async (context) => {
        const ws = context.workbook.worksheets.getItem(w.sheet);
        const ranges = rows.map((r) =>
          ws.getRangeByIndexes(r, w.col + entryCol, 1, 1).load("values")
        );
        await context.sync();
        return ranges.map((x) => x.values[0][0] as unknown);
      });
      const rowOf = new Map<number, number>();
      rows.forEach((r, i) => {
        const v = values[i];
        const n =
          typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
        if (Number.isInteger(n)) {
          report.entryNos.push(n);
          rowOf.set(n, r + 1);
        }
      });
      if (report.entryNos.length === 0) return;
      let outcome = await this.postEntries(this.opts.port, report.entryNos);
      if (outcome.kind === "concurrentChange")
        outcome = await this.postEntries(this.opts.port, report.entryNos);
      switch (outcome.kind) {
        case "done": {
          const s = outcome.summary;
          report.posted = s.entries.posted;
          for (const sk of s.skipped) {
            if (rowOf.has(sk.entryNo))
              report.problems.push({
                row: rowOf.get(sk.entryNo)!,
                entryNo: sk.entryNo,
                message: `${sk.reasonCode}: ${sk.reason}`,
              });
          }
          break;
        }
        case "inputErrors": {
          const mine = new Set(rowOf.values());
          for (const e of outcome.errors) {
            if (e.row !== undefined && mine.has(e.row))
              report.problems.push({ row: e.row, entryNo: null, message: e.text });
          }
          if (report.problems.length === 0)
            report.error = `The workbook has input errors; nothing was posted. ${outcome.errors[0]?.text ?? ""}`;
          break;
        }
        case "usageError":
        case "concurrentChange":
        case "writeError":
        case "internalError":
          report.error = outcome.message;
          break;
      }
    } catch (err) {
      report.error = err instanceof Error ? err.message : String(err);
    }
    this.opts.onReport(report);
  }
}
