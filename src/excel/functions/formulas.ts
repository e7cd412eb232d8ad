/**
 * The pure part of =INVT.GLPOST, =INVT.SKIPPED, =INVT.TOTALS, =INVT.GLACCOUNT and =INVT.COSTTOPOST: argument
 * ranges in, spilled values out. The ranges become tables of a read-only WorkbookPort (ranges.ts) and go
 * through the CLI's own reader (readPostingInput) and engine (postInventoryCostToGL, evaluateEntry), so a
 * formula and a run can never disagree. A preview: nothing is written.
 *
 * Results: a header row, then one row per record; amounts as numbers (minor units divided once), dates as
 * Excel serials, Yes/No as TRUE/FALSE, blanks as "". A result with no records is its header row alone (Excel
 * cannot spill an empty array; a header with nothing under it reads as "none").
 *
 * Caches: a read is keyed by the content hashes of its argument ranges, a run by the read and the options,
 * so the GLPOST, SKIPPED and TOTALS of one recalculation read and post once, and a recalculation with
 * unchanged ranges reads nothing again.
 */
import { clockOf } from "../../app/run";
import { ACCOUNT_MATRIX, type MatrixRow } from "../../engine/accountMatrix";
import { ACCOUNT_TYPES, accountTypeCaption } from "../../engine/accountTypes";
import { EXCEL_EPOCH_OFFSET } from "../../engine/dates";
import {
  createEnv,
  parseRunOptions,
  entryAccountLines,
  evaluateEntry,
  RunOptionsError,
  type Evaluation,
  type LineTemplate,
} from "../../engine/evaluate";
import { MoneyOverflowError, type MoneyScale } from "../../engine/money";
import { postInventoryCostToGL } from "../../engine/post";
import { joinProblems } from "../../engine/problems";
import {
  glEntryList,
  type GLEntry,
  type PostingInput,
  type PostingMethod,
  type PostingResult,
  type RunOptions,
  type SkippedEntry,
  type ValueEntry,
} from "../../engine/types";
import { findColumn, looseHeader, looseName } from "../../workbook/names";
import { GL_ENTRY_COLUMNS, SKIPPED_COLUMNS } from "../../workbook/outputSchema";
import type { SourceTable } from "../../workbook/port";
import { readPostingInput } from "../../workbook/read";
import { type InputError } from "../../workbook/inputErrors";
import { type ReadContext } from "../../workbook/readContext";
import {
  GENERAL_POSTING_SETUP,
  GL_ACCOUNTS,
  INVENTORY_POSTING_SETUP,
  ITEMS,
  SETTINGS,
  SETTINGS_TABLE,
  VALUE_ENTRIES,
} from "../../workbook/schema";
import { parseCode } from "../../workbook/values";
import {
  emptyTable,
  FormulaError,
  Lru,
  omitted,
  plainErrors,
  rangeArg,
  rangeHash,
  RangeWorkbook,
  tableFromRange,
  type ErrorFactory,
  type RangeArg,
} from "./ranges";

export type ExcelValue = string | number | boolean;
export type Spill = ExcelValue[][];

// ---------------------------------------------------------------------------------------------
// Arguments

const SETTINGS_COLUMNS = [
  SETTINGS_TABLE.settingColumn.name,
  ...SETTINGS_TABLE.settingColumn.aliases,
  ...SETTINGS.flatMap((s) => [s.name, ...(s.aliases ?? [])]),
];

export const ARGS = {
  valueEntries: rangeArg("valueEntries", VALUE_ENTRIES),
  valueEntryRow: rangeArg("valueEntryRow", VALUE_ENTRIES),
  inventoryPostingSetup: rangeArg("inventoryPostingSetup", INVENTORY_POSTING_SETUP),
  generalPostingSetup: rangeArg("generalPostingSetup", GENERAL_POSTING_SETUP),
  items: rangeArg("items", ITEMS),
  glAccounts: rangeArg("glAccounts", GL_ACCOUNTS),
  settings: {
    arg: "settings",
    table: SETTINGS_TABLE.name,
    knownColumns: SETTINGS_COLUMNS,
  } as RangeArg,
} as const;

