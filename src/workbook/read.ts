/**
 * readPostingInput: every input table of workbook.md read through a WorkbookPort into the engine's plain
 * PostingInput, with every input error collected (rules.md section 4, "Input errors are not skips"), and a
 * ReadContext (readContext.ts) that holds what writing needs later (table refs, row mapping, posted values).
 *
 * Order: Settings first (settings.ts: the Amount Rounding Precision decides how amounts read), then Value
 * Entries, the posting setups and optional tables (one loop over TABLE_READS), and the existing output tables
 * (numbering continues after them). How one table is read by its schema: records.ts.
 */
import { ACCOUNT_TYPE_COUNT } from "../engine/accountTypes";
import {
  emptyValueEntry,
  type DefaultDimension,
  type GeneralPostingSetup,
  type GLAccount,
  type GLAccountType,
  type InventoryPostingSetup,
  type Item,
  type PostingInput,
  type Settings,
  type UserSetup,
  type ValueEntry,
  type ValuePosting,
} from "../engine/types";
import type { DateOrder } from "./dateOrder";
import {
  findInputTable,
  keepingProblems,
  locateErrors,
  problemErrors,
  sortErrors,
  type FoundProblems,
  type InputError,
} from "./inputErrors";
import {
  beyondBoundMessage,
  entryNoBoundErrors,
  interruptedRunError,
  ledgerVerdict,
  MAX_ENTRY_NO,
  type LedgerTables,
} from "./ledgerState";
import { findTables, looseName } from "./names";
import { OUTPUT_KEYS, OUTPUT_TABLES, outputTableSpellings } from "./outputSchema";
import type { CellValue, NumberStyle, SourceTable, TableRef, WorkbookPort } from "./port";
import type { InputTableRefs, PostedColumnInfo, ReadContext } from "./readContext";
import {
  checkConditionalColumns,
  checkDuplicates,
  maxOfColumns,
  decidedDateOrder,
  readRecords,
  resolveColumns,
  type ReadOptions,
  type Resolved,
  type RowRecord,
} from "./records";
import {
  accountField,
  DEFAULT_DIMENSIONS,
  GENERAL_POSTING_SETUP,
  GL_ACCOUNT_TABLE_ID,
  GL_ACCOUNTS,
  INVENTORY_POSTING_SETUP,
  ITEMS,
  POSTED_FIELDS,
  USER_SETUP,
  VALUE_ENTRIES,
  type InputTableSchema,
  type PostedField,
  type RequiredWhen,
} from "./schema";
import { readSettings } from "./settings";

export interface ReadResult {
  /** null when there is any input error. */
  input: PostingInput | null;
  errors: InputError[];
  context: ReadContext;
  /** How the tables' cells read (a streamed run reads its Value Entries chunks with them). */
  readOptions: ReadOptions;
}

export interface ReadPostingOptions {
  /** Read a workbook that holds an interrupted run without refusing it (glpost repair). */
  allowInterrupted?: boolean;
  /** `--date-order`: overrides the Settings' Date Order (dateOrder.ts). */
  dateOrder?: DateOrder;
}

