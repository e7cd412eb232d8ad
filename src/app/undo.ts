/**
 * glpost undo (cli.md) for every front end: the last run (or a register with no later one) is taken back from
 * what the workbook holds: its G/L entries, relation rows, G/L Register Changes rows and register row removed,
 * the posted cells it changed set back as they were (ledgerState.ts planUndo, the same roll back as repair's).
 */
import type { DateOrder } from "../workbook/dateOrder";
import { planUndo } from "../workbook/ledgerState";
import type { TableWrite, WorkbookPort } from "../workbook/port";
import { readLedger, rollbackWrites } from "./repair";
import { internalError, writeGuarded, type NotDone } from "./run";

export interface UndoRequest {
  dateOrder?: DateOrder;
  /** The register to undo (`--register`); default the last one. */
  registerNo?: number;
}

/** cli.md's `undo --json` object. */
export interface UndoSummary {
  registerNo: number;
  glEntriesRemoved: number;
  valueEntriesRestored: number;
}

export type UndoOutcome =
  | NotDone
  /** Not undone (a later register, no such register, not a run of this tool); nothing was changed. */
  | { kind: "refused"; message: string }
  /** byAmounts: the register had no G/L Register Changes rows, so the posted columns were set back by amounts. */
  | { kind: "done"; summary: UndoSummary; byAmounts: boolean };

export async function undoWorkbook(
  port: WorkbookPort,
  request: UndoRequest = {}
): Promise<UndoOutcome> {
  // An interrupted run is refused here as by a post (repair it first).
  const r = await readLedger(port, { dateOrder: request.dateOrder });
  if ("failed" in r) return r.failed;
  const { read, ledger } = r;
  const { input, context } = read;
  let writes: TableWrite[];
  let plan;
  try {
    plan = planUndo(
      ledger,
      input.valueEntries,
      { acy: context.acy, scale: context.scale },
      request.registerNo
    );
    if (plan.action === "refused") return { kind: "refused", message: plan.message };
    // The register row first: cut short (a live workbook writes step by step), what is left is an interrupted
    // run that glpost repair completes or rolls back; then the posted cells, the changes, relations, G/L entries.
    const registers = context.outputs.glRegisters!;
    writes = rollbackWrites(plan, context, [
      { kind: "delete", table: registers, rows: plan.registerRows },
    ]);
  } catch (e) {
    return internalError(e);
  }
  const failed = await writeGuarded(port, writes, context);
  if (failed) return failed;
  return {
    kind: "done",
    summary: {
      registerNo: plan.registerNo,
      glEntriesRemoved: plan.glEntries,
      valueEntriesRestored: plan.valueEntries,
    },
    byAmounts: !plan.recorded,
  };
}

/** What an undo did, in words (CLI and task pane). */
export function undoMessage(o: Extract<UndoOutcome, { kind: "done" }>): string {
  const s = o.summary;
  return (
    `G/L Register ${s.registerNo} undone: its ${s.glEntriesRemoved} G/L entries, their relation rows and the register row removed, ` +
    `the posted columns of ${s.valueEntriesRestored} value entries set back to what they were before that run` +
    (o.byAmounts
      ? " (by amounts: the register was posted before G/L Register Changes recorded the cells, so old = posted - what its G/L entries posted; a blank cell may come back as 0.00)."
      : ".") +
    " Post again to post that cost anew."
  );
}