/** The arguments GLPOST, SKIPPED and TOTALS share (Excel passes null for an omitted optional one). */
export interface PostingArgs {
  valueEntries: unknown;
  inventoryPostingSetup: unknown;
  generalPostingSetup: unknown;
  method?: unknown;
  documentNo?: unknown;
  settings?: unknown;
  items?: unknown;
  glAccounts?: unknown;
}

/** The arguments GLPOST, SKIPPED and TOTALS share, in Excel's order. */
type PostingParams = [
  valueEntries: unknown,
  inventoryPostingSetup: unknown,
  generalPostingSetup: unknown,
  method?: unknown,
  documentNo?: unknown,
  settings?: unknown,
  items?: unknown,
  glAccounts?: unknown,
];

/** PostingArgs from the arguments in Excel's order (TOTALS has one more after them). */
function postingArgs(
  ...[
    valueEntries,
    inventoryPostingSetup,
    generalPostingSetup,
    method,
    documentNo,
    settings,
    items,
    glAccounts,
  ]: readonly [...PostingParams, ...unknown[]]
): PostingArgs {
  return {
    valueEntries,
    inventoryPostingSetup,
    generalPostingSetup,
    method,
    documentNo,
    settings,
    items,
    glAccounts,
  };
}

/** "entry"/"per Entry" or "group"/"per Posting Group", loosely; omitted: per Posting Group with a Document No., else per Entry. */
function parseMethod(method: unknown, documentNo: string): PostingMethod {
  if (omitted(method)) return documentNo !== "" ? "per Posting Group" : "per Entry";
  const m = typeof method === "string" ? looseName(method) : "";
  if (m === "entry" || m === "perentry") return "per Entry";
  if (m === "group" || m === "pergroup" || m === "postinggroup" || m === "perpostinggroup")
    return "per Posting Group";
  throw new FormulaError(
    "#VALUE!",
    `method: ${JSON.stringify(String(method))} is not a posting method; use "entry" (per Entry) or "group" (per Posting Group).`
  );
}

function textArg(v: unknown): string {
  if (omitted(v)) return "";
  const x = Array.isArray(v) ? (v[0] as unknown[])?.[0] : v;
  return x === null || x === undefined ? "" : String(x).trim();
}

function runOptions(method: PostingMethod, documentNo: string): RunOptions {
  // Checked once; the engine takes them parsed.
  const checked = parseRunOptions({
    postingMethod: method,
    documentNo,
    post: false,
    itemFilter: "",
    dateFilter: "",
    now: clockOf(new Date()),
    userId: "",
  });
  if (!checked.ok) throw new FormulaError("#VALUE!", `documentNo: ${checked.error}`);
  return checked.options;
}

// ---------------------------------------------------------------------------------------------
// Reading (cached by content)

interface Read {
  key: string;
  input: PostingInput;
  context: ReadContext;
  tables: Map<string, SourceTable>;
}
type ReadOutcome = { ok: true; read: Read } | { ok: false; error: FormulaError };

/** How often the reader and the engine ran (tests check that recalculation does not re-read). */
export const formulaStats = { reads: 0, runs: 0 };
const reads = new Lru<string, Promise<ReadOutcome>>(12);
const runs = new Lru<string, PostingResult>(12);

/** Forgets every cached read and run. */
export function clearFormulaCaches(): void {
  reads.clear();
  runs.clear();
}

type Given = [RangeArg, unknown, "required" | "optional" | "none"];

/** Input errors as one formula error: the first, naming argument, row and column, and how many more there are. */
function inputFailure(errors: readonly InputError[], given: readonly Given[]): FormulaError {
  const argOf = new Map(given.map(([spec]) => [spec.table, spec.arg] as const));
  const e = errors[0];
  let where = argOf.get(e.table) ?? e.table;
  if (e.row !== undefined) where += `, row ${e.row}`;
  if (e.column !== undefined) where += `, column "${e.column}"`;
  const more =
    errors.length > 1
      ? ` (and ${errors.length - 1} more input error${errors.length > 2 ? "s" : ""})`
      : "";
  // A table without a needed column (or otherwise the wrong shape) is a bad reference; a bad cell a bad value.
  return new FormulaError(
    e.row === undefined ? "#REF!" : "#VALUE!",
    `${where}: ${e.message}${more}`
  );
}