export async function readPostingInput(
  source: WorkbookPort,
  options: ReadPostingOptions = {}
): Promise<ReadResult> {
  const errors: InputError[] = [];
  const found: FoundProblems = [];
  const port = keepingProblems(source, found);
  const tables = await port.listTables();
  const refs: InputTableRefs = {};

  const { settings, scale, precisionInvalid, dateOrder } = await readSettings(
    port,
    tables,
    refs,
    errors,
    options.dateOrder
  );
  const acy = settings.additionalReportingCurrency !== "";
  const opts: ReadOptions = { scale, acy, suppressRounding: precisionInvalid, settings, dateOrder };

  const context: ReadContext = {
    scale,
    settings,
    acy,
    tables: refs,
    outputs: {},
    valueEntryRows: [],
    valueEntriesRowCount: 0,
    valueEntriesHeader: [],
    postedColumns: [],
    postedValues: [],
    existing: { lastGLEntryNo: 0, lastTransactionNo: 0, lastRegisterNo: 0 },
    lastRegisterNoInRegisters: 0,
  };

  const valueEntries = await readValueEntries(port, tables, opts, context, errors);
  const setups = {} as Record<SetupKey, unknown[] | null>;
  for (const t of TABLE_READS) {
    const ref = findInputTable(tables, t.schema.name, t.schema.aliases, t.schema.required, errors);
    refs[t.key] = ref;
    if (ref === undefined) {
      setups[t.key] = t.nullWhenAbsent ? null : [];
      continue;
    }
    const table = await port.readTable(ref);
    const cols = resolveColumns(t.schema, table, opts, errors);
    let records = readRecords(t.schema, table, cols, () => emptyRecord(t.schema), opts, errors);
    if (t.keep !== undefined) records = records.filter((x) => t.keep!(x.rec));
    checkDuplicates(t.schema, table, cols, records, errors);
    setups[t.key] = records.map((x) => t.toInput(x.rec));
  }

  const ledger = await readExistingLedger(port, tables, context, errors);
  // Numbers beyond BC's 32-bit Integer, and a run that did not finish writing (whatever the Source Code
  // setting is now; BC's own pasted G/L entries are not a run's): ledgerState.ts. glpost repair reads with
  // allowInterrupted, to complete or roll back that run.
  errors.push(...entryNoBoundErrors(ledger));
  if (options.allowInterrupted !== true)
    for (const run of ledgerVerdict(ledger, valueEntries, acy).interrupted)
      errors.push(interruptedRunError(run));

  problemErrors(found, context, errors);
  locateErrors(errors, context);
  sortErrors(errors);
  const input: PostingInput | null =
    errors.length > 0
      ? null
      : {
          valueEntries,
          inventoryPostingSetup: setups.inventoryPostingSetup as InventoryPostingSetup[],
          generalPostingSetup: setups.generalPostingSetup as GeneralPostingSetup[],
          items: setups.items as Item[] | null,
          glAccounts: setups.glAccounts as GLAccount[] | null,
          defaultDimensions: setups.defaultDimensions as DefaultDimension[],
          settings,
          existing: context.existing,
          userSetup: setups.userSetup as UserSetup[] | null,
        };
  return { input, errors, context, readOptions: opts };
}

// ---------------------------------------------------------------------------------------------
// Value Entries

/** Whether the Value Entries read need a conditionally required column (schema `requiredWhen`). */
function valueEntriesNeed(
  when: RequiredWhen,
  records: readonly RowRecord<ValueEntry>[],
  settings: Settings
): boolean {
  switch (when) {
    case "expectedCost":
      return (
        settings.expectedCostPostingToGL || records.some((r) => !r.anyError && r.rec.expectedCost)
      );
    case "variance":
      return records.some((r) => !r.anyError && r.rec.entryType === "Variance");
    case "capacity":
      return records.some((r) => !r.anyError && r.rec.itemLedgerEntryType === "");
    case "acy":
      return settings.additionalReportingCurrency !== "";
  }
}

/**
 * Said once when Value Entries lacks both Entry Type and the posting groups: such a file (BC's query-based
 * "ValueEntries" web service, the analytics API) describes cost but cannot say where it posts.
 */
const NOT_A_LEDGER_EXPORT =
  "this table has no Entry Type and no posting groups, so it cannot say which accounts its cost posts to " +
  "(BC's query-based ValueEntries web service and the analytics API leave them out). Export the Value Entry " +
  "table itself: a configuration package of table 5802, or the Value Entries page with those columns shown.";

/**
 * The Value Entries, and in `context` what the write needs of them: each entry's row, the posted columns
 * and their cells as read (the guard compares them before writing).
 */
