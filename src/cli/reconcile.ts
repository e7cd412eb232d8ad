/**
 * glpost reconcile and glpost trace (cli.md): the app functions' results as JSON on stdout (--json) and as
 * readable text. reconcile's summary goes to stderr like post's (the matrix is written to the workbook);
 * trace's table is the command's result, so it goes to stdout.
 */
import { reconcileWorkbook, traceWorkbook, type ReconcileSummary } from "../app/reconcile";
import type { NotDone } from "../app/run";
import { accountTypeCaption } from "../engine/accountTypes";
import { dayToIso } from "../engine/dates";
import { formatMoney, type MoneyScale } from "../engine/money";
import { MATRIX_COLUMNS } from "../engine/reconcile";
import type { TraceResult } from "../engine/trace";
import type { WorkbookPort } from "../workbook/port";
import type { Args } from "./args";

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Left-aligned text columns, right-aligned numbers: a plain table for a terminal. */
export function textTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return (
    [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n"
  );
}

function matrixText(s: ReconcileSummary): string {
  const header = ["", ...MATRIX_COLUMNS, "Warning"];
  const rows = s.matrix.map((m) => [
    m.row,
    ...MATRIX_COLUMNS.map((c) => (m[c] === null || /^-?0(\.0*)?$/.test(m[c]!) ? "" : m[c]!)),
    m.Warning,
  ]);
  return textTable(
    header,
    rows,
    header.map((_, i) => i >= 1 && i <= MATRIX_COLUMNS.length)
  );
}