async function readRanges(given: readonly Given[]): Promise<Read> {
  const key = given
    .map(([spec, v, kind]) => `${spec.arg}=${kind === "none" ? "-" : rangeHash(v)}`)
    .join("|");
  let pending = reads.get(key);
  if (pending === undefined) {
    pending = (async (): Promise<ReadOutcome> => {
      try {
        const tables = new Map<string, SourceTable>();
        for (const [spec, v, kind] of given) {
          if (kind === "none") tables.set(spec.table, emptyTable(spec.table));
          else if (!omitted(v)) tables.set(spec.table, tableFromRange(spec, v));
          else if (kind === "required")
            throw new FormulaError(
              "#REF!",
              `${spec.arg}: the argument is required; pass the table with its header row, e.g. ${spec.table.replace(/[^A-Za-z0-9]/g, "")}[#All].`
            );
        }
        formulaStats.reads++;
        const r = await readPostingInput(new RangeWorkbook([...tables.values()]));
        if (r.input === null || r.errors.length > 0)
          return { ok: false, error: inputFailure(r.errors, given) };
        return { ok: true, read: { key, input: r.input, context: r.context, tables } };
      } catch (e) {
        if (e instanceof FormulaError) return { ok: false, error: e };
        throw e;
      }
    })();
    reads.set(key, pending);
    pending.catch(() => reads.delete(key));
  }
  const outcome = await pending;
  if (!outcome.ok) throw outcome.error;
  return outcome.read;
}

function postingGiven(a: PostingArgs): Given[] {
  return [
    [ARGS.valueEntries, a.valueEntries, "required"],
    [ARGS.inventoryPostingSetup, a.inventoryPostingSetup, "required"],
    [ARGS.generalPostingSetup, a.generalPostingSetup, "required"],
    [ARGS.settings, a.settings, "optional"],
    [ARGS.items, a.items, "optional"],
    [ARGS.glAccounts, a.glAccounts, "optional"],
  ];
}

/** The run GLPOST, SKIPPED and TOTALS show: read once, posted once per method and Document No. */
async function run(a: PostingArgs): Promise<{ read: Read; result: PostingResult }> {
  const documentNo = textArg(a.documentNo);
  const method = parseMethod(a.method, documentNo);
  const options = runOptions(method, documentNo);
  const read = await readRanges(postingGiven(a));
  const key = `${read.key}#${method}#${documentNo}`;
  let result = runs.get(key);
  if (result === undefined) {
    formulaStats.runs++;
    result = postInventoryCostToGL(read.input, options);
    runs.set(key, result);
  }
  return { read, result };
}

// ---------------------------------------------------------------------------------------------
// Values out

const serial = (day: number): number => day + EXCEL_EPOCH_OFFSET;
function amounts(scale: MoneyScale): (m: number) => number {
  const f = scale.factor;
  return (m) => (m === 0 ? 0 : m / f);
}

