/**
 * glpost: the posting engine on files (cli.md). Human messages and progress go to stderr; --json prints one
 * JSON object on stdout. Exit codes: 0 done (also with skipped entries), 1 input errors (also: the workbook is
 * locked by another run, or was changed since it was read), 2 wrong usage, 3 a write or I/O failure (the
 * path, the OS error, the state the files are in), 4 an internal error (a bug; nothing written).
 */
import * as os from "os";
import { repairWorkbook } from "../app/repair";
import { undoMessage, undoWorkbook } from "../app/undo";
import { reconcileOn, traceOn } from "./reconcile";
import {
  checkWorkbook,
  internalError,
  isBug,
  postWorkbook,
  unreadable,
  writeError,
  type InputErrorInfo,
  type NotDone,
  type RunProgress,
  type RunSummary,
} from "../app/run";
import { REPORT_AMOUNTS } from "../engine/post";
import type { PostingMethod } from "../engine/types";
import { acquireLock, LockHeldError, lockPathFor } from "../files/commit";
import { openForRun, workbookFormat, type OpenedWorkbook } from "../files/open";
import { postStreamed } from "../app/stream";
import { WriteFailedError } from "../workbook/port";
import { parseArgs, UsageError, USAGE, type Args } from "./args";
import { initOn } from "./initCommand";
import { skippedText, testReportText, trialBalanceText, balanceWords } from "./summaryText";
import { commandHelp, version } from "./usage";

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stderr is a terminal: show a progress bar. */
  tty: boolean;
}

const nodeIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  tty: process.stderr.isTTY === true,
};

function method(args: Args): PostingMethod {
  return args.method === "entry" ? "per Entry" : "per Posting Group";
}

/** A progress line on a terminal for runs that take long; nothing when stderr is not a terminal. */
function progressReporter(io: Io): (p: RunProgress) => void {
  if (!io.tty) return () => {};
  const start = Date.now();
  let last = 0;
  let shown = false;
  return (p) => {
    const now = Date.now();
    if (p.stage === "done") {
      if (shown) io.stderr("\r\x1b[K");
      return;
    }
    if (now - start < 500 || now - last < 100) return;
    last = now;
    shown = true;
    const width = 30;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    io.stderr(`\r\x1b[K${p.stage.padEnd(9)} [${bar}] ${p.message}`);
  };
}

function inputErrorsOut(errors: InputErrorInfo[], args: Args, io: Io): number {
  if (args.json)
    io.stdout(
      JSON.stringify(
        {
          inputErrors: errors.map(({ table, row, column, value, message, text }) => ({
            table,
            row,
            column,
            value,
            message,
            text,
          })),
        },
        null,
        2
      ) + "\n"
    );
  io.stderr(
    `${errors.length} input error${errors.length === 1 ? "" : "s"}; nothing was posted or written:\n`
  );
  for (const e of errors) io.stderr(`  ${e.text}\n`);
  return 1;
}

function humanSummary(s: RunSummary, where: string): string {
  const lines = [
    `${s.dryRun ? "Dry run" : "Posted"} ${s.postingMethod}${s.documentNo ? `, Document No. ${s.documentNo}` : ""}: ${where}`,
    `  value entries: ${s.entries.posted} posted, ${s.entries.alreadyPosted} already posted, ${s.entries.ignored} ignored, ${s.entries.skipped} skipped`,
    `  G/L entries: ${s.glEntries}${s.registerNo !== null ? ` (no. ${s.fromEntryNo}..${s.toEntryNo}), G/L Register ${s.registerNo}` : s.dryRun ? " would be posted" : ""}`,
    `  debit ${s.totals.debit}, credit ${s.totals.credit}`,
  ];
  if (s.trialBalance !== undefined) lines[lines.length - 1] += ` (${balanceWords(s.trialBalance)})`;
  if (s.overriddenDimensionErrors > 0)
    lines.push(`  dimension errors overridden: ${s.overriddenDimensionErrors}`);
  // The controller's view: the trial balance of the run and the skipped entries, as tables.
  const tables = [
    s.trialBalance === undefined ? "" : trialBalanceText(s.trialBalance),
    skippedText(s.skipped),
  ].filter((t) => t !== "");
  if (tables.length > 0) lines.push("", ...tables.join("\n").trimEnd().split("\n"), "");
  // Report 1002's amount columns, then its closing message.
  const amounts = s.amounts;
  if (amounts !== undefined)
    lines.push(
      `  amounts: ${REPORT_AMOUNTS.map((a) => `${a.caption} ${amounts[a.key]}`).join(", ")}`
    );
  if (s.message !== undefined) lines.push(s.message);
  return lines.join("\n") + "\n";
}

