/**
 * planWrites and the other plans: an engine result turned into TableWrites for a WorkbookPort, into the
 * output tables of outputSchema.ts. Money is written as exact decimal text (formatMoney), dates as ISO text, per port.ts.
 */
import { accountTypeCaption } from "../engine/accountTypes";
import { formatMoney } from "../engine/money";
import { valueEntryUpdates } from "../engine/post";
import {
  cellLabel,
  explanationLabel,
  MATRIX_COLUMNS,
  MATRIX_ROWS,
  type Bucket,
  type Reconciliation,
} from "../engine/reconcile";
import type { TrialBalance } from "../engine/trialBalance";
import {
  glEntryList,
  type GLRegister,
  type Money,
  type PostingInput,
  type PostingResult,
  type TestReportLine,
  type ValueEntry,
} from "../engine/types";
import type { AppendWrite, CellValue, TableWrite } from "./port";
import type { ReadContext } from "./readContext";
import { POSTED_FIELDS, postedColumn, type PostedField } from "./schema";
import { dayToIso, isPlainDecimal } from "./values";
import {
  glEntrySourceColumns,
  OUTPUT_TABLES,
  outputWrite,
  RECONCILIATION_COLUMNS,
  TEST_REPORT_ACY_COLUMN,
} from "./outputSchema";
import { planRegisterChanges } from "./registerChanges";

// ---------------------------------------------------------------------------------------------
// planWrites

/**
 * The writes of a run, in this order: G/L Entries, G/L - Item Ledger Relation (appended), the Value Entries'
 * posted columns (updated), G/L Registers (appended last: the run's commit mark), Skipped Entries (replaced), the test report (replaced, when given).
 * A dry run (options.post false) writes only Skipped Entries and the test report. Appends of nothing are left out.
 */
export function planWrites(
  result: PostingResult,
  input: PostingInput,
  ctx: ReadContext,
  testReport: TestReportLine[] | null
): TableWrite[] {
  const scale = ctx.scale;
  const money = (m: Money): string => formatMoney(m, scale);
  const writes: TableWrite[] = [];

  if (result.options.post) {
    const gl = glEntryList(result);
    if (gl.length > 0) {
      const t = OUTPUT_TABLES.glEntries;
      const extra = glEntrySourceColumns(ctx.valueEntriesHeader);
      const rows = new Array<CellValue[]>(gl.length);
      // One object at a time from a table (made and dropped: the rows are what the write keeps).
      for (let i = 0; i < rows.length; i++) {
        const g = gl.at(i)!;
        const row: CellValue[] = [
          g.entryNo,
          dayToIso(g.postingDate),
          g.documentNo,
          g.externalDocumentNo,
          g.glAccountNo,
          g.glAccountName,
          g.description,
          money(g.amount),
          money(g.amount > 0 ? g.amount : 0),
          money(g.amount < 0 ? -g.amount : 0),
          money(g.additionalCurrencyAmount),
          g.sourceCode,
          g.systemCreatedEntry,
          g.transactionNo,
          g.glRegisterNo,
          accountTypeCaption(g.inventoryAccountType),
          accountTypeCaption(g.balAccountType),
          g.locationCode,
          g.inventoryPostingGroup,
          g.genBusPostingGroup,
          g.genProdPostingGroup,
          g.dimensionSetId,
          g.globalDimension1Code,
          g.globalDimension2Code,
        ];
        for (const x of extra) row.push(g[x.field] ?? "");
        rows[i] = row;
      }
      writes.push(
        outputWrite("append", "glEntries", ctx.outputs, rows, [
          ...t.columns,
          ...extra.map((x) => x.column),
        ])
      );
    }
    const rel = result.relations;
    if (rel.glEntryNo.length > 0) {
      const rows: CellValue[][] = new Array(rel.glEntryNo.length);
      for (let i = 0; i < rows.length; i++)
        rows[i] = [rel.glEntryNo[i], rel.valueEntryNo[i], rel.glRegisterNo];
      writes.push(outputWrite("append", "glItemLedgerRelation", ctx.outputs, rows));
    }
    // The posted columns before the register: the register row is written last, as the run's commit mark
    // (a workbook with G/L entries of a register it lacks holds an interrupted run; read.ts refuses it).
    const update = planValueEntryUpdate(result, input, ctx);
    // What the update changes, recorded before it (glpost undo restores the cells from it).
    const changes =
      update !== null && update.kind === "update" && result.register !== null
        ? planRegisterChanges(update, result.register.no, input, ctx)
        : null;
    if (changes !== null) writes.push(changes);
    if (update !== null) writes.push(update);
    if (result.register !== null) writes.push(planRegisterAppend(result.register, ctx));
  }

  // Skipped Entries: always replaced (an empty list clears the previous run's).
  writes.push(
    outputWrite(
      "replace",
      "skippedEntries",
      ctx.outputs,
      result.skipped.map((s): CellValue[] => {
        const e = input.valueEntries[s.index];
        return [
          s.valueEntryNo,
          e.itemNo,
          e.itemLedgerEntryType,
          e.entryType,
          e.documentNo,
          e.sourceNo,
          dayToIso(e.postingDate),
          e.locationCode,
          e.inventoryPostingGroup,
          e.genBusPostingGroup,
          e.genProdPostingGroup,
          e.expectedCost,
          money(s.costAmount),
          s.reasonCode,
          s.reason,
          s.howToFix,
        ];
      })
    )
  );

  if (testReport !== null) writes.push(planTestReport(testReport, input, ctx));
  return writes;
}