export async function reconcileOn(
  port: WorkbookPort,
  args: Args,
  io: CommandIo,
  notDone: (o: NotDone) => number
): Promise<number> {
  const outcome = await reconcileWorkbook(port, {
    dateOrder: args.dateOrder,
    dateFilter: args.date ?? "",
    itemFilter: args.item ?? "",
    locationFilter: args.location ?? "",
  });
  if (outcome.kind !== "done") return notDone(outcome);
  const s = outcome.summary;
  if (args.json) io.stdout(JSON.stringify(s, null, 2) + "\n");
  const lines = [
    `Inventory - G/L Reconciliation (written to the "Inventory - G/L Reconciliation" and "Reconciliation Detail" tables of ${args.out ?? args.input})`,
    matrixText(s),
  ];
  if (s.difference === null)
    lines.push(
      "With an Item or Location filter only the inventory side is shown (the G/L cannot be filtered by item or location)."
    );
  else if (s.explanations.length === 0)
    lines.push("No difference: the inventory ledger and the G/L agree.");
  else {
    lines.push(`Differences (sum of the absolute differences ${s.difference}), explained:`);
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "y" : "ies"}`;
    for (const x of s.explanations)
      lines.push(
        `  ${x.field} ${x.amount}: ${x.text} (${count(x.valueEntries.length, "value entr")}, ${count(x.glEntries.length, "G/L entr")}; Reconciliation Detail, Cell "${x.label}")`
      );
  }
  io.stderr(lines.join("\n") + "\n");
  return 0;
}

function traceJson(r: TraceResult, scale: MoneyScale) {
  const money = (m: number) => formatMoney(m, scale);
  return {
    glEntries: r.glEntries.map((g) => ({
      entryNo: g.entryNo,
      postingDate: dayToIso(g.postingDate),
      documentNo: g.documentNo,
      glAccountNo: g.glAccountNo,
      description: g.description,
      amount: money(g.amount),
      inventoryAccountType:
        g.inventoryAccountType < 0 ? null : accountTypeCaption(g.inventoryAccountType),
      balAccountType: g.balAccountType < 0 ? null : accountTypeCaption(g.balAccountType),
      glRegisterNo: g.glRegisterNo,
    })),
    valueEntries: r.valueEntries.map((e) => ({
      entryNo: e.entryNo,
      postingDate: dayToIso(e.postingDate),
      itemNo: e.itemNo,
      itemLedgerEntryType: e.itemLedgerEntryType,
      entryType: e.entryType,
      documentNo: e.documentNo,
      costAmountActual: money(e.costAmountActual),
      costAmountExpected: money(e.costAmountExpected),
      costPostedToGL: money(e.costPostedToGL),
      expectedCostPostedToGL: money(e.expectedCostPostedToGL),
    })),
    relations: r.relations,
    dangling: r.dangling,
  };
}

export async function traceOn(
  port: WorkbookPort,
  args: Args,
  io: CommandIo,
  notDone: (o: NotDone) => number
): Promise<number> {
  const start =
    args.glEntry !== undefined
      ? { glEntryNo: Number(args.glEntry) }
      : { valueEntryNo: Number(args.valueEntry) };
  const outcome = await traceWorkbook(port, start, { dateOrder: args.dateOrder });
  if (outcome.kind !== "done") return notDone(outcome);
  const r = outcome.result;
  if (r.error !== null) {
    if (args.json) io.stdout(JSON.stringify({ error: r.error }) + "\n");
    io.stderr(`glpost: ${r.error}\n`);
    return 1;
  }
  const j = traceJson(r, outcome.scale);
  if (args.json) {
    io.stdout(JSON.stringify(j, null, 2) + "\n");
    return 0;
  }
  const what =
    "glEntryNo" in start ? `G/L entry ${start.glEntryNo}` : `value entry ${start.valueEntryNo}`;
  const veOf = new Map<number, number[]>();
  const glOf = new Map<number, number[]>();
  for (const x of r.relations) {
    veOf.set(x.glEntryNo, [...(veOf.get(x.glEntryNo) ?? []), x.valueEntryNo]);
    glOf.set(x.valueEntryNo, [...(glOf.get(x.valueEntryNo) ?? []), x.glEntryNo]);
  }
  const out = [
    `Trace of ${what} through G/L - Item Ledger Relation`,
    "",
    `G/L entries (${j.glEntries.length}):`,
  ];
  out.push(
    textTable(
      [
        "Entry No.",
        "Posting Date",
        "Document No.",
        "G/L Account No.",
        "Amount",
        "Inventory Account Type",
        "Register",
        "Value Entries",
      ],
      j.glEntries.map((g) => [
        String(g.entryNo),
        g.postingDate,
        g.documentNo,
        g.glAccountNo,
        g.amount,
        g.inventoryAccountType ?? "",
        String(g.glRegisterNo || ""),
        (veOf.get(g.entryNo) ?? []).join(", "),
      ]),
      [true, false, false, false, true, false, true, false]
    )
  );
  out.push(`Value entries (${j.valueEntries.length}):`);
  out.push(
    textTable(
      [
        "Entry No.",
        "Posting Date",
        "Item No.",
        "Item Ledger Entry Type",
        "Entry Type",
        "Cost Amount (Actual)",
        "Cost Amount (Expected)",
        "Cost Posted to G/L",
        "G/L Entries",
      ],
      j.valueEntries.map((e) => [
        String(e.entryNo),
        e.postingDate,
        e.itemNo,
        e.itemLedgerEntryType,
        e.entryType,
        e.costAmountActual,
        e.costAmountExpected,
        e.costPostedToGL,
        (glOf.get(e.entryNo) ?? []).join(", "),
      ]),
      [true, false, false, false, false, true, true, true, false]
    )
  );
  if (j.glEntries.length === 0 || j.valueEntries.length === 0)
    out.push(
      `No G/L - Item Ledger Relation row links ${what} to ${"glEntryNo" in start ? "a value entry (a posting made directly to the account, or from outside a run)" : "a G/L entry (its cost is not posted yet)"}.`
    );
  if (r.dangling.length > 0)
    out.push(
      `${r.dangling.length} relation rows name entries the workbook does not hold: ${r.dangling.map((d) => `G/L ${d.glEntryNo} - value ${d.valueEntryNo}`).join("; ")}`
    );
  io.stdout(out.join("\n") + "\n");
  return 0;
}
