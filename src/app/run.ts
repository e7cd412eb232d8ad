/**
 * The run as every front end uses it (CLI, task pane, ribbon commands): read a workbook through a
 * WorkbookPort, post with the pure engine, then write everything at once (workbook.md, Safety: read
 * everything, compute everything, then write; the port checks the guard before its first write).
 */
import { accountTypeCaption } from "../engine/accountTypes";
import { parseRunOptions, type CheckedRunOptions } from "../engine/evaluate";
import { assertPostingInvariants } from "../engine/invariants";
import { formatMoney } from "../engine/money";
import {
  closingMessage,
  postInventoryCostToGL,
  reportAmounts,
  type ReportAmountKey,
} from "../engine/post";
import { dryRun, testReport, type TestReport } from "../engine/testReport";
import {
  glEntryList,
  type PostingInput,
  type PostingMethod,
  type PostingResult,
  type RunOptions,
  type SetupRowRef,
  type TestReportLine,
} from "../engine/types";
import { trialBalance, type TrialBalance } from "../engine/trialBalance";
import { dayToIso } from "../engine/dates";
import { OUTPUT_TABLES } from "../workbook/outputSchema";
import { planRunSummary, planTestReport, planWrites } from "../workbook/outputs";
import {
  ConcurrentChangeError,
  WriteFailedError,
  type TableWrite,
  type WorkbookPort,
  type WriteFailureState,
} from "../workbook/port";
import type { DateOrder } from "../workbook/dateOrder";
import { runBeyondBound } from "../workbook/ledgerState";
import { formatInputError } from "../workbook/inputErrors";
import { readPostingInput } from "../workbook/read";
import { markStage } from "./stageTimes";
import { makeWriteGuard, type ReadContext } from "../workbook/readContext";

export interface RunRequest {
  /** How slashed dates read (`--date-order`); default: the Settings' Date Order, else decided per table. */
  dateOrder?: DateOrder;
  postingMethod: PostingMethod;
  documentNo: string;
  /** false = dry run (writes only Skipped Entries, the test report and the Run Summary). */
  post: boolean;
  /** A dry run with write false writes nothing (glpost post --dry-run without --out). Default true. */
  write?: boolean;
  itemFilter?: string;
  dateFilter?: string;
  userId?: string;
  /** Defaults to the current clock. */
  now?: Date;
  onProgress?: (p: RunProgress) => void;
  /** Only these value entries take part (Automatic Cost Posting posts the rows just added or changed). */
  entryNos?: number[];
  /**
   * Automatic Cost Posting (rules.md section 8): per Entry, dimension rules enforced instead of overridden,
   * problems returned for the rows (summary.skipped) and the Skipped Entries table left to the batch run.
   */
  automatic?: boolean;
}

export interface RunProgress {
  stage: "reading" | "computing" | "writing" | "done";
  done: number;
  total: number;
  message: string;
}

export interface InputErrorInfo {
  table: string;
  row?: number;
  column?: string;
  value?: string;
  message: string;
  /** The whole message, e.g. `Value Entries, row 7, column "Cost Amount (Actual)": "12a" is not a number`. */
  text: string;
}

/** The `--json` object of cli.md for `post`, amounts as decimal text. */
export interface RunSummary {
  postingMethod: PostingMethod;
  documentNo: string;
  dryRun: boolean;
  entries: { posted: number; alreadyPosted: number; ignored: number; skipped: number };
  glEntries: number;
  registerNo: number | null;
  /** First and last G/L Entry No. written (null when none). */
  fromEntryNo: number | null;
  toEntryNo: number | null;
  totals: { debit: string; credit: string };
  /** howToFix: the Skipped Entries' How to Fix text (summarize() always sets it, as trialBalance). */
  skipped: {
    entryNo: number;
    reasonCode: string;
    reason: string;
    howToFix?: string;
    setupRow?: SetupRowRef;
  }[];
  overriddenDimensionErrors: number;
  /** The proposed postings per G/L account and per posting date; balanced is checked on the entries. */
  trialBalance?: TrialBalanceSummary;
  /** The closing line in report 1002's words, e.g. "14 value entries have been posted to the general ledger." (summarize() always sets it and amounts.) */
  message?: string;
  /** Report 1002's totals by its columns (COGS ... Inventory), LCY decimal text, over the lines posted. */
  amounts?: Record<ReportAmountKey, string>;
}

/** The trial balance as decimal text (RunSummary.trialBalance). */
export interface TrialBalanceSummary {
  accounts: { no: string; name: string; debit: string; credit: string; net: string }[];
  byDate: { date: string; debit: string; credit: string; net: string }[];
  totals: { debit: string; credit: string; net: string };
  balanced: boolean;
}

