/**
 * The output tables of workbook.md as data, and planWrites: an engine result turned into TableWrites for a
 * WorkbookPort. Money is written as exact decimal text (formatMoney), dates as ISO text, per port.ts.
 */
import { accountTypeCaption } from '../engine/accountTypes';
import { formatMoney } from '../engine/money';
import { valueEntryUpdates } from '../engine/post';
import { cellLabel, explanationLabel, MATRIX_COLUMNS, MATRIX_ROWS, type Bucket, type Reconciliation } from '../engine/reconcile';
import type { TrialBalance } from '../engine/trialBalance';
import type { GLRegister, Money, PostingInput, PostingResult, TestReportLine, ValueEntry } from '../engine/types';
import type { AppendWrite, CellValue, ColumnSpec, OutputTableNames, TableWrite } from './port';
import type { ReadContext } from './read';
import { findColumnInHeader } from './names';
import { POSTED_FIELDS, postedColumn, VALUE_ENTRIES, type PostedField } from './schema';
import { dayToIso, isPlainDecimal } from './values';
import { planRegisterChanges, REGISTER_CHANGES_TABLE } from './registerChanges';

export type OutputKey = 'glEntries' | 'glItemLedgerRelation' | 'glRegisters' | 'skippedEntries' | 'testReport' | 'reconciliation' | 'reconciliationDetail' | 'runSummary' | 'glRegisterChanges';

export interface OutputTable {
  key: OutputKey;
  names: OutputTableNames;
  /** Further spellings accepted when looking for an existing table (besides the four names). */
  aliases: readonly string[];
  columns: readonly ColumnSpec[];
}

const c = (name: string, format: ColumnSpec['format'], width?: number): ColumnSpec => (width === undefined ? { name, format } : { name, format, width });
/** The width a Description column takes where its lines are long (G/L Entries' and the test report's alike). */
const DESCRIPTION_WIDTH = 60;

export const GL_ENTRY_COLUMNS: readonly ColumnSpec[] = [
  c('Entry No.', 'integer'),
  c('Posting Date', 'date'),
  c('Document No.', 'text'),
  c('External Document No.', 'text'),
  c('G/L Account No.', 'text'),
  c('G/L Account Name', 'text', 28),
  c('Description', 'text', DESCRIPTION_WIDTH),
  c('Amount', 'money'),
  c('Debit Amount', 'money'),
  c('Credit Amount', 'money'),
  c('Additional-Currency Amount', 'money'),
  c('Source Code', 'text'),
  c('System-Created Entry', 'boolean'),
  c('Transaction No.', 'integer'),
  c('G/L Register No.', 'integer'),
  c('Inventory Account Type', 'text'),
  c('Bal. Account Type', 'text'),
  c('Location Code', 'text'),
  c('Inventory Posting Group', 'text'),
  c('Gen. Bus. Posting Group', 'text'),
  c('Gen. Prod. Posting Group', 'text'),
  c('Dimension Set ID', 'integer'),
  c('Global Dimension 1 Code', 'text'),
  c('Global Dimension 2 Code', 'text'),
];

/**
 * G/L Entries columns copied from the value entry (per Entry; blank per Posting Group), as codeunit 5802 copies
 * Job No., Reason Code and Prod. Order No. (BC 29 captions; Job fields are "Project ..."). Each is written only
 * when the Value Entries input has its source column, so a G/L Entries table of an input without them keeps
 * the columns it always had (existing tables stay valid; a new column is added after the last one).
 */
export const GL_ENTRY_SOURCE_COLUMNS: readonly { column: ColumnSpec; field: 'jobNo' | 'jobTaskNo' | 'reasonCode' | 'prodOrderNo'; source: 'jobNo' | 'jobTaskNo' | 'reasonCode' | 'orderNo' }[] = [
  { column: c('Project No.', 'text'), field: 'jobNo', source: 'jobNo' },
  { column: c('Project Task No.', 'text'), field: 'jobTaskNo', source: 'jobTaskNo' },
  { column: c('Reason Code', 'text'), field: 'reasonCode', source: 'reasonCode' },
  { column: c('Prod. Order No.', 'text'), field: 'prodOrderNo', source: 'orderNo' },
];