type GLGetter = (g: GLEntry, money: (m: number) => number) => ExcelValue;
const GL_GETTERS: Record<string, GLGetter> = {
  "Entry No.": (g) => g.entryNo,
  "Posting Date": (g) => serial(g.postingDate),
  "Document No.": (g) => g.documentNo,
  "External Document No.": (g) => g.externalDocumentNo,
  "G/L Account No.": (g) => g.glAccountNo,
  "G/L Account Name": (g) => g.glAccountName,
  Description: (g) => g.description,
  Amount: (g, m) => m(g.amount),
  "Debit Amount": (g, m) => m(g.amount > 0 ? g.amount : 0),
  "Credit Amount": (g, m) => m(g.amount < 0 ? -g.amount : 0),
  "Additional-Currency Amount": (g, m) => m(g.additionalCurrencyAmount),
  "Source Code": (g) => g.sourceCode,
  "System-Created Entry": (g) => g.systemCreatedEntry,
  "Transaction No.": (g) => g.transactionNo,
  "G/L Register No.": (g) => g.glRegisterNo,
  "Inventory Account Type": (g) => accountTypeCaption(g.inventoryAccountType),
  "Bal. Account Type": (g) => accountTypeCaption(g.balAccountType),
  "Location Code": (g) => g.locationCode,
  "Inventory Posting Group": (g) => g.inventoryPostingGroup,
  "Gen. Bus. Posting Group": (g) => g.genBusPostingGroup,
  "Gen. Prod. Posting Group": (g) => g.genProdPostingGroup,
  "Dimension Set ID": (g) => g.dimensionSetId,
  "Global Dimension 1 Code": (g) => g.globalDimension1Code,
  "Global Dimension 2 Code": (g) => g.globalDimension2Code,
};

type SkippedGetter = (s: SkippedEntry, e: ValueEntry, money: (m: number) => number) => ExcelValue;
const SKIPPED_GETTERS: Record<string, SkippedGetter> = {
  "Value Entry No.": (s) => s.valueEntryNo,
  "Item No.": (_s, e) => e.itemNo,
  "Item Ledger Entry Type": (_s, e) => e.itemLedgerEntryType,
  "Entry Type": (_s, e) => e.entryType,
  "Document No.": (_s, e) => e.documentNo,
  "Source No.": (_s, e) => e.sourceNo,
  "Posting Date": (_s, e) => serial(e.postingDate),
  "Location Code": (_s, e) => e.locationCode,
  "Inventory Posting Group": (_s, e) => e.inventoryPostingGroup,
  "Gen. Bus. Posting Group": (_s, e) => e.genBusPostingGroup,
  "Gen. Prod. Posting Group": (_s, e) => e.genProdPostingGroup,
  "Expected Cost": (_s, e) => e.expectedCost,
  "Cost Amount": (s, _e, m) => m(s.costAmount),
  "Reason Code": (s) => s.reasonCode,
  Reason: (s) => s.reason,
  "How to Fix": (s) => s.howToFix,
};

/** The output tables' columns (outputs.ts, the one home of their names and order), each with its getter. */
function getters<G>(columns: readonly { name: string }[], byName: Record<string, G>): G[] {
  return columns.map((c) => {
    const g = byName[c.name];
    if (g === undefined) throw new Error(`No value for the column "${c.name}"`);
    return g;
  });
}
export const GL_ENTRY_HEADER: string[] = GL_ENTRY_COLUMNS.map((c) => c.name);
const GL_ROW = getters(GL_ENTRY_COLUMNS, GL_GETTERS);
export const SKIPPED_HEADER: string[] = SKIPPED_COLUMNS.map((c) => c.name);
const SKIPPED_ROW = getters(SKIPPED_COLUMNS, SKIPPED_GETTERS);