/** Opens the input under its lock (files/open.ts); the caller closes it on every path. */
async function open(args: Args, io: Io): Promise<OpenedWorkbook> {
  const opened = await openForRun(args.input, args.out, args.command);
  for (const n of opened.notices) io.stderr(`glpost: ${n}\n`);
  return opened;
}

/** Runs a command on the opened input and releases its lock on every path. */
async function withWorkbook(
  args: Args,
  io: Io,
  run: (opened: OpenedWorkbook) => Promise<number>
): Promise<number> {
  let opened: OpenedWorkbook;
  try {
    opened = await open(args, io);
  } catch (e) {
    // A file that cannot be opened or read (missing, empty, not an .xlsx, broken JSON) is an input error;
    // a lock held by another run, a failure to create the output folder or a bug are not.
    if (e instanceof LockHeldError || e instanceof WriteFailedError || isBug(e)) throw e;
    return notDone(unreadable(e), args, io);
  }
  try {
    return await run(opened);
  } finally {
    await opened.close();
  }
}

/** Exit code and output for the outcomes that are not "done" (the same for every command). */
function notDone(outcome: NotDone, args: Args, io: Io): number {
  switch (outcome.kind) {
    case "usageError":
      throw new UsageError(outcome.message);
    case "inputErrors":
      return inputErrorsOut(outcome.errors, args, io);
    case "concurrentChange":
      if (args.json) io.stdout(JSON.stringify({ error: outcome.message }) + "\n");
      io.stderr(outcome.message + "\n");
      return 1;
    case "writeError":
      if (args.json) io.stdout(JSON.stringify({ writeError: outcome.error }, null, 2) + "\n");
      io.stderr(`glpost: ${outcome.message}\n`);
      return 3;
    case "internalError":
      if (args.json)
        io.stdout(
          JSON.stringify(
            { internalError: { message: outcome.message, detail: outcome.detail } },
            null,
            2
          ) + "\n"
        );
      io.stderr(`glpost: ${outcome.message}\n  ${outcome.detail}\n`);
      return 4;
    default:
      return unhandled(outcome);
  }
}

/** Exhaustiveness, checked by the compiler: an outcome kind without a case above makes `x` not `never`. */
function unhandled(x: never): never {
  throw new Error(`glpost: unhandled outcome ${JSON.stringify(x)}`);
}

/** An exception that reached the top: a lock held by another run (1), a write failure (3), or a bug (4). */
function failureOut(e: unknown, args: Args, io: Io): number {
  if (e instanceof LockHeldError) {
    if (args.json)
      io.stdout(
        JSON.stringify(
          {
            locked: { lockFile: e.lockPath, holder: e.holder, stale: e.stale, message: e.message },
          },
          null,
          2
        ) + "\n"
      );
    io.stderr(`glpost: ${e.message}\n`);
    return 1;
  }
  if (e instanceof WriteFailedError) return notDone(writeError(e), args, io);
  return notDone(internalError(e), args, io);
}

async function post(args: Args, io: Io): Promise<number> {
  if (args.stream === true) return postStreamedCli(args, io);
  return withWorkbook(args, io, ({ port }) => postOn(port, args, io));
}