/** The source columns of GL_ENTRY_SOURCE_COLUMNS that the Value Entries input has. */
export function glEntrySourceColumns(valueEntriesHeader: readonly string[]): typeof GL_ENTRY_SOURCE_COLUMNS {
  return GL_ENTRY_SOURCE_COLUMNS.filter((x) => {
    const col = VALUE_ENTRIES.columns.find((v) => v.field === x.source)!;
    return findColumnInHeader(valueEntriesHeader, col.name, col.aliases) >= 0;
  });
}

export const RELATION_COLUMNS: readonly ColumnSpec[] = [
  c('G/L Entry No.', 'integer'),
  c('Value Entry No.', 'integer'),
  c('G/L Register No.', 'integer'),
];

export const REGISTER_COLUMNS: readonly ColumnSpec[] = [
  c('No.', 'integer'),
  c('From Entry No.', 'integer'),
  c('To Entry No.', 'integer'),
  c('Creation Date', 'date'),
  c('Creation Time', 'time'),
  c('Source Code', 'text'),
  c('User ID', 'text'),
  c('Posting Method', 'text'),
  c('Document No.', 'text'),
  c('Entries Posted', 'integer'),
  c('Entries Skipped', 'integer'),
  c('Amount Posted', 'money'),
  c('Input Fingerprint', 'text'),
];

export const SKIPPED_COLUMNS: readonly ColumnSpec[] = [
  c('Value Entry No.', 'integer'),
  c('Item No.', 'text'),
  c('Item Ledger Entry Type', 'text'),
  c('Entry Type', 'text'),
  c('Document No.', 'text'),
  c('Source No.', 'text'),
  c('Posting Date', 'date'),
  c('Location Code', 'text'),
  c('Inventory Posting Group', 'text'),
  c('Gen. Bus. Posting Group', 'text'),
  c('Gen. Prod. Posting Group', 'text'),
  c('Expected Cost', 'boolean'),
  c('Cost Amount', 'money'),
  c('Reason Code', 'text'),
  c('Reason', 'text', DESCRIPTION_WIDTH),
  c('How to Fix', 'text', DESCRIPTION_WIDTH),
];

/**
 * The test report (rules.md section 7). workbook.md's column "Location Code / Invt. Posting Group Code or
 * Gen. Bus. / Gen. Prod. Posting Group" is one column, "Posting Setup", holding e.g. "BLUE,RESALE".
 */
export const TEST_REPORT_COLUMNS: readonly ColumnSpec[] = [
  // As wide as G/L Entries' columns, so an empty or short report reads like them.
  c('Posting Date', 'date'),
  c('Document No.', 'text'),
  c('Description', 'text', DESCRIPTION_WIDTH),
  c('G/L Account No.', 'text'),
  c('Amount', 'money'),
  c('Value Entry No.', 'integer'),
  c('Inventory Account Type', 'text'),
  c('Posting Setup', 'text', 22),
  c('Warning', 'text', DESCRIPTION_WIDTH),
];
/** Added after Amount when an Additional Reporting Currency is set. */
export const TEST_REPORT_ACY_COLUMN: ColumnSpec = c('Additional-Currency Amount', 'money');

/** Inventory - G/L Reconciliation (rules.md section 9): one row per matrix row, then the explanation block. */
export const RECONCILIATION_COLUMNS: readonly ColumnSpec[] = [
  c('Row', 'text'),
  c('Inventory', 'money'),
  c('Inventory (Interim)', 'money'),
  c('WIP Inventory', 'money'),
  c('Total', 'money'),
  c('G/L Total', 'money'),
  c('Difference', 'money'),
  c('Warning', 'text'),
];

/** Drill-down of the reconciliation: one row per (matrix cell or explanation, entry), with the entry's part of it. */
export const RECONCILIATION_DETAIL_COLUMNS: readonly ColumnSpec[] = [
  c('Cell', 'text'),
  c('Entry Type', 'text'),
  c('Entry No.', 'integer'),
  c('Amount', 'money'),
];

/**
 * Run Summary: the trial balance of the last post (issue 12), its own table so G/L Registers keeps one row
 * per register. One row per G/L account, then one per posting date, then the total; Balanced is checked on
 * the dates' and the total's rows (every date nets to 0, debit total = credit total).
 */