/** G/L entries as spilled rows (the G/L Entries table's columns). */
export function glEntryRows(result: PostingResult, scale: MoneyScale): Spill {
  const m = amounts(scale);
  const gl = glEntryList(result);
  const out: Spill = new Array(gl.length + 1);
  out[0] = GL_ENTRY_HEADER.slice();
  const n = GL_ROW.length;
  for (let i = 0; i < gl.length; i++) {
    const g = gl.at(i)!;
    const row: ExcelValue[] = new Array(n);
    for (let c = 0; c < n; c++) row[c] = GL_ROW[c](g, m);
    out[i + 1] = row;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The functions, with errors as FormulaError

async function glPostValues(a: PostingArgs): Promise<Spill> {
  const { read, result } = await run(a);
  return glEntryRows(result, read.context.scale);
}

async function skippedValues(a: PostingArgs): Promise<Spill> {
  const { read, result } = await run(a);
  const m = amounts(read.context.scale);
  const out: Spill = [SKIPPED_HEADER.slice()];
  for (const s of result.skipped) {
    const e = read.input.valueEntries[s.index];
    out.push(SKIPPED_ROW.map((g) => g(s, e, m)));
  }
  return out;
}

const TOTALS_HEADER = [
  "G/L Account No.",
  "G/L Account Name",
  "Debit Amount",
  "Credit Amount",
  "Net Change",
];
const TOTALS_BY_DATE_HEADER = [
  "G/L Account No.",
  "G/L Account Name",
  "Posting Date",
  "Debit Amount",
  "Credit Amount",
  "Net Change",
];

function flag(v: unknown, arg: string): boolean {
  if (omitted(v)) return false;
  const x = Array.isArray(v) ? (v[0] as unknown[])?.[0] : v;
  if (typeof x === "boolean") return x;
  if (typeof x === "number" && (x === 0 || x === 1)) return x === 1;
  throw new FormulaError("#VALUE!", `${arg}: ${JSON.stringify(String(x))} is not TRUE or FALSE.`);
}

/** The run's G/L entries summed per G/L account (and posting date): debit, credit, net; then a Total row. */
async function totalsValues(a: PostingArgs & { byPostingDate?: unknown }): Promise<Spill> {
  const byDate = flag(a.byPostingDate, "byPostingDate");
  const { read, result } = await run(a);
  const m = amounts(read.context.scale);
  const sums = new Map<
    string,
    { no: string; name: string; date: number; debit: number; credit: number }
  >();
  let debit = 0;
  let credit = 0;
  const gl = glEntryList(result);
  for (let i = 0; i < gl.length; i++) {
    const g = gl.at(i)!;
    const key = byDate ? `${g.glAccountNo}\u0001${g.postingDate}` : g.glAccountNo;
    let s = sums.get(key);
    if (s === undefined)
      sums.set(
        key,
        (s = { no: g.glAccountNo, name: g.glAccountName, date: g.postingDate, debit: 0, credit: 0 })
      );
    if (g.amount > 0) {
      s.debit += g.amount;
      debit += g.amount;
    } else {
      s.credit -= g.amount;
      credit -= g.amount;
    }
  }
  const list = [...sums.values()].sort(
    (x, y) => x.no.localeCompare(y.no, "en", { numeric: true }) || x.date - y.date
  );
  const out: Spill = [(byDate ? TOTALS_BY_DATE_HEADER : TOTALS_HEADER).slice()];
  for (const s of list)
    out.push(
      byDate
        ? [s.no, s.name, serial(s.date), m(s.debit), m(s.credit), m(s.debit - s.credit)]
        : [s.no, s.name, m(s.debit), m(s.credit), m(s.debit - s.credit)]
    );
  out.push(
    byDate
      ? ["Total", "", "", m(debit), m(credit), m(debit - credit)]
      : ["Total", "", m(debit), m(credit), m(debit - credit)]
  );
  return out;
}

const COST_TO_POST_HEADER = ["Entry No.", "Actual Cost to Post", "Expected Cost to Post"];

/**
 * Per value entry what a run would post now (rules.md section 3): actual and expected, after what is already
 * posted; 0 for an entry that never posts. One entry: the single number actual + expected.
 */
async function costToPostValues(a: { valueEntries: unknown; settings?: unknown }): Promise<Spill> {
  const read = await readRanges([
    [ARGS.valueEntries, a.valueEntries, "required"],
    [ARGS.inventoryPostingSetup, null, "none"],
    [ARGS.generalPostingSetup, null, "none"],
    [ARGS.settings, a.settings, "optional"],
  ]);
  const m = amounts(read.context.scale);
  const env = createEnv(read.input, runOptions("per Entry", ""));
  const evals = read.input.valueEntries.map((e) => evaluateEntry(e, env));
  if (evals.length === 1) return [[m(evals[0].actLcy + evals[0].expLcy)]];
  const out: Spill = [COST_TO_POST_HEADER.slice()];
  read.input.valueEntries.forEach((e, i) =>
    out.push([e.entryNo, m(evals[i].actLcy), m(evals[i].expLcy)])
  );
  return out;
}

const GL_ACCOUNT_HEADER = [
  "Entry No.",
  "Part",
  "Account Type",
  "G/L Account No.",
  "Setup Row",
  "Bal. Account Type",
  "Bal. G/L Account No.",
  "Bal. Setup Row",
  "Matrix Row",
  "Amount to Post",
  "Status",
  "Reason",
  "How to Fix",
];

const OUTCOME_TEXT: Record<Evaluation["outcome"], string> = {
  posted: "posts now",
  alreadyPosted: "already posted",
  ignored: "never posts (not inventoriable, all amounts 0, or non-inventory cost)",
  skipped: "skipped",
  filteredOut: "filtered out",
};

/** Row numbers of the setup ranges by key (codes read as the reader reads them), for "the setup row that chose it". */
function setupRows(
  table: SourceTable | undefined,
  a: { name: string; aliases?: readonly string[] },
  b: { name: string; aliases?: readonly string[] }
): Map<string, number> {
  const out = new Map<string, number>();
  if (table === undefined) return out;
  const loose = looseHeader(table.header);
  const ia = findColumn(loose, a.name, a.aliases);
  const ib = findColumn(loose, b.name, b.aliases);
  table.rows.forEach((r, i) => {
    const key = `${ia < 0 ? "" : parseCode(r[ia] ?? null)},${ib < 0 ? "" : parseCode(r[ib] ?? null)}`;
    if (!out.has(key)) out.set(key, table.rowNumbers[i]);
  });
  return out;
}

function column(schema: typeof INVENTORY_POSTING_SETUP, field: string) {
  return schema.columns.find((c) => c.field === field)!;
}

function matrixRowText(row: MatrixRow): string {
  const ile =
    row.itemLedgerEntryTypes === "any except blank"
      ? "any Item Ledger Entry Type"
      : row.itemLedgerEntryTypes.map((t) => (t === "" ? "(blank)" : t)).join(", ");
  let text = `${ACCOUNT_MATRIX.indexOf(row) + 1}: ${ile} / ${row.entryTypes.join(", ")}`;
  if (row.varianceTypes) text += ` (Variance Type ${row.varianceTypes.join(", ")})`;
  if (row.orderTypes)
    text += ` (Order Type ${row.orderTypes.map((t) => (t === "" ? "(blank)" : t)).join(", ")})`;
  return text;
}

/**
 * For each value entry of the range (a header row plus one row, or more): the account and balancing account
 * of its expected and actual pair, the setup rows and the account-matrix row that chose them, what it would
 * post now, and its status; a skipped entry says why and how to fix it.
 */
async function glAccountValues(a: {
  valueEntryRow: unknown;
  inventoryPostingSetup: unknown;
  generalPostingSetup: unknown;
  items?: unknown;
  settings?: unknown;
}): Promise<Spill> {
  const read = await readRanges([
    [ARGS.valueEntryRow, a.valueEntryRow, "required"],
    [ARGS.inventoryPostingSetup, a.inventoryPostingSetup, "required"],
    [ARGS.generalPostingSetup, a.generalPostingSetup, "required"],
    [ARGS.settings, a.settings, "optional"],
    [ARGS.items, a.items, "optional"],
  ]);
  if (read.input.valueEntries.length === 0)
    throw new FormulaError(
      "#N/A",
      "valueEntryRow: the range holds no value entry (only a header row); pass the header row and the entry's row."
    );
  const m = amounts(read.context.scale);
  const env = createEnv(read.input, runOptions("per Entry", ""));
  const inv = setupRows(
    read.tables.get(INVENTORY_POSTING_SETUP.name),
    column(INVENTORY_POSTING_SETUP, "locationCode"),
    column(INVENTORY_POSTING_SETUP, "invtPostingGroupCode")
  );
  const gen = setupRows(
    read.tables.get(GENERAL_POSTING_SETUP.name),
    column(GENERAL_POSTING_SETUP, "genBusPostingGroup"),
    column(GENERAL_POSTING_SETUP, "genProdPostingGroup")
  );
  const setupText = (t: LineTemplate): string => {
    const inventory = ACCOUNT_TYPES[t.accountType].setupTable === "Inventory Posting Setup";
    const key = inventory
      ? `${t.locationCode},${t.inventoryPostingGroup}`
      : `${t.genBusPostingGroup},${t.genProdPostingGroup}`;
    const arg = inventory ? "inventoryPostingSetup" : "generalPostingSetup";
    const row = (inventory ? inv : gen).get(key);
    return row === undefined
      ? `${arg}: no row ${key}`
      : `${arg} row ${row} (${key}), ${ACCOUNT_TYPES[t.accountType].setupField}`;
  };
  const out: Spill = [GL_ACCOUNT_HEADER.slice()];
  for (const e of read.input.valueEntries) {
    const ev = evaluateEntry(e, env);
    const status = OUTCOME_TEXT[ev.outcome];
    const skip = ev.outcome === "skipped" ? joinProblems(ev.problems) : null;
    const reason = skip === null ? "" : `${ev.problems[0].code}: ${skip.reason}`;
    const fix = skip === null ? "" : skip.howToFix;
    const lines = entryAccountLines(e, env);
    if (lines === null) {
      out.push([
        e.entryNo,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "none",
        m(ev.actLcy + ev.expLcy),
        status,
        reason,
        fix,
      ]);
      continue;
    }
    const pairs: [string, LineTemplate[], number][] = [];
    if (lines.exp.length > 0) pairs.push(["Expected", lines.exp, ev.expLcy]);
    pairs.push(["Actual", lines.act, ev.actLcy]);
    for (const [part, [acc, bal], amount] of pairs) {
      // An entry that posts or is posted may still have a setup problem on a pair that has nothing to post.
      const own =
        skip === null ? [acc.account.problem, bal.account.problem].filter((p) => p !== null) : [];
      const ownText = own.length === 0 ? null : joinProblems(own);
      out.push([
        e.entryNo,
        part,
        accountTypeCaption(acc.accountType),
        acc.account.glAccountNo,
        setupText(acc),
        accountTypeCaption(bal.accountType),
        bal.account.glAccountNo,
        setupText(bal),
        matrixRowText(lines.row),
        m(amount),
        status,
        ownText === null ? reason : `${own[0].code}: ${ownText.reason}`,
        ownText === null ? fix : ownText.howToFix,
      ]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Errors out: every failure an Excel error value, never an unhandled exception

/** Runs a function body; a FormulaError becomes the factory's error, anything unexpected #VALUE! (or #NUM!). */
export async function guarded<T>(
  name: string,
  makeError: ErrorFactory,
  body: () => Promise<T>
): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof FormulaError) throw makeError(e.code, e.message);
    if (e instanceof MoneyOverflowError) throw makeError("#NUM!", e.message);
    if (e instanceof RunOptionsError) throw makeError("#VALUE!", e.message);
    throw makeError(
      "#VALUE!",
      `INVT.${name} failed: ${e instanceof Error ? e.message : String(e)}`
    );
  }
}

/** The five functions with their Excel argument order, raising errors through the given factory. */
export function formulaFunctions(makeError: ErrorFactory = plainErrors) {
  return {
    glPost: (...a: PostingParams) =>
      guarded("GLPOST", makeError, () => glPostValues(postingArgs(...a))),
    skipped: (...a: PostingParams) =>
      guarded("SKIPPED", makeError, () => skippedValues(postingArgs(...a))),
    totals: (...a: [...PostingParams, byPostingDate?: unknown]) =>
      guarded("TOTALS", makeError, () =>
        totalsValues({ ...postingArgs(...a), byPostingDate: a[8] })
      ),
    glAccount: (
      valueEntryRow: unknown,
      inventoryPostingSetup: unknown,
      generalPostingSetup: unknown,
      items?: unknown,
      settings?: unknown
    ) =>
      guarded("GLACCOUNT", makeError, () =>
        glAccountValues({
          valueEntryRow,
          inventoryPostingSetup,
          generalPostingSetup,
          items,
          settings,
        })
      ),
    costToPost: (valueEntries: unknown, settings?: unknown) =>
      guarded("COSTTOPOST", makeError, () => costToPostValues({ valueEntries, settings })),
  };
}