function trialBalanceSummary(tb: TrialBalance, scale: ReadContext["scale"]): TrialBalanceSummary {
  const money = (m: number) => formatMoney(m, scale);
  return {
    accounts: tb.accounts.map((a) => ({
      no: a.no,
      name: a.name,
      debit: money(a.debit),
      credit: money(a.credit),
      net: money(a.net),
    })),
    byDate: tb.byDate.map((d) => ({
      date: dayToIso(d.date),
      debit: money(d.debit),
      credit: money(d.credit),
      net: money(d.net),
    })),
    totals: {
      debit: money(tb.totals.debit),
      credit: money(tb.totals.credit),
      net: money(tb.totals.net),
    },
    balanced: tb.balanced,
  };
}

/** A write or I/O failure (cli.md exit 3): `--json` prints it as `{"writeError": ...}`. */
export interface WriteErrorInfo {
  path: string;
  /** The OS error code, e.g. "ENOSPC". */
  code: string;
  /** The OS error's text, e.g. "no space left on device (ENOSPC)". */
  osError: string;
  /** nothingWritten | inputUnchanged | halfDone (a CSV folder's journal is in place; the next run completes it). */
  state: WriteFailureState;
  /** The state in words. */
  stateText: string;
  message: string;
}

/** Outcomes every run can end in besides "done" (the CLI maps them to exit codes 1, 2, 1, 3 and 4). */
export type NotDone =
  | { kind: "inputErrors"; errors: InputErrorInfo[] }
  | { kind: "usageError"; message: string }
  | { kind: "concurrentChange"; message: string }
  | { kind: "writeError"; message: string; error: WriteErrorInfo }
  /** A bug (an assertion, a TypeError): nothing was written. */
  | { kind: "internalError"; message: string; detail: string };

export type RunOutcome = NotDone | { kind: "done"; summary: RunSummary };

export interface CheckRequest {
  /** How slashed dates read (`--date-order`); default: the Settings' Date Order, else decided per table. */
  dateOrder?: DateOrder;
  postingMethod: PostingMethod;
  documentNo: string;
  onlyWarnings?: boolean;
  /** false: only compute, write nothing (custom functions, previews). Default true. */
  write?: boolean;
  now?: Date;
  userId?: string;
  onProgress?: (p: RunProgress) => void;
}

export type CheckOutcome =
  | NotDone
  | {
      kind: "done";
      report: TestReport;
      lines: TestReportLine[];
      context: ReadContext;
      input: PostingInput;
      summary: CheckSummary;
    };

/** The `--json` object of cli.md for `check`, amounts as decimal text (shaped here, like post's RunSummary). */
export interface CheckSummary {
  lines: {
    postingDate: string;
    documentNo: string;
    description: string;
    glAccountNo: string;
    amount: string;
    valueEntryNo: number;
    valueEntryNos: number[];
    inventoryAccountType: string | null;
    setup: string;
    warnings: string[];
  }[];
  warnings: number;
}

function summarizeCheck(report: TestReport, context: ReadContext): CheckSummary {
  return {
    lines: report.lines.map((l) => ({
      postingDate: dayToIso(l.postingDate),
      documentNo: l.documentNo,
      description: l.description,
      glAccountNo: l.glAccountNo,
      amount: formatMoney(l.amount, context.scale),
      valueEntryNo: l.valueEntryNo,
      valueEntryNos: l.valueEntryNos ?? [l.valueEntryNo],
      inventoryAccountType:
        l.inventoryAccountType === null ? null : accountTypeCaption(l.inventoryAccountType),
      setup: l.setupKey,
      warnings: l.warnings,
    })),
    warnings: report.warnings,
  };
}