export const RUN_SUMMARY_COLUMNS: readonly ColumnSpec[] = [
  c('Line', 'text'),
  c('G/L Account No.', 'text'),
  c('G/L Account Name', 'text'),
  c('Posting Date', 'date'),
  c('Debit Amount', 'money'),
  c('Credit Amount', 'money'),
  c('Net Change', 'money'),
  c('Balanced', 'boolean'),
  c('G/L Register No.', 'integer'),
];

/**
 * G/L Register Changes: what a run changed in the Value Entries' posted columns, so glpost undo restores them
 * exactly (registerChanges.ts). One row per cell the run changed: its register, the value entry, the posted
 * column (its caption) and the cell as it was before the run (blank stays blank, "0" stays "0").
 */
// G/L Register Changes lives with the rest of its rule (registerChanges.ts), which needs no other output table.
export { REGISTER_CHANGES_COLUMNS } from './registerChanges';

function names(name: string, sheetName: string, excelTableName: string, csvName: string): OutputTableNames {
  return { name, sheetName, excelTableName, csvName };
}

export const OUTPUT_TABLES: Readonly<Record<OutputKey, OutputTable>> = {
  glEntries: {
    key: 'glEntries',
    names: names('G/L Entries', 'GL Entries', 'GLEntries', 'GL Entries'),
    aliases: ['G/L Entry'],
    columns: GL_ENTRY_COLUMNS,
  },
  glItemLedgerRelation: {
    key: 'glItemLedgerRelation',
    names: names('G/L - Item Ledger Relation', 'GL - Item Ledger Relation', 'GLItemLedgerRelation', 'GL - Item Ledger Relation'),
    aliases: ['G/L - Item Ledger Relations', 'GL Item Ledger Relation'],
    columns: RELATION_COLUMNS,
  },
  glRegisters: {
    key: 'glRegisters',
    names: names('G/L Registers', 'GL Registers', 'GLRegisters', 'GL Registers'),
    aliases: ['G/L Register'],
    columns: REGISTER_COLUMNS,
  },
  skippedEntries: {
    key: 'skippedEntries',
    names: names('Skipped Entries', 'Skipped Entries', 'SkippedEntries', 'Skipped Entries'),
    aliases: [],
    columns: SKIPPED_COLUMNS,
  },
  testReport: {
    key: 'testReport',
    names: names('Post Inventory Cost to G/L - Test', 'Post Invt Cost to GL - Test', 'PostInventoryCostToGLTest', 'Post Inventory Cost to GL - Test'),
    aliases: ['Post Invt. Cost to G/L - Test'],
    columns: TEST_REPORT_COLUMNS,
  },
  reconciliation: {
    key: 'reconciliation',
    names: names('Inventory - G/L Reconciliation', 'Inventory - GL Reconciliation', 'InventoryGLReconciliation', 'Inventory - GL Reconciliation'),
    aliases: [],
    columns: RECONCILIATION_COLUMNS,
  },
  reconciliationDetail: {
    key: 'reconciliationDetail',
    names: names('Reconciliation Detail', 'Reconciliation Detail', 'ReconciliationDetail', 'Reconciliation Detail'),
    aliases: [],
    columns: RECONCILIATION_DETAIL_COLUMNS,
  },
  glRegisterChanges: REGISTER_CHANGES_TABLE,
  runSummary: {
    key: 'runSummary',
    names: names('Run Summary', 'Run Summary', 'RunSummary', 'Run Summary'),
    aliases: [],
    columns: RUN_SUMMARY_COLUMNS,
  },
};

export const OUTPUT_KEYS = Object.keys(OUTPUT_TABLES) as OutputKey[];

/** Every spelling an existing output table may have (for findTable). */
export function outputTableSpellings(key: OutputKey): string[] {
  const t = OUTPUT_TABLES[key];
  return [t.names.sheetName, t.names.excelTableName, t.names.csvName, ...t.aliases];
}

// ---------------------------------------------------------------------------------------------
// planWrites

