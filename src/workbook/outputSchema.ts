/**
 * The output tables of workbook.md as data: their names in each format, the spellings accepted when looking
 * for an existing one, and their columns. Reading (read.ts, ledgerState.ts) and writing (outputs.ts) both
 * take them from here, so neither imports the other.
 */
import { findColumnInHeader } from "./names";
import type { CellValue, ColumnSpec, OutputTableNames, TableRef } from "./port";
import { VALUE_ENTRIES } from "./schema";

export type OutputKey =
  | "glEntries"
  | "glItemLedgerRelation"
  | "glRegisters"
  | "skippedEntries"
  | "testReport"
  | "reconciliation"
  | "reconciliationDetail"
  | "runSummary"
  | "glRegisterChanges";

export interface OutputTable {
  key: OutputKey;
  names: OutputTableNames;
  /** Further spellings accepted when looking for an existing table (besides the four names). */
  aliases: readonly string[];
  columns: readonly ColumnSpec[];
}

const c = (name: string, format: ColumnSpec["format"], width?: number): ColumnSpec =>
  width === undefined ? { name, format } : { name, format, width };
/** The width a Description column takes where its lines are long (G/L Entries' and the test report's alike). */
const DESCRIPTION_WIDTH = 60;

export const GL_ENTRY_COLUMNS: readonly ColumnSpec[] = [
  c("Entry No.", "integer"),
  c("Posting Date", "date"),
  c("Document No.", "text"),
  c("External Document No.", "text"),
  c("G/L Account No.", "text"),
  c("G/L Account Name", "text", 28),
  c("Description", "text", DESCRIPTION_WIDTH),
  c("Amount", "money"),
  c("Debit Amount", "money"),
  c("Credit Amount", "money"),
  c("Additional-Currency Amount", "money"),
  c("Source Code", "text"),
  c("System-Created Entry", "boolean"),
  c("Transaction No.", "integer"),
  c("G/L Register No.", "integer"),
  c("Inventory Account Type", "text"),
  c("Bal. Account Type", "text"),
  c("Location Code", "text"),
  c("Inventory Posting Group", "text"),
  c("Gen. Bus. Posting Group", "text"),
  c("Gen. Prod. Posting Group", "text"),
  c("Dimension Set ID", "integer"),
  c("Global Dimension 1 Code", "text"),
  c("Global Dimension 2 Code", "text"),
];

/**
 * G/L Entries columns copied from the value entry (per Entry; blank per Posting Group), as codeunit 5802 copies
 * Job No., Reason Code and Prod. Order No. (BC 29 captions; Job fields are "Project ..."). Each is written only
 * when the Value Entries input has its source column, so a G/L Entries table of an input without them keeps
 * the columns it always had (existing tables stay valid; a new column is added after the last one).
 */
const GL_ENTRY_SOURCE_COLUMNS: readonly {
  column: ColumnSpec;
  field: "jobNo" | "jobTaskNo" | "reasonCode" | "prodOrderNo";
  source: "jobNo" | "jobTaskNo" | "reasonCode" | "orderNo";
}[] = [
  { column: c("Project No.", "text"), field: "jobNo", source: "jobNo" },
  { column: c("Project Task No.", "text"), field: "jobTaskNo", source: "jobTaskNo" },
  { column: c("Reason Code", "text"), field: "reasonCode", source: "reasonCode" },
  { column: c("Prod. Order No.", "text"), field: "prodOrderNo", source: "orderNo" },
];

/** The source columns of GL_ENTRY_SOURCE_COLUMNS that the Value Entries input has. */
export function glEntrySourceColumns(
  valueEntriesHeader: readonly string[]
): typeof GL_ENTRY_SOURCE_COLUMNS {
  return GL_ENTRY_SOURCE_COLUMNS.filter((x) => {
    const col = VALUE_ENTRIES.columns.find((v) => v.field === x.source)!;
    return findColumnInHeader(valueEntriesHeader, col.name, col.aliases) >= 0;
  });
}

export const RELATION_COLUMNS: readonly ColumnSpec[] = [
  c("G/L Entry No.", "integer"),
  c("Value Entry No.", "integer"),
  c("G/L Register No.", "integer"),
];