/** glpost post <folder> --stream: the folder's lock, then the streamed run (progress lines on stderr). */
async function postStreamedCli(args: Args, io: Io): Promise<number> {
  const format = await workbookFormat(args.input);
  if (format !== "csv")
    throw new UsageError(
      `--stream reads a folder (CSV files, Value Entries as CSV or Parquet); ${args.input} is ${format === null ? "not one" : `a ${format === "xlsx" ? ".xlsx file" : "JSON workbook"}`} (post it without --stream).`
    );
  const lock = await acquireLock(await lockPathFor(args.input, true), args.input, args.command);
  if (lock.tookOver)
    io.stderr(
      `glpost: Took over the lock left by ${lock.tookOver.owner} (process ${lock.tookOver.pid}, since ${lock.tookOver.started}), which is no longer running.\n`
    );
  try {
    const outcome = await postStreamed(args.input, {
      postingMethod: method(args),
      documentNo: args.documentNo ?? "",
      post: !args.dryRun,
      itemFilter: args.item ?? "",
      dateFilter: args.date ?? "",
      userId: args.user ?? safeUser(),
      dateOrder: args.dateOrder,
      outputFolder: args.out,
      onStreamProgress: (line) => io.stderr(`glpost: ${line}\n`),
    });
    if (outcome.kind !== "done") return notDone(outcome, args, io);
    if (args.json) io.stdout(JSON.stringify(outcome.summary, null, 2) + "\n");
    io.stderr(humanSummary(outcome.summary, args.out ?? args.input));
    return 0;
  } finally {
    await lock.release();
  }
}

async function postOn(port: OpenedWorkbook["port"], args: Args, io: Io): Promise<number> {
  const outcome = await postWorkbook(port, {
    postingMethod: method(args),
    documentNo: args.documentNo ?? "",
    post: !args.dryRun,
    // A dry run writes a file only with --out (cli.md): without it the input stays byte-identical.
    write: !args.dryRun || args.out !== undefined,
    itemFilter: args.item ?? "",
    dateFilter: args.date ?? "",
    userId: args.user ?? safeUser(),
    dateOrder: args.dateOrder,
    onProgress: progressReporter(io),
  });
  if (outcome.kind !== "done") return notDone(outcome, args, io);
  if (args.json) io.stdout(JSON.stringify(outcome.summary, null, 2) + "\n");
  io.stderr(
    humanSummary(
      outcome.summary,
      args.dryRun && args.out === undefined
        ? `${args.input} (nothing written; --out writes the Skipped Entries, test report and Run Summary)`
        : (args.out ?? args.input)
    )
  );
  return 0;
}

async function check(args: Args, io: Io): Promise<number> {
  return withWorkbook(args, io, ({ port }) => checkOn(port, args, io));
}

async function checkOn(port: OpenedWorkbook["port"], args: Args, io: Io): Promise<number> {
  const outcome = await checkWorkbook(port, {
    postingMethod: method(args),
    // The run's user, as post has it: a User Setup row for that user decides the allowed posting dates.
    userId: args.user ?? safeUser(),
    documentNo: args.documentNo ?? "",
    onlyWarnings: args.onlyWarnings,
    dateOrder: args.dateOrder,
    // The report table is written only with --out (cli.md); without it the report is printed.
    write: args.out !== undefined,
    onProgress: progressReporter(io),
  });
  if (outcome.kind !== "done") return notDone(outcome, args, io);
  if (args.json) io.stdout(JSON.stringify(outcome.summary, null, 2) + "\n");
  io.stderr(
    `Post Inventory Cost to G/L - Test: ${outcome.report.lines.length} line${outcome.report.lines.length === 1 ? "" : "s"}, ${outcome.report.warnings} warning${outcome.report.warnings === 1 ? "" : "s"}${args.out !== undefined ? ` (written to the "Post Inventory Cost to G/L - Test" table of ${args.out})` : ""}\n`
  );
  if (!args.json) io.stdout(testReportText(outcome.lines, outcome.context.scale));
  // A merged per Posting Group line (Value Entry No. 0, as in BC) names the entries it comes from.
  const from = (l: (typeof outcome.lines)[number]) => {
    const nos = l.valueEntryNo !== 0 ? [l.valueEntryNo] : (l.valueEntryNos ?? []);
    return `${nos.length === 1 ? "entry" : "entries"} ${nos.join(", ")}`;
  };
  for (const l of outcome.lines)
    for (const w of l.warnings)
      io.stderr(`  ${from(l)}${l.glAccountNo ? `, account ${l.glAccountNo}` : ""}: ${w}\n`);
  return 0;
}