async function readValueEntries(
  port: WorkbookPort,
  tables: TableRef[],
  opts: ReadOptions,
  context: ReadContext,
  errors: InputError[]
): Promise<ValueEntry[]> {
  const { acy, settings } = context;
  const refs = context.tables;
  const valueEntries: ValueEntry[] = [];
  refs.valueEntries = findInputTable(
    tables,
    VALUE_ENTRIES.name,
    VALUE_ENTRIES.aliases,
    true,
    errors
  );
  if (refs.valueEntries !== undefined) {
    const table = await port.readTable(refs.valueEntries);
    const cols = resolveColumns(VALUE_ENTRIES, table, opts, errors);
    const postedFields: readonly PostedField[] = acy
      ? POSTED_FIELDS
      : ["costPostedToGL", "expectedCostPostedToGL"];
    const posted: PostedColumnInfo[] = [];
    for (const f of postedFields) {
      const c = cols.find((x) => x.col.field === f);
      if (c !== undefined) posted.push({ field: f, header: c.header, index: c.index });
    }
    const { records, postedValues } = readValueEntryRecords(
      table,
      cols,
      posted.map((p) => p.index),
      opts,
      errors
    );
    checkDuplicates(VALUE_ENTRIES, table, cols, records, errors);
    entryNoBeyondBound(records, table, cols, errors);
    checkConditionalColumns(
      VALUE_ENTRIES,
      cols,
      (when) => valueEntriesNeed(when, records, settings),
      errors
    );
    const hasHeader = table.header.some((h) => looseName(h ?? "") !== "");
    if (
      hasHeader &&
      !cols.some((c) => c.col.field === "entryType") &&
      !cols.some((c) => c.col.field === "genProdPostingGroup")
    )
      errors.push({ table: VALUE_ENTRIES.name, message: NOT_A_LEDGER_EXPORT });
    const rowsMap: number[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      valueEntries.push(records[i].rec);
      rowsMap[i] = records[i].rowIndex;
    }
    context.valueEntryRows = rowsMap;
    context.valueEntriesRowCount = table.rows.length;
    context.valueEntriesHeader = table.header.slice();
    context.postedColumns = posted;
    context.postedValues = postedValues;
  }

  return valueEntries;
}

/** The Value Entries records of a table, and each row's posted cells as read (the write guard compares them). */
function readValueEntryRecords(
  table: SourceTable,
  cols: Resolved[],
  postedIdx: readonly number[],
  opts: ReadOptions,
  errors: InputError[]
): { records: RowRecord<ValueEntry>[]; postedValues: CellValue[][] } {
  const postedValues: CellValue[][] = new Array(table.rows.length);
  const records = readRecords(
    VALUE_ENTRIES,
    table,
    cols,
    emptyValueEntry,
    opts,
    errors,
    (r, row) => {
      const v: CellValue[] = new Array(postedIdx.length);
      for (let i = 0; i < postedIdx.length; i++)
        v[i] = postedIdx[i] < row.length ? (row[postedIdx[i]] ?? null) : null;
      postedValues[r] = v;
    }
  );
  return { records, postedValues };
}

/** Entry Nos. beyond BC's 32-bit Integer (MAX_ENTRY_NO): one input error each. */
function entryNoBeyondBound(
  records: readonly RowRecord<ValueEntry>[],
  table: SourceTable,
  cols: readonly Resolved[],
  errors: InputError[]
): void {
  for (const { rec, rowIndex } of records)
    if (rec.entryNo > MAX_ENTRY_NO)
      errors.push({
        table: VALUE_ENTRIES.name,
        row: table.rowNumbers[rowIndex],
        column: cols.find((c) => c.col.field === "entryNo")!.header,
        value: String(rec.entryNo),
        message: beyondBoundMessage(rec.entryNo),
      });
}

/**
 * The Value Entries of a streamed run (app/stream.ts), read chunk by chunk with the rules readValueEntries
 * applies to the whole table. readPostingInput read the table's header (it had no rows) and everything else.
 * What needs the whole table is carried from chunk to chunk: the Entry No. order (a streamed table must be in
 * Entry No. order, as BC exports it: that also rules out duplicates), the conditional columns (checked in
 * finish, over every record read), the number style and the date order (fixed by the first chunk that decides
 * them: a later chunk that reads otherwise gets input errors where the whole table would have decided once).
 */
export class ValueEntryChunks {
  private cols: Resolved[];
  private postedIdx: number[];
  private lastEntryNo = -Infinity;
  private lastRow = 0;
  private need = { expectedCost: false, variance: false, capacity: false };
  private numberStyle: NumberStyle | undefined;
  private opts: ReadOptions;

  constructor(
    header: SourceTable,
    opts: ReadOptions,
    private readonly context: ReadContext
  ) {
    this.opts = { ...opts };
    this.cols = resolveColumns(VALUE_ENTRIES, header, this.opts, []);
    this.postedIdx = context.postedColumns.map((p) => p.index);
  }

