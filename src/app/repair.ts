/**
 * glpost repair (cli.md) for every front end: a workbook holding a run that was interrupted while writing
 * (a register of ours that G/L Registers lacks) is completed or rolled back from what it holds. The policy is
 * ledgerState.ts planRepair's; this reads the workbook, plans, and writes in one guarded write.
 */
import type { DateOrder } from "../workbook/dateOrder";
import {
  planRepair,
  type LedgerTables,
  type PostedRestore,
  type Rollback,
} from "../workbook/ledgerState";
import { planRegisterAppend, planValueEntryUpdate } from "../workbook/outputs";
import { WriteFailedError, type TableWrite, type WorkbookPort } from "../workbook/port";
import type { PostingInput } from "../engine/types";
import { formatInputError } from "../workbook/inputErrors";
import { readPostingInput, type ReadPostingOptions, type ReadResult } from "../workbook/read";
import { type ReadContext } from "../workbook/readContext";
import { findColumnInHeader } from "../workbook/names";
import { POSTED_FIELDS, postedColumn, type PostedField } from "../workbook/schema";
import {
  clockOf,
  internalError,
  isBug,
  unreadable,
  writeError,
  writeGuarded,
  type InputErrorInfo,
  type NotDone,
} from "./run";

export interface RepairRequest {
  dateOrder?: DateOrder;
  /** User ID of the register row a completed run gets. */
  userId?: string;
  now?: Date;
}

/** The `--json` object of cli.md for repair; action 'none' when the workbook holds no interrupted run. */
export interface RepairSummary {
  registerNo: number | null;
  action: "completed" | "rolledBack" | "none";
  /** G/L entries of the register: kept (completed) or removed (rolled back). */
  glEntries: number;
  /** Value entries whose posted columns the repair wrote. */
  valueEntries: number;
}

export type RepairOutcome =
  | NotDone
  /** The register cannot be completed nor safely rolled back; nothing was changed. */
  | { kind: "refused"; message: string }
  | { kind: "done"; summary: RepairSummary };

/** A posted column's header as the Value Entries table spells it (also one the run does not read now), else the caption. */
function headerOf(context: ReadContext, f: PostedField): string {
  const col = postedColumn(f);
  const at = findColumnInHeader(context.valueEntriesHeader, col.name, col.aliases);
  return at >= 0 ? context.valueEntriesHeader[at] : col.name;
}

/** The posted cells a roll back sets back, one update write per posted column (each cell as planned). */
function restoreWrites(restore: readonly PostedRestore[], context: ReadContext): TableWrite[] {
  const ve = context.tables.valueEntries;
  if (ve === undefined || restore.length === 0) return [];
  const header = new Map(context.postedColumns.map((p) => [p.field, p.header] as const));
  const writes: TableWrite[] = [];
  for (const f of POSTED_FIELDS) {
    const cells = restore.filter((r) => r.field === f);
    if (cells.length === 0) continue;
    writes.push({
      kind: "update",
      table: ve,
      columns: [{ name: header.get(f) ?? headerOf(context, f), format: "money" }],
      updates: cells.map((r) => ({ row: context.valueEntryRows[r.index], values: [r.value] })),
    });
  }
  return writes;
}

/**
 * The input and the ledger tables (G/L Entries, relations, registers, register changes) as repair and undo need
 * them, or the outcome that stops them (input errors, a failed read, a bug).
 */
export async function readLedger(
  port: WorkbookPort,
  options: ReadPostingOptions
): Promise<
  { read: ReadResult & { input: PostingInput }; ledger: LedgerTables } | { failed: NotDone }
> {
  const ledger: LedgerTables = {};
  try {
    const read = await readPostingInput(port, options);
    if (read.input === null || read.errors.length > 0)
      return {
        failed: {
          kind: "inputErrors",
          errors: read.errors.map((e): InputErrorInfo => ({ ...e, text: formatInputError(e) })),
        },
      };
    const o = read.context.outputs;
    if (o.glEntries !== undefined) ledger.glEntries = await port.readTable(o.glEntries);
    if (o.glItemLedgerRelation !== undefined)
      ledger.relations = await port.readTable(o.glItemLedgerRelation);
    if (o.glRegisters !== undefined) ledger.registers = await port.readTable(o.glRegisters);
    if (o.glRegisterChanges !== undefined)
      ledger.changes = await port.readTable(o.glRegisterChanges);
    return { read: read as ReadResult & { input: PostingInput }, ledger };
  } catch (e) {
    return {
      failed:
        e instanceof WriteFailedError ? writeError(e) : isBug(e) ? internalError(e) : unreadable(e),
    };
  }
}

export async function repairWorkbook(
  port: WorkbookPort,
  request: RepairRequest = {}
): Promise<RepairOutcome> {
  const r = await readLedger(port, { allowInterrupted: true, dateOrder: request.dateOrder });
  if ("failed" in r) return r.failed;
  const { read, ledger } = r;
  const { input, context } = read;
  let writes: TableWrite[];
  let summary: RepairSummary;
  try {
    const plan = planRepair(ledger, input.valueEntries, {
      acy: context.acy,
      scale: context.scale,
      now: clockOf(request.now ?? new Date()),
      userId: request.userId ?? "",
    });
    switch (plan.action) {
      case "none":
        return {
          kind: "done",
          summary: { registerNo: null, action: "none", glEntries: 0, valueEntries: 0 },
        };
      case "refused":
        return { kind: "refused", message: plan.message };
      case "completed": {
        // The posted columns the run had not written, then the register row: the same order (and cells) as the run.
        writes = [];
        const update = planValueEntryUpdate({ postedParts: plan.postedParts }, input, context);
        if (update !== null) writes.push(update);
        writes.push(
          planRegisterAppend(plan.register, context, ["Entries Skipped", "Input Fingerprint"])
        );
        break;
      }
      case "rolledBack": {
        // The reverse of the run's order: posted columns back, then relation rows, then G/L entries. Cut short,
        // each step leaves a state the next repair handles again.
        writes = rollbackWrites(plan, context);
        break;
      }
    }
    summary = {
      registerNo: plan.registerNo,
      action: plan.action,
      glEntries: plan.glEntries,
      valueEntries: plan.valueEntries,
    };
  } catch (e) {
    return internalError(e);
  }
  const failed = await writeGuarded(port, writes, context);
  if (failed) return failed;
  return { kind: "done", summary };
}

/**
 * The writes that roll a register back (repair of an interrupted run, undo of a finished one: ledgerState.ts
 * rollback): the posted cells set back (one update per posted column, only the cells the run changed), then
 * its G/L Register Changes rows, its relation rows, its G/L entries. `first` goes before them (undo: the register row).
 */
export function rollbackWrites(
  rb: Rollback,
  context: ReadContext,
  first: TableWrite[] = []
): TableWrite[] {
  const writes = [...first, ...restoreWrites(rb.restore, context)];
  const o = context.outputs;
  if (rb.changeRows.length > 0 && o.glRegisterChanges !== undefined)
    writes.push({ kind: "delete", table: o.glRegisterChanges, rows: rb.changeRows });
  if (rb.relationRows.length > 0 && o.glItemLedgerRelation !== undefined)
    writes.push({ kind: "delete", table: o.glItemLedgerRelation, rows: rb.relationRows });
  if (rb.glEntryRows.length > 0 && o.glEntries !== undefined)
    writes.push({ kind: "delete", table: o.glEntries, rows: rb.glEntryRows });
  return writes;
}