/**
 * The writes of a run, in this order: G/L Entries, G/L - Item Ledger Relation (appended), the Value Entries'
 * posted columns (updated), G/L Registers (appended last: the run's commit mark), Skipped Entries (replaced), the test report (replaced, when given).
 * A dry run (options.post false) writes only Skipped Entries and the test report. Appends of nothing are left out.
 */
export function planWrites(result: PostingResult, input: PostingInput, ctx: ReadContext, testReport: TestReportLine[] | null): TableWrite[] {
  const scale = ctx.scale;
  const money = (m: Money): string => formatMoney(m, scale);
  const writes: TableWrite[] = [];

  if (result.options.post) {
    if (result.glEntries.length > 0) {
      const t = OUTPUT_TABLES.glEntries;
      const extra = glEntrySourceColumns(ctx.valueEntriesHeader);
      const rows = result.glEntries.map((g): CellValue[] => [
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
      ]);
      if (extra.length > 0)
        for (let i = 0; i < rows.length; i++) for (const x of extra) rows[i].push(result.glEntries[i][x.field] ?? '');
      writes.push({
        kind: 'append',
        names: t.names,
        existing: ctx.outputs.glEntries,
        columns: [...t.columns, ...extra.map((x) => x.column)],
        rows,
      });
    }
    const rel = result.relations;
    if (rel.glEntryNo.length > 0) {
      const t = OUTPUT_TABLES.glItemLedgerRelation;
      const rows: CellValue[][] = new Array(rel.glEntryNo.length);
      for (let i = 0; i < rows.length; i++) rows[i] = [rel.glEntryNo[i], rel.valueEntryNo[i], rel.glRegisterNo];
      writes.push({ kind: 'append', names: t.names, existing: ctx.outputs.glItemLedgerRelation, columns: [...t.columns], rows });
    }
    // The posted columns before the register: the register row is written last, as the run's commit mark
    // (a workbook with G/L entries of a register it lacks holds an interrupted run; read.ts refuses it).
    const update = planValueEntryUpdate(result, input, ctx);
    // What the update changes, recorded before it (glpost undo restores the cells from it).
    const changes = update !== null && update.kind === 'update' && result.register !== null ? planRegisterChanges(update, result.register.no, input, ctx) : null;
    if (changes !== null) writes.push(changes);
    if (update !== null) writes.push(update);
    if (result.register !== null) writes.push(planRegisterAppend(result.register, ctx));
  }

  // Skipped Entries: always replaced (an empty list clears the previous run's).
  {
    const t = OUTPUT_TABLES.skippedEntries;
    writes.push({
      kind: 'replace',
      names: t.names,
      existing: ctx.outputs.skippedEntries,
      columns: [...t.columns],
      rows: result.skipped.map((s): CellValue[] => {
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
      }),
    });
  }

  if (testReport !== null) writes.push(planTestReport(testReport, input, ctx));
  return writes;
}