  /** The chunk's value entries, the row (index into table.rows) of each and the posted cells of every row. */
  read(
    table: SourceTable,
    errors: InputError[]
  ): { entries: ValueEntry[]; rows: number[]; postedValues: CellValue[][] } {
    if (this.numberStyle !== undefined) table.numberStyle = this.numberStyle;
    else if (table.numberStyle?.decimal != null) this.numberStyle = table.numberStyle;
    else table.numberStyle = { decimal: null };
    if ((this.opts.dateOrder ?? "auto") === "auto") {
      const decided = decidedDateOrder(table, this.cols);
      if (decided !== null) this.opts.dateOrder = decided;
    }
    const { records, postedValues } = readValueEntryRecords(
      table,
      this.cols,
      this.postedIdx,
      this.opts,
      errors
    );
    entryNoBeyondBound(records, table, this.cols, errors);
    const entries: ValueEntry[] = [];
    const rows: number[] = [];
    for (const r of records) {
      if (!r.keyError) {
        if (!(r.rec.entryNo > this.lastEntryNo))
          errors.push({
            table: VALUE_ENTRIES.name,
            row: table.rowNumbers[r.rowIndex],
            column: this.cols.find((c) => c.col.field === "entryNo")!.header,
            value: String(r.rec.entryNo),
            message:
              `Entry No. ${r.rec.entryNo} comes after ${this.lastEntryNo} (row ${this.lastRow}): a streamed run reads ` +
              `Value Entries in Entry No. order, as Business Central exports them, and each Entry No. once; sort the file by Entry No. (or post without --stream)`,
          });
        this.lastEntryNo = r.rec.entryNo;
        this.lastRow = table.rowNumbers[r.rowIndex];
      }
      if (!r.anyError) {
        if (r.rec.expectedCost) this.need.expectedCost = true;
        if (r.rec.entryType === "Variance") this.need.variance = true;
        if (r.rec.itemLedgerEntryType === "") this.need.capacity = true;
      }
      entries.push(r.rec);
      rows.push(r.rowIndex);
    }
    return { entries, rows, postedValues };
  }