/** The test report lines as a replace write (also usable on its own by a check run). */
export function planTestReport(
  lines: readonly TestReportLine[],
  input: PostingInput,
  ctx: ReadContext
): TableWrite {
  const t = OUTPUT_TABLES.testReport;
  const acy = input.settings.additionalReportingCurrency !== "";
  const columns = [...t.columns];
  if (acy)
    columns.splice(columns.findIndex((x) => x.name === "Amount") + 1, 0, TEST_REPORT_ACY_COLUMN);
  const money = (m: Money): string => formatMoney(m, ctx.scale);
  return outputWrite(
    "replace",
    "testReport",
    ctx.outputs,
    lines.map((l): CellValue[] => {
      const row: CellValue[] = [
        dayToIso(l.postingDate),
        l.documentNo,
        l.description,
        l.glAccountNo,
        money(l.amount),
        // A merged per Posting Group line has no single value entry (BC: 0): an empty cell.
        l.valueEntryNo === 0 ? null : l.valueEntryNo,
        l.inventoryAccountType === null ? null : accountTypeCaption(l.inventoryAccountType),
        l.setupKey,
        joinWarnings(l.warnings),
      ];
      if (acy) row.splice(5, 0, money(l.additionalCurrencyAmount));
      return row;
    }),
    columns
  );
}

/** Warnings in one cell: sentences joined by a space ("A is missing. B is blocked."); none -> empty cell. */
export function joinWarnings(warnings: readonly string[]): string | null {
  if (warnings.length === 0) return null;
  return warnings.map((w) => (/[.!?]$/.test(w.trim()) ? w.trim() : w.trim() + ".")).join(" ");
}

/**
 * The posted columns of the rows whose values change. A column is written when the table has it, or when a
 * value changes in it (a missing column reads as 0, so it is added only for a non-zero value). The ACY
 * columns take part only when an Additional Reporting Currency is set. In a changed row, a cell whose value
 * does not change is written back as it was read (blank stays blank, "0" stays "0") when that is plain decimal
 * text, so only the cells that change look different.
 */
/**
 * The register row as an append to G/L Registers (a run's last write). `unknown` columns are left blank: glpost
 * repair completes a run without knowing its Entries Skipped or Input Fingerprint.
 */
export function planRegisterAppend(
  r: GLRegister,
  ctx: ReadContext,
  unknown: readonly ("Entries Skipped" | "Input Fingerprint")[] = []
): AppendWrite {
  const t = OUTPUT_TABLES.glRegisters;
  const row: CellValue[] = [
    r.no,
    r.fromEntryNo,
    r.toEntryNo,
    dayToIso(r.creationDate),
    r.creationTime,
    r.sourceCode,
    r.userId,
    r.postingMethod,
    r.documentNo,
    r.entriesPosted,
    r.entriesSkipped,
    formatMoney(r.amountPosted, ctx.scale),
    r.inputFingerprint,
  ];
  for (const name of unknown) row[t.columns.findIndex((c) => c.name === name)] = null;
  return outputWrite("append", "glRegisters", ctx.outputs, [row]);
}