/** glpost repair: `{"registerNo", "action", "glEntries", "valueEntries"}` with --json; a refusal is exit 1. */
async function repairOn(port: OpenedWorkbook["port"], args: Args, io: Io): Promise<number> {
  const outcome = await repairWorkbook(port, {
    dateOrder: args.dateOrder,
    userId: args.user ?? safeUser(),
  });
  if (outcome.kind === "refused") {
    if (args.json) io.stdout(JSON.stringify({ error: outcome.message }) + "\n");
    io.stderr(`glpost: ${outcome.message}\n`);
    return 1;
  }
  if (outcome.kind !== "done") return notDone(outcome, args, io);
  const s = outcome.summary;
  if (args.json) io.stdout(JSON.stringify(s, null, 2) + "\n");
  const where = args.out ?? args.input;
  io.stderr(
    s.action === "none"
      ? `Nothing to repair: ${where} holds no interrupted run.\n`
      : s.action === "completed"
        ? `G/L Register ${s.registerNo} completed: its ${s.glEntries} G/L entries kept, the posted columns of ${s.valueEntries} value entries and the register row written (${where}).\n`
        : `G/L Register ${s.registerNo} rolled back: its ${s.glEntries} G/L entries and their relation rows removed, the posted columns of ${s.valueEntries} value entries set back (${where}). Post again to post that cost once.\n`
  );
  return 0;
}

/** glpost undo: `{"registerNo", "glEntriesRemoved", "valueEntriesRestored"}` with --json; a refusal is exit 1. */
async function undoOn(port: OpenedWorkbook["port"], args: Args, io: Io): Promise<number> {
  const outcome = await undoWorkbook(port, {
    dateOrder: args.dateOrder,
    registerNo: args.register === undefined ? undefined : Number(args.register.trim()),
  });
  if (outcome.kind === "refused") {
    if (args.json) io.stdout(JSON.stringify({ error: outcome.message }) + "\n");
    io.stderr(`glpost: ${outcome.message}\n`);
    return 1;
  }
  if (outcome.kind !== "done") return notDone(outcome, args, io);
  if (args.json) io.stdout(JSON.stringify(outcome.summary, null, 2) + "\n");
  io.stderr(`${undoMessage(outcome)} (${args.out ?? args.input})\n`);
  return 0;
}

/** rules.md section 5 in BC's words, plus the options that fix it (before the workbook is opened). */
function documentNoRule(args: Args): void {
  const perGroup = args.method !== "entry";
  const docNo = (args.documentNo ?? "").trim();
  if (perGroup && docNo === "")
    throw new UsageError(
      "Please enter a Document No. when posting per Posting Group. Give one with --document-no <no>, or post per Entry (each value entry's own document no.) with --method entry."
    );
  if (!perGroup && docNo !== "")
    throw new UsageError(
      "Do not enter a Document No. when posting per Entry. Leave out --document-no, or post per Posting Group with --method group."
    );
}

function safeUser(): string {
  try {
    return os.userInfo().username.toUpperCase();
  } catch {
    return "";
  }
}

export async function main(argv: readonly string[], io: Io = nodeIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      // With --json a usage error is JSON too (cli.md): scripts read stdout.
      if (argv.includes("--json")) io.stdout(JSON.stringify({ usageError: e.message }) + "\n");
      io.stderr(`glpost: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    switch (args.command) {
      case "help":
        io.stdout((args.helpFor !== undefined ? commandHelp(args.helpFor) : USAGE) + "\n");
        return 0;
      case "version":
        io.stdout(`glpost ${version()}\n`);
        return 0;
      case "init":
        return await initOn(args, io);
      case "post":
        documentNoRule(args);
        return await post(args, io);
      case "check":
        documentNoRule(args);
        return await check(args, io);
      case "repair":
        return await withWorkbook(args, io, ({ port }) => repairOn(port, args, io));
      case "reconcile":
        return await withWorkbook(args, io, ({ port }) =>
          reconcileOn(port, args, io, (o) => notDone(o, args, io))
        );
      case "trace":
        return await withWorkbook(args, io, ({ port }) =>
          traceOn(port, args, io, (o) => notDone(o, args, io))
        );
      case "undo":
        return await withWorkbook(args, io, ({ port }) => undoOn(port, args, io));
    }
  } catch (e) {
    if (e instanceof UsageError) {
      if (args.json) io.stdout(JSON.stringify({ usageError: e.message }) + "\n");
      io.stderr(`glpost: ${e.message}\n`);
      return 2;
    }
    return failureOut(e, args, io);
  }
}