  /**
   * What only the whole table can say: a conditionally required column the records read need (what the
   * settings alone require, readPostingInput said on the header).
   */
  finish(errors: InputError[]): void {
    const settings = this.context.settings;
    checkConditionalColumns(
      VALUE_ENTRIES,
      this.cols,
      (when) =>
        when === "acy"
          ? false
          : when === "expectedCost"
            ? this.need.expectedCost && !settings.expectedCostPostingToGL
            : this.need[when],
      errors
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The posting setups and the optional tables

type SetupKey =
  | "inventoryPostingSetup"
  | "generalPostingSetup"
  | "items"
  | "glAccounts"
  | "defaultDimensions"
  | "userSetup";
type SetupRecord = Record<string, unknown>;

/** How one of these tables is read: its schema, and what PostingInput holds of each record read. */
interface TableRead {
  schema: InputTableSchema;
  /** Its key in PostingInput and in InputTableRefs. */
  key: SetupKey;
  /** Absent, PostingInput holds null (the rule then does not apply) rather than no rows. */
  nullWhenAbsent: boolean;
  /** The records that count (before the duplicate check). */
  keep?: (rec: SetupRecord) => boolean;
  toInput: (rec: SetupRecord) => unknown;
}

const code = (v: unknown): string => v as string;

function accountsOf(rec: SetupRecord): string[] {
  const accounts: string[] = new Array(ACCOUNT_TYPE_COUNT).fill("");
  for (let i = 0; i < ACCOUNT_TYPE_COUNT; i++) {
    const v = rec[accountField(i)];
    if (typeof v === "string") accounts[i] = v;
  }
  return accounts;
}

/** In reading order (errors are reported table by table in this order). */
const TABLE_READS: readonly TableRead[] = [
  {
    schema: INVENTORY_POSTING_SETUP,
    key: "inventoryPostingSetup",
    nullWhenAbsent: false,
    toInput: (r): InventoryPostingSetup => ({
      locationCode: code(r.locationCode),
      invtPostingGroupCode: code(r.invtPostingGroupCode),
      accounts: accountsOf(r),
    }),
  },
  {
    schema: GENERAL_POSTING_SETUP,
    key: "generalPostingSetup",
    nullWhenAbsent: false,
    toInput: (r): GeneralPostingSetup => ({
      genBusPostingGroup: code(r.genBusPostingGroup),
      genProdPostingGroup: code(r.genProdPostingGroup),
      blocked: r.blocked as boolean,
      accounts: accountsOf(r),
    }),
  },
  {
    schema: ITEMS,
    key: "items",
    nullWhenAbsent: true,
    toInput: (r): Item => ({
      no: code(r.no),
      inventoryPostingGroup: code(r.inventoryPostingGroup),
    }),
  },
  {
    schema: GL_ACCOUNTS,
    key: "glAccounts",
    nullWhenAbsent: true,
    // A blank Account Type reads as Posting (rules.md section 4).
    toInput: (r): GLAccount => ({
      no: code(r.no),
      name: r.name as string,
      accountType: r.accountType === "" ? "Posting" : (r.accountType as GLAccountType),
      blocked: r.blocked as boolean,
    }),
  },
  {
    schema: DEFAULT_DIMENSIONS,
    key: "defaultDimensions",
    nullWhenAbsent: false,
    // A BC export holds default dimensions of every table: only G/L Account's (Table ID 15) or a blank ID count.
    keep: (r) => r.tableId === 0 || r.tableId === GL_ACCOUNT_TABLE_ID,
    toInput: (r): DefaultDimension => ({
      no: code(r.no),
      dimensionCode: code(r.dimensionCode),
      dimensionValueCode: code(r.dimensionValueCode),
      valuePosting: r.valuePosting as ValuePosting,
    }),
  },
  {
    // Per-user allowed posting dates.
    schema: USER_SETUP,
    key: "userSetup",
    nullWhenAbsent: true,
    toInput: (r): UserSetup => ({
      userId: code(r.userId),
      allowPostingFrom: r.allowPostingFrom as UserSetup["allowPostingFrom"],
      allowPostingTo: r.allowPostingTo as UserSetup["allowPostingTo"],
    }),
  },
];

/** A record with every field of the schema at its blank value (what a missing column reads as). */
function emptyRecord(schema: InputTableSchema): SetupRecord {
  const rec: SetupRecord = {};
  for (const c of schema.columns)
    rec[c.field] =
      c.kind === "integer"
        ? 0
        : c.kind === "date"
          ? null
          : c.kind === "boolean"
            ? (c.blankIs ?? false)
            : "";
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Existing output tables

/** The output tables found, and the numbers a run continues after (Entry No., Transaction No., Register No.). */
async function readExistingLedger(
  port: WorkbookPort,
  tables: TableRef[],
  context: ReadContext,
  errors: InputError[]
): Promise<LedgerTables> {
  for (const key of OUTPUT_KEYS) {
    const hits = findTables(tables, OUTPUT_TABLES[key].names.name, outputTableSpellings(key));
    if (hits.length > 0) context.outputs[key] = hits[0];
  }
  let lastGLEntryNo = 0;
  let lastTransactionNo = 0;
  let lastRegisterNo = 0;
  const ledger: LedgerTables = {};
  if (context.outputs.glEntries !== undefined) {
    const t = (ledger.glEntries = await port.readTable(context.outputs.glEntries));
    const [entryNo, transactionNo, registerNo] = maxOfColumns(
      OUTPUT_TABLES.glEntries.names.name,
      t,
      [{ name: "Entry No." }, { name: "Transaction No." }, { name: "G/L Register No." }],
      errors
    );
    lastGLEntryNo = Math.max(lastGLEntryNo, entryNo);
    lastTransactionNo = Math.max(lastTransactionNo, transactionNo);
    lastRegisterNo = Math.max(lastRegisterNo, registerNo);
  }
  if (context.outputs.glRegisters !== undefined) {
    const t = (ledger.registers = await port.readTable(context.outputs.glRegisters));
    const [no, toEntryNo] = maxOfColumns(
      OUTPUT_TABLES.glRegisters.names.name,
      t,
      [{ name: "No." }, { name: "To Entry No." }],
      errors
    );
    context.lastRegisterNoInRegisters = no;
    lastRegisterNo = Math.max(lastRegisterNo, no);
    lastGLEntryNo = Math.max(lastGLEntryNo, toEntryNo);
  }
  if (context.outputs.glItemLedgerRelation !== undefined) {
    const t = (ledger.relations = await port.readTable(context.outputs.glItemLedgerRelation));
    const [registerNo] = maxOfColumns(
      OUTPUT_TABLES.glItemLedgerRelation.names.name,
      t,
      [{ name: "G/L Register No." }],
      errors
    );
    lastRegisterNo = Math.max(lastRegisterNo, registerNo);
  }
  context.existing = { lastGLEntryNo, lastTransactionNo, lastRegisterNo };
  return ledger;
}