export function planValueEntryUpdate(
  result: Pick<PostingResult, "postedParts">,
  input: PostingInput,
  ctx: ReadContext
): TableWrite | null {
  const ref = ctx.tables.valueEntries;
  const updates = valueEntryUpdates(input, result);
  if (ref === undefined || updates.length === 0) return null;
  const fields: PostedField[] = ctx.acy
    ? [...POSTED_FIELDS]
    : ["costPostedToGL", "expectedCostPostedToGL"];
  const headerOf = new Map(ctx.postedColumns.map((p) => [p.field, p.header] as const));
  const readIndex = fields.map((f) => ctx.postedColumns.findIndex((p) => p.field === f));
  const needed = fields.map((f) => headerOf.has(f));
  const changed: { row: number; values: Money[]; diff: boolean[] }[] = [];
  for (const u of updates) {
    const e: ValueEntry = input.valueEntries[u.index];
    let any = false;
    const diff = fields.map((f, j) => {
      const d = u[f] !== e[f];
      if (d) {
        any = true;
        needed[j] = true;
      }
      return d;
    });
    if (any)
      changed.push({ row: ctx.valueEntryRows[u.index], values: fields.map((f) => u[f]), diff });
  }
  if (changed.length === 0) return null;
  const cols = fields.map((f, j) => ({ f, j })).filter((x) => needed[x.j]);
  const cell = (ch: (typeof changed)[number], j: number): CellValue => {
    const formatted = formatMoney(ch.values[j], ctx.scale);
    if (ch.diff[j]) return formatted;
    const original = readIndex[j] < 0 ? null : (ctx.postedValues[ch.row]?.[readIndex[j]] ?? null);
    if (original === null || (typeof original === "string" && original.trim() === "")) return null;
    if (typeof original === "string" && isPlainDecimal(original)) return original;
    return formatted;
  };
  return {
    kind: "update",
    table: ref,
    columns: cols.map(({ f }) => ({
      name: headerOf.get(f) ?? postedColumn(f).name,
      format: "money" as const,
    })),
    updates: changed.map((ch) => ({ row: ch.row, values: cols.map(({ j }) => cell(ch, j)) })),
  };
}

/**
 * Inventory - G/L Reconciliation (rules.md section 9) and its drill-down, as two replace writes: the matrix
 * rows (a zero cell blank, as BC shows it), then a blank row and one row per explanation (its amount in the
 * Difference column, its cause in Warning); Reconciliation Detail lists the entries behind every non-zero
 * cell and explanation, each with its part, so each list sums to its figure.
 */
export function planReconciliation(
  rec: Reconciliation,
  ctx: Pick<ReadContext, "scale" | "outputs">
): TableWrite[] {
  const money = (b: Bucket | null): string | null =>
    b === null || b.amount === 0 ? null : formatMoney(b.amount, ctx.scale);
  const rows: CellValue[][] = [];
  const detail: CellValue[][] = [];
  const entries = (label: string, source: string, nos: number[], amounts: Money[]) => {
    for (let i = 0; i < nos.length; i++)
      detail.push([label, source, nos[i], formatMoney(amounts[i], ctx.scale)]);
  };
  const details = (label: string, b: Bucket) => {
    entries(label, "Value Entry", b.valueEntryNos, b.valueEntryAmounts);
    entries(label, "G/L Entry", b.glEntryNos, b.glEntryAmounts);
  };
  let i = 0;
  for (const row of MATRIX_ROWS) {
    const out: CellValue[] = [row];
    for (const _ of MATRIX_COLUMNS) {
      const cell = rec.cells[i++];
      out.push(money(cell.bucket));
      if (cell.bucket !== null && cell.bucket.amount !== 0) details(cellLabel(cell), cell.bucket);
    }
    out.push(rec.warnings.get(row) || null);
    rows.push(out);
  }
  if (rec.explanations.length > 0) {
    rows.push(RECONCILIATION_COLUMNS.map(() => null));
    for (const x of rec.explanations) {
      const label = explanationLabel(x);
      rows.push([label, null, null, null, null, null, formatMoney(x.amount, ctx.scale), x.text]);
      details(label, x);
    }
  }
  return [
    outputWrite("replace", "reconciliation", ctx.outputs, rows),
    outputWrite("replace", "reconciliationDetail", ctx.outputs, detail),
  ];
}

/** The trial balance of a run as the Run Summary table (replaced by every post; registerNo null for a dry run). */
export function planRunSummary(
  tb: TrialBalance,
  registerNo: number | null,
  ctx: Pick<ReadContext, "scale" | "outputs">
): TableWrite {
  const money = (m: Money): string => formatMoney(m, ctx.scale);
  const rows: CellValue[][] = [
    ...tb.accounts.map((a): CellValue[] => [
      "G/L Account",
      a.no,
      a.name,
      null,
      money(a.debit),
      money(a.credit),
      money(a.net),
      null,
      registerNo,
    ]),
    ...tb.byDate.map((d): CellValue[] => [
      "Posting Date",
      null,
      null,
      dayToIso(d.date),
      money(d.debit),
      money(d.credit),
      money(d.net),
      d.net === 0,
      registerNo,
    ]),
    [
      "Total",
      null,
      null,
      null,
      money(tb.totals.debit),
      money(tb.totals.credit),
      money(tb.totals.net),
      tb.balanced,
      registerNo,
    ],
  ];
  return outputWrite("replace", "runSummary", ctx.outputs, rows);
}