const REGISTER_COLUMNS: readonly ColumnSpec[] = [
  c("No.", "integer"),
  c("From Entry No.", "integer"),
  c("To Entry No.", "integer"),
  c("Creation Date", "date"),
  c("Creation Time", "time"),
  c("Source Code", "text"),
  c("User ID", "text"),
  c("Posting Method", "text"),
  c("Document No.", "text"),
  c("Entries Posted", "integer"),
  c("Entries Skipped", "integer"),
  c("Amount Posted", "money"),
  c("Input Fingerprint", "text"),
];

export const SKIPPED_COLUMNS: readonly ColumnSpec[] = [
  c("Value Entry No.", "integer"),
  c("Item No.", "text"),
  c("Item Ledger Entry Type", "text"),
  c("Entry Type", "text"),
  c("Document No.", "text"),
  c("Source No.", "text"),
  c("Posting Date", "date"),
  c("Location Code", "text"),
  c("Inventory Posting Group", "text"),
  c("Gen. Bus. Posting Group", "text"),
  c("Gen. Prod. Posting Group", "text"),
  c("Expected Cost", "boolean"),
  c("Cost Amount", "money"),
  c("Reason Code", "text"),
  c("Reason", "text", DESCRIPTION_WIDTH),
  c("How to Fix", "text", DESCRIPTION_WIDTH),
];

/**
 * The test report (rules.md section 7). workbook.md's column "Location Code / Invt. Posting Group Code or
 * Gen. Bus. / Gen. Prod. Posting Group" is one column, "Posting Setup", holding e.g. "BLUE,RESALE".
 */
const TEST_REPORT_COLUMNS: readonly ColumnSpec[] = [
  // As wide as G/L Entries' columns, so an empty or short report reads like them.
  c("Posting Date", "date"),
  c("Document No.", "text"),
  c("Description", "text", DESCRIPTION_WIDTH),
  c("G/L Account No.", "text"),
  c("Amount", "money"),
  c("Value Entry No.", "integer"),
  c("Inventory Account Type", "text"),
  c("Posting Setup", "text", 22),
  c("Warning", "text", DESCRIPTION_WIDTH),
];
/** Added after Amount when an Additional Reporting Currency is set. */
export const TEST_REPORT_ACY_COLUMN: ColumnSpec = c("Additional-Currency Amount", "money");

/** Inventory - G/L Reconciliation (rules.md section 9): one row per matrix row, then the explanation block. */
export const RECONCILIATION_COLUMNS: readonly ColumnSpec[] = [
  c("Row", "text"),
  c("Inventory", "money"),
  c("Inventory (Interim)", "money"),
  c("WIP Inventory", "money"),
  c("Total", "money"),
  c("G/L Total", "money"),
  c("Difference", "money"),
  c("Warning", "text"),
];

/** Drill-down of the reconciliation: one row per (matrix cell or explanation, entry), with the entry's part of it. */
const RECONCILIATION_DETAIL_COLUMNS: readonly ColumnSpec[] = [
  c("Cell", "text"),
  c("Entry Type", "text"),
  c("Entry No.", "integer"),
  c("Amount", "money"),
];

/**
 * Run Summary: the trial balance of the last post (issue 12), its own table so G/L Registers keeps one row
 * per register. One row per G/L account, then one per posting date, then the total; Balanced is checked on
 * the dates' and the total's rows (every date nets to 0, debit total = credit total).
 */
const RUN_SUMMARY_COLUMNS: readonly ColumnSpec[] = [
  c("Line", "text"),
  c("G/L Account No.", "text"),
  c("G/L Account Name", "text"),
  c("Posting Date", "date"),
  c("Debit Amount", "money"),
  c("Credit Amount", "money"),
  c("Net Change", "money"),
  c("Balanced", "boolean"),
  c("G/L Register No.", "integer"),
];

/**
 * G/L Register Changes: what a run changed in the Value Entries' posted columns, so glpost undo restores them
 * exactly (registerChanges.ts). One row per cell the run changed: its register, the value entry, the posted
 * column (its caption) and the cell as it was before the run (blank stays blank, "0" stays "0").
 */
const REGISTER_CHANGES_COLUMNS: readonly ColumnSpec[] = [
  { name: "G/L Register No.", format: "integer" },
  { name: "Value Entry No.", format: "integer" },
  { name: "Column", format: "text" },
  { name: "Previous Value", format: "money" },
];