/** The test report lines as a replace write (also usable on its own by a check run). */
export function planTestReport(lines: readonly TestReportLine[], input: PostingInput, ctx: ReadContext): TableWrite {
  const t = OUTPUT_TABLES.testReport;
  const acy = input.settings.additionalReportingCurrency !== '';
  const columns = [...t.columns];
  if (acy) columns.splice(columns.findIndex((x) => x.name === 'Amount') + 1, 0, TEST_REPORT_ACY_COLUMN);
  const money = (m: Money): string => formatMoney(m, ctx.scale);
  return {
    kind: 'replace',
    names: t.names,
    existing: ctx.outputs.testReport,
    columns,
    rows: lines.map((l): CellValue[] => {
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
  };
}

/** Warnings in one cell: sentences joined by a space ("A is missing. B is blocked."); none -> empty cell. */
export function joinWarnings(warnings: readonly string[]): string | null {
  if (warnings.length === 0) return null;
  return warnings.map((w) => (/[.!?]$/.test(w.trim()) ? w.trim() : w.trim() + '.')).join(' ');
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
export function planRegisterAppend(r: GLRegister, ctx: ReadContext, unknown: readonly ('Entries Skipped' | 'Input Fingerprint')[] = []): AppendWrite {
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
  return { kind: 'append', names: t.names, existing: ctx.outputs.glRegisters, columns: [...t.columns], rows: [row] };
}

export function planValueEntryUpdate(result: Pick<PostingResult, 'postedParts'>, input: PostingInput, ctx: ReadContext): TableWrite | null {
  const ref = ctx.tables.valueEntries;
  const updates = valueEntryUpdates(input, result);
  if (ref === undefined || updates.length === 0) return null;
  const fields: PostedField[] = ctx.acy ? [...POSTED_FIELDS] : ['costPostedToGL', 'expectedCostPostedToGL'];
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
    if (any) changed.push({ row: ctx.valueEntryRows[u.index], values: fields.map((f) => u[f]), diff });
  }
  if (changed.length === 0) return null;
  const cols = fields.map((f, j) => ({ f, j })).filter((x) => needed[x.j]);
  const cell = (ch: (typeof changed)[number], j: number): CellValue => {
    const formatted = formatMoney(ch.values[j], ctx.scale);
    if (ch.diff[j]) return formatted;
    const original = readIndex[j] < 0 ? null : (ctx.postedValues[ch.row]?.[readIndex[j]] ?? null);
    if (original === null || (typeof original === 'string' && original.trim() === '')) return null;
    if (typeof original === 'string' && isPlainDecimal(original)) return original;
    return formatted;
  };
  return {
    kind: 'update',
    table: ref,
    columns: cols.map(({ f }) => ({ name: headerOf.get(f) ?? postedColumn(f).name, format: 'money' as const })),
    updates: changed.map((ch) => ({ row: ch.row, values: cols.map(({ j }) => cell(ch, j)) })),
  };
}


/**
 * Inventory - G/L Reconciliation (rules.md section 9) and its drill-down, as two replace writes: the matrix
 * rows (a zero cell blank, as BC shows it), then a blank row and one row per explanation (its amount in the
 * Difference column, its cause in Warning); Reconciliation Detail lists the entries behind every non-zero
 * cell and explanation, each with its part, so each list sums to its figure.
 */
export function planReconciliation(rec: Reconciliation, ctx: Pick<ReadContext, 'scale' | 'outputs'>): TableWrite[] {
  const money = (b: Bucket | null): string | null => (b === null || b.amount === 0 ? null : formatMoney(b.amount, ctx.scale));
  const rows: CellValue[][] = [];
  const detail: CellValue[][] = [];
  const details = (label: string, b: Bucket) => {
    for (let i = 0; i < b.valueEntryNos.length; i++) detail.push([label, 'Value Entry', b.valueEntryNos[i], formatMoney(b.valueEntryAmounts[i], ctx.scale)]);
    for (let i = 0; i < b.glEntryNos.length; i++) detail.push([label, 'G/L Entry', b.glEntryNos[i], formatMoney(b.glEntryAmounts[i], ctx.scale)]);
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
  const m = OUTPUT_TABLES.reconciliation;
  const d = OUTPUT_TABLES.reconciliationDetail;
  return [
    { kind: 'replace', names: m.names, existing: ctx.outputs.reconciliation, columns: [...m.columns], rows },
    { kind: 'replace', names: d.names, existing: ctx.outputs.reconciliationDetail, columns: [...d.columns], rows: detail },
  ];
}

/** The trial balance of a run as the Run Summary table (replaced by every post; registerNo null for a dry run). */
export function planRunSummary(tb: TrialBalance, registerNo: number | null, ctx: Pick<ReadContext, 'scale' | 'outputs'>): TableWrite {
  const money = (m: Money): string => formatMoney(m, ctx.scale);
  const rows: CellValue[][] = [
    ...tb.accounts.map((a): CellValue[] => ['G/L Account', a.no, a.name, null, money(a.debit), money(a.credit), money(a.net), null, registerNo]),
    ...tb.byDate.map((d): CellValue[] => ['Posting Date', null, null, dayToIso(d.date), money(d.debit), money(d.credit), money(d.net), d.net === 0, registerNo]),
    ['Total', null, null, null, money(tb.totals.debit), money(tb.totals.credit), money(tb.totals.net), tb.balanced, registerNo],
  ];
  const t = OUTPUT_TABLES.runSummary;
  return { kind: 'replace', names: t.names, existing: ctx.outputs.runSummary, columns: [...t.columns], rows };
}