/** The run's clock as the engine takes it: the local calendar date and time. */
export function clockOf(now: Date): RunOptions["now"] {
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000,
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`,
  };
}

export function runOptions(r: RunRequest): RunOptions {
  return {
    postingMethod: r.automatic ? "per Entry" : r.postingMethod,
    documentNo: r.automatic ? "" : r.documentNo.trim(),
    entryNos: r.entryNos === undefined ? undefined : new Set(r.entryNos),
    dimensionRules: r.automatic ? "enforce" : "override",
    post: r.post,
    itemFilter: r.itemFilter ?? "",
    dateFilter: r.dateFilter ?? "",
    now: clockOf(r.now ?? new Date()),
    userId: r.userId ?? "",
  };
}

/** A bug rather than a problem of the input or the disk: nothing is written and the run says so (exit 4). */
export function isBug(e: unknown): boolean {
  // By name, not instanceof: errors from Node itself come from another realm under test runners.
  if (typeof e !== "object" || e === null || typeof (e as Error).message !== "string") return true;
  return ["TypeError", "ReferenceError", "AssertionError", "InternalError"].includes(
    (e as Error).name
  );
}

export function internalError(e: unknown): Extract<NotDone, { kind: "internalError" }> {
  const err =
    typeof e === "object" && e !== null && typeof (e as Error).message === "string"
      ? (e as Error)
      : null;
  const message = err ? err.message : String(e);
  const at = err
    ? ((err.stack ?? "").split("\n").find((l) => l.trim().startsWith("at ")) ?? "")
    : "";
  return {
    kind: "internalError",
    message: `Internal error (a bug in glpost, please report it): ${message}. Nothing was written.`,
    detail: `${err ? err.name : "Error"}: ${message}${at ? ` ${at.trim()}` : ""}`,
  };
}

export function writeError(e: WriteFailedError): Extract<NotDone, { kind: "writeError" }> {
  return {
    kind: "writeError",
    message: e.message,
    error: {
      path: e.path,
      code: e.code,
      osError: e.osError,
      state: e.state,
      stateText: e.stateText,
      message: e.message,
    },
  };
}

/** A file or table that cannot be read at all (broken JSON, not an .xlsx, a missing table): one input error. */
export function unreadable(e: unknown): Extract<NotDone, { kind: "inputErrors" }> {
  const message =
    typeof e === "object" && e !== null && typeof (e as Error).message === "string"
      ? (e as Error).message
      : String(e);
  return { kind: "inputErrors", errors: [{ table: "", message, text: message }] };
}

/** What a failure while writing means: someone changed the workbook, the disk failed, the layout blocks it, or a bug. */
export function writeFailed(e: unknown): NotDone {
  if (e instanceof ConcurrentChangeError) return { kind: "concurrentChange", message: e.message };
  if (e instanceof WriteFailedError) return writeError(e);
  // The workbook's layout blocks the write (a cell in the way): the user fixes the workbook; nothing was written.
  if (e instanceof Error && (e.name === "XlsxWriteError" || e.name === "TableWriteError"))
    return unreadable(e);
  return internalError(e);
}

/** Writes `writes` guarded by the read they were planned from: null when written, else what went wrong. */
export async function writeGuarded(
  port: WorkbookPort,
  writes: TableWrite[],
  context: ReadContext
): Promise<NotDone | null> {
  try {
    await port.write(writes, makeWriteGuard(context));
    return null;
  } catch (e) {
    return writeFailed(e);
  }
}

async function readInput(
  port: WorkbookPort,
  progress: (p: RunProgress) => void,
  dateOrder?: DateOrder
) {
  progress({ stage: "reading", done: 0, total: 1, message: "Reading the workbook" });
  let read;
  try {
    read = await readPostingInput(port, { dateOrder });
  } catch (e) {
    return {
      failed:
        e instanceof WriteFailedError ? writeError(e) : isBug(e) ? internalError(e) : unreadable(e),
    } as const;
  }
  if (read.input === null || read.errors.length > 0) {
    return {
      failed: {
        kind: "inputErrors",
        errors: read.errors.map((e): InputErrorInfo => ({ ...e, text: formatInputError(e) })),
      },
    } as const;
  }
  return { input: read.input, context: read.context } as const;
}

async function writeAll(
  port: WorkbookPort,
  writes: TableWrite[],
  context: ReadContext,
  progress: (p: RunProgress) => void,
  guarded: boolean
) {
  const total = writes.reduce(
    (n, w) => n + (w.kind === "update" ? w.updates.length : w.rows.length),
    0
  );
  progress({ stage: "writing", done: 0, total, message: `Writing ${total} rows` });
  await port.write(writes, guarded ? makeWriteGuard(context) : null, (done, all, what) =>
    progress({ stage: "writing", done, total: all, message: what })
  );
}

export function summarize(
  result: PostingResult,
  context: ReadContext,
  tb?: TrialBalance
): RunSummary {
  const money = (m: number) => formatMoney(m, context.scale);
  const c = result.counts;
  const written = result.options.post && result.register !== null;
  return {
    postingMethod: result.options.postingMethod,
    documentNo: result.options.documentNo,
    dryRun: !result.options.post,
    entries: {
      posted: c.posted,
      alreadyPosted: c.alreadyPosted,
      ignored: c.ignored,
      skipped: c.skipped,
    },
    glEntries: glEntryList(result).length,
    registerNo: written ? result.register!.no : null,
    fromEntryNo: written ? result.register!.fromEntryNo : null,
    toEntryNo: written ? result.register!.toEntryNo : null,
    totals: { debit: money(result.totals.debit), credit: money(result.totals.credit) },
    skipped: result.skipped.map((s) => ({
      entryNo: s.valueEntryNo,
      reasonCode: s.reasonCode,
      reason: s.reason,
      howToFix: s.howToFix,
      setupRow: s.problems.find((p) => p.setupRow)?.setupRow,
    })),
    overriddenDimensionErrors: result.overriddenDimensionErrors,
    trialBalance: trialBalanceSummary(tb ?? trialBalance(glEntryList(result)), context.scale),
    message: closingMessage(c.posted, result.options.post),
    amounts: Object.fromEntries(
      Object.entries(reportAmounts(result)).map(([k, v]) => [k, money(v)])
    ) as Record<ReportAmountKey, string>,
  };
}

/**
 * Post Inventory Cost to G/L on a workbook. Input errors and usage errors write nothing; a dry run writes
 * only Skipped Entries and the test report; a concurrent change (someone posted meanwhile) writes nothing.
 */
export async function postWorkbook(port: WorkbookPort, request: RunRequest): Promise<RunOutcome> {
  const report = request.onProgress;
  const progress = (p: RunProgress) => {
    markStage(p.stage);
    report?.(p);
  };
  // Checked once, here; the engine takes them parsed.
  const checked = parseRunOptions(runOptions(request));
  if (!checked.ok) return { kind: "usageError", message: checked.error };
  const options: CheckedRunOptions = checked.options;
  const read = await readInput(port, progress, request.dateOrder);
  if ("failed" in read) return read.failed!;
  const { input, context } = read;

  progress({
    stage: "computing",
    done: 0,
    total: input.valueEntries.length,
    message: `Posting ${input.valueEntries.length} value entries`,
  });
  let result: PostingResult;
  let writes: TableWrite[];
  let tb: TrialBalance;
  try {
    // A dry run makes its test report from the same evaluation of each entry.
    const run = options.post
      ? { result: postInventoryCostToGL(input, options), report: null }
      : dryRun(input, options);
    result = run.result;
    // Balanced per posting date in LCY and ACY, asserted before anything is written (a bug otherwise: exit 4).
    assertPostingInvariants(result);
    writes = planWrites(result, input, context, run.report === null ? null : run.report.lines);
    tb = trialBalance(glEntryList(result));
    // The run's trial balance, for the controller (automatic posting leaves it to the batch run).
    if (!request.automatic)
      writes.push(
        planRunSummary(
          tb,
          options.post && result.register !== null ? result.register.no : null,
          context
        )
      );
  } catch (e) {
    // Amounts too large to add exactly are the input's; anything else here is a bug. Nothing was written.
    if (e instanceof Error && e.name === "MoneyOverflowError") return unreadable(e);
    return internalError(e);
  }
  // Numbers BC's 32-bit ledgers cannot hold: refused before anything is written.
  const beyond = options.post
    ? runBeyondBound({ glEntries: glEntryList(result), register: result.register })
    : null;
  if (beyond !== null)
    return { kind: "inputErrors", errors: [{ ...beyond, text: formatInputError(beyond) }] };
  // Automatic posting shows its problems on the rows; the Skipped Entries list stays the batch run's.
  if (request.automatic)
    writes = writes.filter(
      (w) => !(w.kind === "replace" && w.names === OUTPUT_TABLES.skippedEntries.names)
    );
  // A dry run that is only looked at (glpost post --dry-run without --out) writes nothing.
  if (!options.post && request.write === false) writes = [];
  try {
    if (writes.length > 0) await writeAll(port, writes, context, progress, options.post);
  } catch (e) {
    return writeFailed(e);
  }
  const summary = summarize(result, context, tb);
  progress({ stage: "done", done: 1, total: 1, message: "Done" });
  return { kind: "done", summary };
}

/** The test report (rules.md section 7): computes the lines and (unless write is false) replaces the report table. */
export async function checkWorkbook(
  port: WorkbookPort,
  request: CheckRequest
): Promise<CheckOutcome> {
  const progress = request.onProgress ?? (() => {});
  const checked = parseRunOptions(runOptions({ ...request, post: false }));
  if (!checked.ok) return { kind: "usageError", message: checked.error };
  const options: CheckedRunOptions = checked.options;
  const read = await readInput(port, progress, request.dateOrder);
  if ("failed" in read) return read.failed!;
  const { input, context } = read;
  progress({ stage: "computing", done: 0, total: input.valueEntries.length, message: "Checking" });
  let report: TestReport;
  let write: TableWrite;
  try {
    report = testReport(input, options, request.onlyWarnings ?? false);
    write = planTestReport(report.lines, input, context);
  } catch (e) {
    if (e instanceof Error && e.name === "MoneyOverflowError") return unreadable(e);
    return internalError(e);
  }
  if (request.write !== false) {
    try {
      await writeAll(port, [write], context, progress, false);
    } catch (e) {
      return writeFailed(e);
    }
  }
  progress({ stage: "done", done: 1, total: 1, message: "Done" });
  return {
    kind: "done",
    report,
    lines: report.lines,
    context,
    input,
    summary: summarizeCheck(report, context),
  };
}