export const REGISTER_CHANGES_TABLE: OutputTable = {
  key: "glRegisterChanges",
  names: {
    name: "G/L Register Changes",
    sheetName: "GL Register Changes",
    excelTableName: "GLRegisterChanges",
    csvName: "GL Register Changes",
  },
  aliases: [],
  columns: REGISTER_CHANGES_COLUMNS,
};

function names(
  name: string,
  sheetName: string,
  excelTableName: string,
  csvName: string
): OutputTableNames {
  return { name, sheetName, excelTableName, csvName };
}

export const OUTPUT_TABLES: Readonly<Record<OutputKey, OutputTable>> = {
  glEntries: {
    key: "glEntries",
    names: names("G/L Entries", "GL Entries", "GLEntries", "GL Entries"),
    aliases: ["G/L Entry"],
    columns: GL_ENTRY_COLUMNS,
  },
  glItemLedgerRelation: {
    key: "glItemLedgerRelation",
    names: names(
      "G/L - Item Ledger Relation",
      "GL - Item Ledger Relation",
      "GLItemLedgerRelation",
      "GL - Item Ledger Relation"
    ),
    aliases: ["G/L - Item Ledger Relations", "GL Item Ledger Relation"],
    columns: RELATION_COLUMNS,
  },
  glRegisters: {
    key: "glRegisters",
    names: names("G/L Registers", "GL Registers", "GLRegisters", "GL Registers"),
    aliases: ["G/L Register"],
    columns: REGISTER_COLUMNS,
  },
  skippedEntries: {
    key: "skippedEntries",
    names: names("Skipped Entries", "Skipped Entries", "SkippedEntries", "Skipped Entries"),
    aliases: [],
    columns: SKIPPED_COLUMNS,
  },
  testReport: {
    key: "testReport",
    names: names(
      "Post Inventory Cost to G/L - Test",
      "Post Invt Cost to GL - Test",
      "PostInventoryCostToGLTest",
      "Post Inventory Cost to GL - Test"
    ),
    aliases: ["Post Invt. Cost to G/L - Test"],
    columns: TEST_REPORT_COLUMNS,
  },
  reconciliation: {
    key: "reconciliation",
    names: names(
      "Inventory - G/L Reconciliation",
      "Inventory - GL Reconciliation",
      "InventoryGLReconciliation",
      "Inventory - GL Reconciliation"
    ),
    aliases: [],
    columns: RECONCILIATION_COLUMNS,
  },
  reconciliationDetail: {
    key: "reconciliationDetail",
    names: names(
      "Reconciliation Detail",
      "Reconciliation Detail",
      "ReconciliationDetail",
      "Reconciliation Detail"
    ),
    aliases: [],
    columns: RECONCILIATION_DETAIL_COLUMNS,
  },
  glRegisterChanges: REGISTER_CHANGES_TABLE,
  runSummary: {
    key: "runSummary",
    names: names("Run Summary", "Run Summary", "RunSummary", "Run Summary"),
    aliases: [],
    columns: RUN_SUMMARY_COLUMNS,
  },
};

export const OUTPUT_KEYS = Object.keys(OUTPUT_TABLES) as OutputKey[];

/**
 * An append or replace of `rows` in the output table `key`: under its names, into the table the read found
 * for it in `outputs` (none: it is created), with its columns (or `columns`).
 */
export function outputWrite<K extends "append" | "replace">(
  kind: K,
  key: OutputKey,
  outputs: Partial<Record<OutputKey, TableRef>>,
  rows: CellValue[][],
  columns: readonly ColumnSpec[] = OUTPUT_TABLES[key].columns
): {
  kind: K;
  names: OutputTableNames;
  existing?: TableRef;
  columns: ColumnSpec[];
  rows: CellValue[][];
} {
  return {
    kind,
    names: OUTPUT_TABLES[key].names,
    existing: outputs[key],
    columns: [...columns],
    rows,
  };
}

/** Every spelling an existing output table may have (for findTable). */
export function outputTableSpellings(key: OutputKey): string[] {
  const t = OUTPUT_TABLES[key];
  return [t.names.sheetName, t.names.excelTableName, t.names.csvName, ...t.aliases];
}
