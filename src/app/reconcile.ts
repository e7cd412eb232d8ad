/**
 * glpost reconcile and glpost trace for every front end: read the workbook as a posting run reads it
 * (readPostingInput) plus its G/L Entries and G/L - Item Ledger Relation as records, compute with the pure
 * engine (reconcile.ts, trace.ts), and (reconcile only) replace the Inventory - G/L Reconciliation and
 * Reconciliation Detail tables. Nothing else of the workbook is written, so no posting guard is needed.
 */
import { formatMoney, type MoneyScale } from "../engine/money";
import {
  cellLabel,
  checkReconcileOptions,
  explanationLabel,
  MATRIX_COLUMNS,
  MATRIX_ROWS,
  reconcile,
  type LedgerGLEntry,
  type LedgerRelation,
  type Reconciliation,
} from "../engine/reconcile";
import { trace, type TraceResult, type TraceStart } from "../engine/trace";
import type { PostingInput } from "../engine/types";
import type { DateOrder } from "../workbook/dateOrder";
import { readGLEntries, readRelations } from "../workbook/ledgerRead";
import { planReconciliation } from "../workbook/outputs";
import { WriteFailedError, type WorkbookPort } from "../workbook/port";
import { formatInputError, type InputError } from "../workbook/inputErrors";
import { readPostingInput } from "../workbook/read";
import { type ReadContext } from "../workbook/readContext";
import {
  internalError,
  isBug,
  unreadable,
  writeError,
  writeFailed,
  type InputErrorInfo,
  type NotDone,
} from "./run";

export interface ReconcileRequest {
  dateOrder?: DateOrder;
  dateFilter?: string;
  itemFilter?: string;
  locationFilter?: string;
  /** false: compute only (previews, custom functions). Default true. */
  write?: boolean;
  /**
   * Read a ledger whose G/L Registers lack a register of its G/L entries (=INVT.RECONCILE takes no G/L
   * Registers range). Default false: an interrupted run is refused as for a post (run glpost repair).
   */
  allowInterrupted?: boolean;
}

/** cli.md's `reconcile --json`, amounts as decimal text (null: a cell blank by layout). */
export interface ReconcileSummary {
  matrix: ({ row: string; Warning: string } & Record<
    (typeof MATRIX_COLUMNS)[number],
    string | null
  >)[];
  /** Σ |difference| over the fields; null with an Item or Location filter (no G/L side). */
  difference: string | null;
  explanations: {
    cause: string;
    field: string;
    label: string;
    text: string;
    amount: string;
    valueEntries: number[];
    glEntries: number[];
  }[];
  /** Every non-zero cell with the entries behind it. */
  cells: {
    row: string;
    column: string;
    label: string;
    amount: string;
    valueEntries: number[];
    glEntries: number[];
  }[];
}

export type ReconcileOutcome =
  | NotDone
  | { kind: "done"; summary: ReconcileSummary; reconciliation: Reconciliation; scale: MoneyScale };

interface Ledger {
  input: PostingInput;
  context: ReadContext;
  glEntries: LedgerGLEntry[];
  relations: LedgerRelation[];
}

const errorsOut = (errors: InputError[]): NotDone => ({
  kind: "inputErrors",
  errors: errors.map((e): InputErrorInfo => ({ ...e, text: formatInputError(e) })),
});

async function readLedger(
  port: WorkbookPort,
  dateOrder: DateOrder | undefined,
  allowInterrupted = false
): Promise<Ledger | NotDone> {
  try {
    const read = await readPostingInput(port, { dateOrder, allowInterrupted });
    if (read.input === null || read.errors.length > 0) return errorsOut(read.errors);
    const errors: InputError[] = [];
    const o = read.context.outputs;
    const glTable = o.glEntries === undefined ? undefined : await port.readTable(o.glEntries);
    const relTable =
      o.glItemLedgerRelation === undefined
        ? undefined
        : await port.readTable(o.glItemLedgerRelation);
    const glEntries = readGLEntries(glTable, read.context.scale, dateOrder ?? null, errors);
    const relations = readRelations(relTable, errors);
    if (errors.length > 0) return errorsOut(errors);
    return { input: read.input, context: read.context, glEntries, relations };
  } catch (e) {
    return e instanceof WriteFailedError
      ? writeError(e)
      : isBug(e)
        ? internalError(e)
        : unreadable(e);
  }
}

function summarizeReconciliation(rec: Reconciliation, scale: MoneyScale): ReconcileSummary {
  const money = (m: number) => formatMoney(m, scale);
  const matrix: ReconcileSummary["matrix"] = [];
  let i = 0;
  for (const row of MATRIX_ROWS) {
    const line = { row } as ReconcileSummary["matrix"][number];
    for (const column of MATRIX_COLUMNS) {
      const b = rec.cells[i++].bucket;
      line[column] = b === null ? null : money(b.amount);
    }
    line.Warning = rec.warnings.get(row) ?? "";
    matrix.push(line);
  }
  return {
    matrix,
    difference: rec.glSide ? money(rec.totalAbsoluteDifference) : null,
    explanations: rec.explanations.map((x) => ({
      cause: x.cause,
      field: x.fieldCaption,
      label: explanationLabel(x),
      text: x.text,
      amount: money(x.amount),
      valueEntries: x.valueEntryNos,
      glEntries: x.glEntryNos,
    })),
    cells: rec.cells
      .filter((c) => c.bucket !== null && c.bucket.amount !== 0)
      .map((c) => ({
        row: c.row,
        column: c.column,
        label: cellLabel(c),
        amount: money(c.bucket!.amount),
        valueEntries: c.bucket!.valueEntryNos,
        glEntries: c.bucket!.glEntryNos,
      })),
  };
}

/** Inventory - G/L Reconciliation of a workbook; writes its two tables unless request.write is false. */
export async function reconcileWorkbook(
  port: WorkbookPort,
  request: ReconcileRequest = {}
): Promise<ReconcileOutcome> {
  const options = {
    dateFilter: request.dateFilter ?? "",
    itemFilter: request.itemFilter ?? "",
    locationFilter: request.locationFilter ?? "",
  };
  const usage = checkReconcileOptions(options);
  if (usage !== null) return { kind: "usageError", message: usage };
  const ledger = await readLedger(port, request.dateOrder, request.allowInterrupted);
  if ("kind" in ledger) return ledger;
  let rec: Reconciliation;
  try {
    rec = reconcile(
      { posting: ledger.input, glEntries: ledger.glEntries, relations: ledger.relations },
      options
    );
  } catch (e) {
    if (e instanceof Error && e.name === "MoneyOverflowError") return unreadable(e);
    return internalError(e);
  }
  if (request.write !== false) {
    try {
      await port.write(planReconciliation(rec, ledger.context), null);
    } catch (e) {
      return writeFailed(e);
    }
  }
  return {
    kind: "done",
    summary: summarizeReconciliation(rec, ledger.context.scale),
    reconciliation: rec,
    scale: ledger.context.scale,
  };
}

export type TraceOutcome = NotDone | { kind: "done"; result: TraceResult; scale: MoneyScale };

/** Trace from a G/L entry or a value entry (reads only). */
export async function traceWorkbook(
  port: WorkbookPort,
  start: TraceStart,
  request: { dateOrder?: DateOrder } = {}
): Promise<TraceOutcome> {
  const ledger = await readLedger(port, request.dateOrder);
  if ("kind" in ledger) return ledger;
  return {
    kind: "done",
    result: trace(ledger.input.valueEntries, ledger.glEntries, ledger.relations, start),
    scale: ledger.context.scale,
  };
}
