/**
 * The state of the ledger a workbook holds (workbook.md, Safety): which G/L entries are this product's and
 * which came from elsewhere, whether a run was interrupted while writing, and how `glpost repair` completes
 * or rolls back such a run. Pure: it takes the output tables as read (G/L Entries, G/L - Item Ledger Relation,
 * G/L Registers) and the Value Entries as parsed, and returns a verdict or a plan; the callers read and write.
 *
 * A run writes G/L entries, relation rows, the value entries' posted columns, Skipped Entries, and the
 * register row last, as its commit mark (outputs.ts, planWrites). So a register number that G/L Entries or
 * G/L - Item Ledger Relation hold and G/L Registers lacks is a run that did not finish, whatever the Source
 * Code setting is now. Only registers of ours count: G/L entries pasted from BC (their own register numbers,
 * no relation rows, no Inventory Account Type, often no G/L Registers table) are foreign; they only move the
 * numbering on.
 */
import { findMatrixRow } from "../engine/accountMatrix";
import { ACCOUNT_TYPES } from "../engine/accountTypes";
import type { MoneyScale } from "../engine/money";
import {
  POSTED_ACTUAL,
  POSTED_EXPECTED,
  type DayNumber,
  type GLRegister,
  type Money,
  type PostingMethod,
  type ValueEntry,
} from "../engine/types";
import { findColumn, looseHeader, looseName } from "./names";
import { OUTPUT_TABLES } from "./outputSchema";
import type { CellValue, SourceTable } from "./port";
import type { InputError } from "./inputErrors";
import {
  cellText,
  isBlank,
  parseCode,
  parseDate,
  parseInteger,
  parseMoney,
  parseText,
} from "./values";
import { recordedChanges } from "./registerChanges";
import type { PostedField } from "./schema";
import { formatMoney } from "../engine/money";

/** The largest Entry No., G/L Entry No., Transaction No. and register no. BC can hold (a 32-bit Integer). */
export const MAX_ENTRY_NO = 2147483647;

export interface LedgerTables {
  glEntries?: SourceTable;
  relations?: SourceTable;
  registers?: SourceTable;
  /** G/L Register Changes (registerChanges.ts): the posted cells each run changed, as they were. */
  changes?: SourceTable;
}

const GL = OUTPUT_TABLES.glEntries.names.name;
const REL = OUTPUT_TABLES.glItemLedgerRelation.names.name;
const REG = OUTPUT_TABLES.glRegisters.names.name;

/** `"2147483648" is beyond 2,147,483,647, ...`: for a number column read elsewhere (Value Entries' Entry No.). */
export function beyondBoundMessage(value: number): string {
  return `"${value}" is beyond 2,147,483,647, the largest number Business Central's ledgers can hold (a 32-bit Integer).`;
}

/** Input errors for numbers beyond MAX_ENTRY_NO in the numbering columns of the output tables. */
export function entryNoBoundErrors(tables: LedgerTables): InputError[] {
  const errors: InputError[] = [];
  const check = (caption: string, t: SourceTable | undefined, columns: string[]) => {
    if (t === undefined) return;
    const loose = looseHeader(t.header);
    for (const name of columns) {
      const ix = findColumn(loose, name);
      if (ix < 0) continue;
      for (let r = 0; r < t.rows.length; r++) {
        const v = t.rows[r][ix];
        if (typeof v === "number" && v <= MAX_ENTRY_NO) continue;
        const n = intAt(v);
        if (n !== null && n > MAX_ENTRY_NO)
          errors.push({
            table: caption,
            row: t.rowNumbers[r],
            column: t.header[ix],
            value: String(n),
            message: beyondBoundMessage(n),
          });
      }
    }
  };
  check(GL, tables.glEntries, ["Entry No.", "Transaction No.", "G/L Register No."]);
  check(REL, tables.relations, ["G/L Entry No.", "Value Entry No.", "G/L Register No."]);
  check(REG, tables.registers, ["No.", "From Entry No.", "To Entry No."]);
  return errors;
}

/**
 * A run whose numbers would pass MAX_ENTRY_NO is refused before it writes (BC could not hold its entries):
 * the input error saying so, or null.
 */
export function runBeyondBound(result: {
  glEntries: {
    length: number;
    at(i: number): { entryNo: number; transactionNo: number } | undefined;
  };
  register: { no: number } | null;
}): InputError | null {
  const last = result.glEntries.at(result.glEntries.length - 1);
  if (last === undefined) return null;
  const what =
    last.entryNo > MAX_ENTRY_NO
      ? `its G/L entries would be numbered up to ${last.entryNo}`
      : last.transactionNo > MAX_ENTRY_NO
        ? `its transactions would be numbered up to ${last.transactionNo}`
        : result.register !== null && result.register.no > MAX_ENTRY_NO
          ? `its G/L Register would be no. ${result.register.no}`
          : null;
  if (what === null) return null;
  return {
    table: GL,
    message: `This run cannot be posted: ${what}, beyond 2,147,483,647, the largest number Business Central's ledgers can hold (a 32-bit Integer). Nothing was posted.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Which registers are ours, and which of them were interrupted

/** A whole number cell (null: blank or unreadable; unreadable cells are reported by the reader). Numbers first: most cells are. */
function intAt(v: CellValue | undefined): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
  const p = parseInteger(v ?? null);
  return p.ok ? p.value : null;
}

/** Whole numbers of one column. */
function intColumn(t: SourceTable | undefined, name: string): (number | null)[] | null {
  if (t === undefined) return null;
  const ix = findColumn(looseHeader(t.header), name);
  if (ix < 0) return null;
  return t.rows.map((row) => intAt(row[ix]));
}

interface Ownership {
  /** Registers of ours that G/L Registers lacks, lowest first. */
  interrupted: number[];
  /** For those: G/L Entries row indexes and relation row indexes. */
  glRows: Map<number, number[]>;
  relRows: Map<number, number[]>;
  foreignGLEntries: number;
}

/**
 * A register is ours when G/L - Item Ledger Relation names it, or one of its G/L entries is named there by
 * G/L Entry No., or one of its G/L entries has an Inventory Account Type (a column BC's G/L Entry does not
 * have: only this product writes it, so a run cut before its relation rows is still recognized). Registers in
 * G/L Registers are finished runs; the rest is only looked at closely when there is any (the usual case has none).
 */
function ownership(tables: LedgerTables): Ownership {
  const glReg = intColumn(tables.glEntries, "G/L Register No.") ?? [];
  const committed = new Set<number>();
  for (const n of intColumn(tables.registers, "No.") ?? []) if (n !== null) committed.add(n);
  // The relation table can be the largest of all (a row per value entry and G/L entry): one pass, no arrays.
  const inRelations = new Set<number>();
  const rel = tables.relations;
  const relRegIx = rel === undefined ? -1 : findColumn(looseHeader(rel.header), "G/L Register No.");
  if (relRegIx >= 0) {
    let last: CellValue | undefined = undefined;
    for (const row of rel!.rows) {
      const v = row[relRegIx];
      if (v === last) continue;
      last = v;
      const n = intAt(v);
      if (n !== null && n !== 0) inRelations.add(n);
    }
  }
  const inGl = new Set<number>();
  for (const n of glReg) if (n !== null && n !== 0) inGl.add(n);

  const ours = new Set<number>();
  for (const n of inRelations) if (!committed.has(n)) ours.add(n);
  // G/L registers neither finished nor named by relation rows: ours only by Inventory Account Type or G/L Entry No.
  const unknown = new Set<number>();
  for (const n of inGl) if (!committed.has(n) && !inRelations.has(n)) unknown.add(n);
  const gl = tables.glEntries;
  let foreign = 0;
  if (unknown.size > 0 && gl !== undefined) {
    const iat = findColumn(looseHeader(gl.header), "Inventory Account Type");
    const glNo = intColumn(gl, "Entry No.") ?? [];
    const entryNos = new Map<number, number>();
    glReg.forEach((reg, i) => {
      if (reg === null || !unknown.has(reg)) return;
      if (iat >= 0 && !isBlank(gl.rows[i][iat] ?? null)) ours.add(reg);
      const no = glNo[i] ?? null;
      if (no !== null) entryNos.set(no, reg);
    });
    for (const g of intColumn(tables.relations, "G/L Entry No.") ?? []) {
      const reg = g === null ? undefined : entryNos.get(g);
      if (reg !== undefined) ours.add(reg);
    }
    glReg.forEach((reg) => {
      if (reg !== null && unknown.has(reg) && !ours.has(reg)) foreign++;
    });
  }
  glReg.forEach((reg) => {
    if (reg === null || reg === 0) foreign++;
  });
  const glRows = new Map<number, number[]>();
  const relRows = new Map<number, number[]>();
  const collect = (regs: (number | null)[], into: Map<number, number[]>) =>
    regs.forEach((reg, i) => {
      if (reg === null || !ours.has(reg)) return;
      let list = into.get(reg);
      if (list === undefined) into.set(reg, (list = []));
      list.push(i);
    });
  if (ours.size > 0) {
    collect(glReg, glRows);
    collect(intColumn(rel, "G/L Register No.") ?? [], relRows);
  }
  return {
    interrupted: [...ours].sort((a, b) => a - b),
    glRows,
    relRows,
    foreignGLEntries: foreign,
  };
}

export interface InterruptedRun {
  registerNo: number;
  /** Its G/L entries and relation rows in the workbook. */
  glEntries: number;
  relations: number;
  /** Value entries its relation rows name whose posted columns already show it, and those that do not yet. */
  valueEntriesWritten: number;
  valueEntriesPending: number;
}

export interface LedgerVerdict {
  /** Registers of ours that G/L Registers lacks, lowest first (normally none, at most one). */
  interrupted: InterruptedRun[];
  /** G/L entries that are not this product's (BC's own, or without a register no.): they count only for numbering. */
  foreignGLEntries: number;
}

export function ledgerVerdict(
  tables: LedgerTables,
  valueEntries: readonly ValueEntry[],
  acy: boolean
): LedgerVerdict {
  const own = ownership(tables);
  const interrupted: InterruptedRun[] = [];
  for (const no of own.interrupted) {
    const links = linksOf(tables, own, no, valueEntries);
    let written = 0;
    let pending = 0;
    for (const part of links.parts.values()) {
      if (isWritten(part.entry, part.part, acy)) written++;
      else pending++;
    }
    interrupted.push({
      registerNo: no,
      glEntries: own.glRows.get(no)?.length ?? 0,
      relations: own.relRows.get(no)?.length ?? 0,
      valueEntriesWritten: written,
      valueEntriesPending: pending,
    });
  }
  return { interrupted, foreignGLEntries: own.foreignGLEntries };
}

const INTERRUPTED = "A posting run was interrupted while writing";

/** Whether an input error is interruptedRunError's (front ends offer Repair beside it). */
export function isInterruptedRunError(e: { message: string }): boolean {
  return e.message.startsWith(INTERRUPTED);
}

/** The input error a run stops with: what happened, which register, what to do (never: delete posted data). */
export function interruptedRunError(run: InterruptedRun): InputError {
  const n = run.registerNo;
  const where =
    run.glEntries > 0 && run.relations > 0
      ? `G/L Entries and G/L - Item Ledger Relation hold ${run.glEntries} G/L entries and ${run.relations} relation rows of G/L Register ${n}`
      : run.glEntries > 0
        ? `G/L Entries hold ${run.glEntries} G/L entries of G/L Register ${n}`
        : `G/L - Item Ledger Relation holds ${run.relations} rows of G/L Register ${n}`;
  const posted =
    run.valueEntriesWritten + run.valueEntriesPending === 0
      ? ""
      : ` The posted columns of ${run.valueEntriesWritten} of the ${run.valueEntriesWritten + run.valueEntriesPending} value entries it names already show it.`;
  return {
    table: REG,
    message:
      `${INTERRUPTED}: ${where}, but G/L Registers has no register ${n} (the register row is a run's last write).${posted} ` +
      `Posting again could post that cost twice, so nothing was posted. Run glpost repair <input> (or Repair in the task pane): ` +
      `it completes register ${n} or rolls it back from what the workbook holds; then post again.`,
  };
}

// ---------------------------------------------------------------------------------------------
// One register's G/L entries, relation rows and the value entries they name

type Part = "act" | "exp";

interface GLLine {
  row: number;
  entryNo: number | null;
  postingDate: DayNumber | null;
  documentNo: string;
  sourceCode: string;
  amount: Money | null;
  acyAmount: Money | null;
  accountType: number;
  balAccountType: number;
  /** Relation rows naming it: [value entry index, part, sign (+1 account line, -1 balancing line)]. */
  contributors: { ve: number; part: Part; sign: number }[];
}

interface PartState {
  entry: ValueEntry;
  index: number;
  part: Part;
}

interface Links {
  lines: GLLine[];
  /** `${value entry index}:${part}` -> the part. */
  parts: Map<string, PartState>;
  /** Why the register cannot be completed, when it cannot (first reason found). */
  problem: string | null;
}

const TYPE_BY_LOOSE = new Map(ACCOUNT_TYPES.map((a) => [looseName(a.caption), a.ordinal] as const));

function accountType(v: CellValue): number {
  return TYPE_BY_LOOSE.get(looseName(cellText(v))) ?? -1;
}

/** The part (and side) a G/L line of value entry `e` posts, from rules.md section 2's pairs; null: it cannot be e's. */
function partOf(e: ValueEntry, at: number, bal: number): { part: Part; sign: number } | null {
  const row = findMatrixRow(e.itemLedgerEntryType, e.entryType, e.varianceType, e.orderType);
  if (row === undefined) return null;
  for (const [part, pair] of [
    ["exp", row.exp],
    ["act", row.act],
  ] as const) {
    if (pair === null) continue;
    if (pair[0] === at && pair[1] === bal) return { part, sign: 1 };
    if (pair[1] === at && pair[0] === bal) return { part, sign: -1 };
  }
  return null;
}

function isWritten(e: ValueEntry, part: Part, acy: boolean): boolean {
  return part === "act"
    ? e.costPostedToGL === e.costAmountActual &&
        (!acy || e.costPostedToGLACY === e.costAmountActualACY)
    : e.expectedCostPostedToGL === e.costAmountExpected &&
        (!acy || e.expCostPostedToGLACY === e.costAmountExpectedACY);
}

/** What a run still had to post for the part (before it wrote the posted columns): [LCY, ACY]. */
function pendingAmount(e: ValueEntry, part: Part, acy: boolean): [Money, Money] {
  return part === "act"
    ? [e.costAmountActual - e.costPostedToGL, acy ? e.costAmountActualACY - e.costPostedToGLACY : 0]
    : [
        e.costAmountExpected - e.expectedCostPostedToGL,
        acy ? e.costAmountExpectedACY - e.expCostPostedToGLACY : 0,
      ];
}

function linksOf(
  tables: LedgerTables,
  own: Ownership,
  registerNo: number,
  valueEntries: readonly ValueEntry[],
  scale?: MoneyScale
): Links {
  let problem: string | null = null;
  const fail = (why: string) => {
    if (problem === null) problem = why;
  };
  const gl = tables.glEntries;
  const lines: GLLine[] = [];
  const byNo = new Map<number, GLLine>();
  if (gl !== undefined) {
    const loose = looseHeader(gl.header);
    const col = (name: string) => findColumn(loose, name);
    const [no, date, doc, src, amt, acyAmt, at, bal] = [
      "Entry No.",
      "Posting Date",
      "Document No.",
      "Source Code",
      "Amount",
      "Additional-Currency Amount",
      "Inventory Account Type",
      "Bal. Account Type",
    ].map(col);
    const cell = (row: readonly CellValue[], ix: number): CellValue =>
      ix < 0 ? null : (row[ix] ?? null);
    const money = (row: readonly CellValue[], ix: number): Money | null => {
      if (scale === undefined) return null;
      const p = parseMoney(cell(row, ix), scale);
      return p.ok ? p.value : null;
    };
    for (const r of own.glRows.get(registerNo) ?? []) {
      const row = gl.rows[r];
      const n = parseInteger(cell(row, no));
      const d = parseDate(cell(row, date));
      const line: GLLine = {
        row: r,
        entryNo: n.ok ? n.value : null,
        postingDate: d.ok ? d.value : null,
        documentNo: parseCode(cell(row, doc)),
        sourceCode: parseText(cell(row, src)).trim(),
        amount: money(row, amt),
        acyAmount: acyAmt < 0 ? 0 : money(row, acyAmt),
        accountType: accountType(cell(row, at)),
        balAccountType: accountType(cell(row, bal)),
        contributors: [],
      };
      lines.push(line);
      if (line.entryNo === null)
        fail(`a G/L entry of the register (row ${gl.rowNumbers[r]}) has no readable Entry No.`);
      else if (byNo.has(line.entryNo)) fail(`G/L Entry No. ${line.entryNo} appears more than once`);
      else byNo.set(line.entryNo, line);
    }
  }
  const veIndex = new Map<number, number>();
  valueEntries.forEach((e, i) => veIndex.set(e.entryNo, i));
  const parts = new Map<string, PartState>();
  const relGl = intColumn(tables.relations, "G/L Entry No.") ?? [];
  const relVe = intColumn(tables.relations, "Value Entry No.") ?? [];
  for (const r of own.relRows.get(registerNo) ?? []) {
    const g = relGl[r] ?? null;
    const v = relVe[r] ?? null;
    const line = g === null ? undefined : byNo.get(g);
    const vi = v === null ? undefined : veIndex.get(v);
    if (line === undefined) {
      fail(
        `a relation row names G/L Entry No. ${g ?? "(blank)"}, which is not a G/L entry of the register`
      );
      continue;
    }
    if (vi === undefined) {
      fail(`a relation row names Value Entry No. ${v ?? "(blank)"}, which is not in Value Entries`);
      continue;
    }
    const e = valueEntries[vi];
    const p = partOf(e, line.accountType, line.balAccountType);
    if (p === null) {
      fail(
        `G/L entry ${g} (${ACCOUNT_TYPES[line.accountType]?.caption ?? "no Inventory Account Type"}) cannot be a line of value entry ${v}`
      );
      continue;
    }
    line.contributors.push({ ve: vi, part: p.part, sign: p.sign });
    const key = `${vi}:${p.part}`;
    if (!parts.has(key)) parts.set(key, { entry: e, index: vi, part: p.part });
  }
  return { lines, parts, problem };
}

// ---------------------------------------------------------------------------------------------
// Repair

export interface RepairOptions {
  acy: boolean;
  scale: MoneyScale;
  /** The repair's clock and user, for the register row it writes when it completes. */
  now: { date: DayNumber; time: string };
  userId: string;
}

export type RepairPlan =
  | { action: "none" }
  | { action: "refused"; message: string }
  | {
      action: "completed";
      registerNo: number;
      glEntries: number;
      /** Value entries whose posted columns the repair writes (those the run had not written yet). */
      valueEntries: number;
      /** The parts to mark posted, by value entry index (engine PostingResult.postedParts form). */
      postedParts: Uint8Array;
      register: GLRegister;
    }
  | ({
      action: "rolledBack";
      registerNo: number;
      glEntries: number;
      valueEntries: number;
    } & Rollback);

/** A posted cell to set back: the value entry (index into the value entries), the column, the cell to write. */
export interface PostedRestore {
  index: number;
  field: PostedField;
  value: CellValue;
}

/** What rolling a register back removes and writes (repair of an interrupted run, undo of a finished one). */
export interface Rollback {
  /** Row indexes (as read) to remove from G/L Entries, G/L - Item Ledger Relation and G/L Register Changes. */
  glEntryRows: number[];
  relationRows: number[];
  changeRows: number[];
  /** Posted cells set back to what they were before the run, by value entry. */
  restore: PostedRestore[];
  /** true: from the register's G/L Register Changes rows (the cells exactly); false: by amounts (old = posted - what its G/L lines posted). */
  recorded: boolean;
}

/**
 * The policy. The register row is a run's last write, so a missing one means the run did not finish. The
 * repair completes it when the workbook holds the whole run: G/L entries with unique, consecutive Entry Nos.,
 * balanced (LCY and ACY) per posting date; relation rows for every one of them, each naming a value entry
 * whose account pair (rules.md section 2) fits the line; and the amounts agree: for every G/L entry whose value
 * entries' posted columns were not written yet, the G/L amount is exactly what those entries still had to post
 * (a relation table cut short leaves a G/L entry whose amount is not covered, so it is never taken as whole).
 * Once any posted column shows the run, the relation rows were complete (they are written before). Completing
 * writes the posted columns not yet written (Cost Posted to G/L := Cost Amount, per part, as the run does) and
 * the register row (Entries Skipped and Input Fingerprint are left blank: the workbook does not hold them).
 *
 * Otherwise it rolls back: the register's G/L entries and relation rows are removed, and posted columns that
 * already show it are set back (old = Cost Amount - what its G/L lines posted). When that old value cannot be
 * told (a G/L entry of a per Posting Group run with several such value entries) the repair refuses and says
 * why. Either way the workbook is then as after the whole run or as before it, so the next post gives exactly
 * what an uninterrupted run would have.
 */
export function planRepair(
  tables: LedgerTables,
  valueEntries: readonly ValueEntry[],
  opts: RepairOptions
): RepairPlan {
  const own = ownership(tables);
  const candidates = own.interrupted;
  if (candidates.length === 0) return { action: "none" };
  if (candidates.length > 1)
    return {
      action: "refused",
      message: `G/L Registers lacks ${candidates.length} registers that G/L Entries or G/L - Item Ledger Relation hold (${candidates.join(", ")}); a run stops at the first one, so these did not come from this tool's runs alone. Nothing was changed.`,
    };
  const registerNo = candidates[0];
  const { acy } = opts;
  const links = linksOf(tables, own, registerNo, valueEntries, opts.scale);
  const { lines, parts } = links;

  // What each part still had to post (null once written) and whether any part shows the run.
  const pending = new Map<string, [Money, Money] | null>();
  let anyWritten = false;
  for (const [key, p] of parts) {
    const w = isWritten(p.entry, p.part, acy);
    if (w) anyWritten = true;
    pending.set(key, w ? null : pendingAmount(p.entry, p.part, acy));
  }

  const why = completeProblem(lines, links.problem, pending, anyWritten);
  if (why === null) {
    const postedParts = new Uint8Array(valueEntries.length);
    let count = 0;
    for (const [key, p] of parts) {
      if (pending.get(key) === null) continue;
      if (postedParts[p.index] === 0) count++;
      postedParts[p.index] |= p.part === "act" ? POSTED_ACTUAL : POSTED_EXPECTED;
    }
    const nos = lines.map((l) => l.entryNo!);
    const docs = new Set(lines.map((l) => l.documentNo));
    const veOf = new Set<number>();
    for (const l of lines) for (const c of l.contributors) veOf.add(c.ve);
    // per Posting Group: one Document No. (the run's) on every line, and a line summing several entries or
    // carrying a Document No. that is not its entry's. Otherwise the lines are the entries' own: per Entry.
    const doc = docs.size === 1 ? [...docs][0] : null;
    const perGroup =
      doc !== null &&
      doc !== "" &&
      lines.some(
        (l) =>
          l.contributors.length > 1 ||
          l.contributors.some((c) => valueEntries[c.ve].documentNo !== doc)
      );
    const method: PostingMethod = perGroup ? "per Posting Group" : "per Entry";
    const register: GLRegister = {
      no: registerNo,
      fromEntryNo: Math.min(...nos),
      toEntryNo: Math.max(...nos),
      creationDate: opts.now.date,
      creationTime: opts.now.time,
      sourceCode: lines.find((l) => l.sourceCode !== "")?.sourceCode ?? "",
      userId: opts.userId,
      postingMethod: method,
      documentNo: perGroup ? doc! : "",
      entriesPosted: veOf.size,
      entriesSkipped: 0,
      amountPosted: lines.reduce((s, l) => s + (l.amount! > 0 ? l.amount! : 0), 0),
      inputFingerprint: "",
    };
    return {
      action: "completed",
      registerNo,
      glEntries: lines.length,
      valueEntries: count,
      postedParts,
      register,
    };
  }

  // Roll back (the parts that already show the run are set back).
  const rb = rollback(tables, own, registerNo, valueEntries, links, pending, opts);
  if ("problem" in rb)
    return { action: "refused", message: refusal(registerNo, `${why}, and ${rb.problem}`) };
  return {
    action: "rolledBack",
    registerNo,
    glEntries: lines.length,
    valueEntries: new Set(rb.restore.map((r) => r.index)).size,
    ...rb,
  };
}

/**
 * Rolling register `registerNo` back, for glpost repair (an interrupted run) and glpost undo (a finished one):
 * its G/L entries, relation rows and G/L Register Changes rows go, and the posted cells it changed are set
 * back. With G/L Register Changes rows the cells are written as recorded (exact). Without them (a register
 * posted before they were recorded) the parts that show the run (pending null) are set back by amounts: old =
 * posted now - what its G/L lines posted (less what other contributors still had to post); a G/L line summing
 * several such parts (per Posting Group) cannot tell each one's share: a problem, in words, for the caller.
 */
function rollback(
  tables: LedgerTables,
  own: Ownership,
  registerNo: number,
  valueEntries: readonly ValueEntry[],
  links: Links,
  pending: Map<string, [Money, Money] | null>,
  opts: { acy: boolean; scale: MoneyScale },
  finished = false
): Rollback | { problem: string } {
  const { lines, parts } = links;
  const { acy } = opts;
  const base = {
    glEntryRows: lines.map((l) => l.row),
    relationRows: own.relRows.get(registerNo) ?? [],
  };
  const rec = recordedChanges(tables.changes, registerNo, opts.scale);
  if (rec.problem !== null) return { problem: rec.problem };
  const restore: PostedRestore[] = [];
  // Parts whose cells G/L Register Changes holds; any other written part (a register posted before the table
  // existed, or a live workbook's run cut inside that append) is set back by amounts.
  const covered = new Set<string>();
  if (rec.changes.length > 0) {
    const veIndex = new Map<number, number>();
    valueEntries.forEach((e, i) => veIndex.set(e.entryNo, i));
    for (const c of rec.changes) {
      const index = veIndex.get(c.valueEntryNo);
      if (index === undefined)
        return {
          problem: `G/L Register Changes names value entry ${c.valueEntryNo}, which is not in Value Entries`,
        };
      // An interrupted run records its changes before it writes the posted columns: only the parts that
      // already show it are set back (the others still hold what was recorded).
      const part: Part =
        c.field === "costPostedToGL" || c.field === "costPostedToGLACY" ? "act" : "exp";
      if (!finished && pending.get(`${index}:${part}`) !== null) continue;
      restore.push({ index, field: c.field, value: c.value });
      covered.add(`${index}:${part}`);
    }
  }
  const uncovered = [...parts].filter(([key]) => pending.get(key) === null && !covered.has(key));
  if (uncovered.length === 0) {
    restore.sort((a, b) => a.index - b.index);
    return { ...base, changeRows: rec.rows, restore, recorded: true };
  }

  // By amounts: what each written part posted in the register.
  const old = new Map<string, [Money, Money]>();
  for (const l of lines) {
    const written = l.contributors.filter((c) => pending.get(`${c.ve}:${c.part}`) === null);
    if (written.length !== 1 || l.amount === null || l.acyAmount === null) continue;
    const c = written[0];
    if (covered.has(`${c.ve}:${c.part}`)) continue;
    let lcy = c.sign * l.amount;
    let acyAmt = c.sign * l.acyAmount;
    for (const o of l.contributors) {
      const p = pending.get(`${o.ve}:${o.part}`);
      if (p === null || p === undefined) continue;
      lcy -= p[0];
      acyAmt -= p[1];
    }
    const key = `${c.ve}:${c.part}`;
    const prev = old.get(key);
    if (prev !== undefined && (prev[0] !== lcy || prev[1] !== acyAmt))
      return {
        problem: `the G/L entries of value entry ${valueEntries[c.ve].entryNo} disagree on what it posted`,
      };
    old.set(key, [lcy, acyAmt]);
  }
  for (const [key, p] of uncovered) {
    const d = old.get(key);
    if (d === undefined)
      return {
        problem: `what value entry ${p.entry.entryNo} posted in it cannot be told from its G/L entries (they sum several entries whose posted columns show the run)`,
      };
    const e = p.entry;
    const [f, fAcy]: [PostedField, PostedField] =
      p.part === "act"
        ? ["costPostedToGL", "costPostedToGLACY"]
        : ["expectedCostPostedToGL", "expCostPostedToGLACY"];
    if (d[0] !== 0)
      restore.push({ index: p.index, field: f, value: formatMoney(e[f] - d[0], opts.scale) });
    if (acy && d[1] !== 0)
      restore.push({ index: p.index, field: fAcy, value: formatMoney(e[fAcy] - d[1], opts.scale) });
  }
  restore.sort((a, b) => a.index - b.index);
  return { ...base, changeRows: rec.rows, restore, recorded: false };
}

function refusal(registerNo: number, why: string): string {
  return `G/L Register ${registerNo} was interrupted while it was written and cannot be repaired automatically: it cannot be completed (${why}). Nothing was changed.`;
}

/** Why the register cannot be completed, or null when it can (see planRepair). */
function completeProblem(
  lines: GLLine[],
  linkProblem: string | null,
  pending: Map<string, [Money, Money] | null>,
  anyWritten: boolean
): string | null {
  if (lines.length === 0) return "G/L Entries hold none of its G/L entries";
  if (linkProblem !== null) return linkProblem;
  const nos = lines.map((l) => l.entryNo!).sort((a, b) => a - b);
  if (nos[nos.length - 1] - nos[0] !== nos.length - 1)
    return "its G/L Entry Nos. are not consecutive";
  const byDate = new Map<number, [Money, Money]>();
  for (const l of lines) {
    if (l.postingDate === null) return `G/L entry ${l.entryNo} has no readable Posting Date`;
    if (l.amount === null || l.acyAmount === null)
      return `G/L entry ${l.entryNo} has no readable amount`;
    const s = byDate.get(l.postingDate) ?? [0, 0];
    s[0] += l.amount;
    s[1] += l.acyAmount;
    byDate.set(l.postingDate, s);
  }
  for (const [, s] of byDate)
    if (s[0] !== 0 || s[1] !== 0) return "its G/L entries do not balance per posting date";
  for (const l of lines) {
    if (l.contributors.length === 0) return `G/L entry ${l.entryNo} has no relation rows`;
    let lcy = 0;
    let acyAmt = 0;
    let allPending = true;
    for (const c of l.contributors) {
      const p = pending.get(`${c.ve}:${c.part}`);
      if (p === null || p === undefined) {
        allPending = false;
        break;
      }
      lcy += c.sign * p[0];
      acyAmt += c.sign * p[1];
    }
    if (allPending ? lcy !== l.amount || acyAmt !== l.acyAmount : !anyWritten)
      return `the amount of G/L entry ${l.entryNo} is not what its value entries had to post`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Undo

export type UndoPlan =
  | { action: "refused"; message: string }
  | ({
      action: "undo";
      registerNo: number;
      /** G/L entries removed, value entries whose posted cells are set back. */
      glEntries: number;
      valueEntries: number;
      /** Row indexes (as read) of the register in G/L Registers. */
      registerRows: number[];
    } & Rollback);

/**
 * glpost undo (workbook.md, Safety: undo of the last run): a finished register of ours is rolled back as repair
 * rolls back an interrupted one (rollback above, every part of it taken as written). Only a register with no
 * later register can be undone (a later run may have posted on top of it); `registerNo` defaults to the last.
 * The workbook is then as before the run, so the next run numbers its G/L entries and register as that run did.
 */
export function planUndo(
  tables: LedgerTables,
  valueEntries: readonly ValueEntry[],
  opts: { acy: boolean; scale: MoneyScale },
  registerNo?: number
): UndoPlan {
  const regNos = intColumn(tables.registers, "No.") ?? [];
  const known = [...new Set(regNos.filter((n): n is number => n !== null))].sort((a, b) => a - b);
  if (known.length === 0)
    return {
      action: "refused",
      message: "G/L Registers holds no register: there is no run to undo. Nothing was changed.",
    };
  const no = registerNo ?? known[known.length - 1];
  if (!known.includes(no))
    return {
      action: "refused",
      message: `G/L Registers has no register ${no} (it holds ${listNos(known)}). Nothing was changed.`,
    };
  const later = known.filter((n) => n > no);
  if (later.length > 0)
    return {
      action: "refused",
      message: `G/L Register ${no} cannot be undone: ${later.length === 1 ? `G/L Register ${later[0]} was` : `G/L Registers ${listNos(later)} were`} posted after it, and only the last run can be undone (a later run may have posted on top of it). Undo ${later.length === 1 ? "it" : "them, the last first,"} before register ${no}. Nothing was changed.`,
    };
  const rows = (regs: (number | null)[]) => regs.flatMap((r, i) => (r === no ? [i] : []));
  const glRows = rows(intColumn(tables.glEntries, "G/L Register No.") ?? []);
  const relRows = rows(intColumn(tables.relations, "G/L Register No.") ?? []);
  if (relRows.length === 0)
    return {
      action: "refused",
      message: `G/L Register ${no} has no rows in G/L - Item Ledger Relation, so it is not a run of this tool (e.g. a register copied from Business Central); undo takes back only this tool's runs. Nothing was changed.`,
    };
  const own: Ownership = {
    interrupted: [no],
    glRows: new Map([[no, glRows]]),
    relRows: new Map([[no, relRows]]),
    foreignGLEntries: 0,
  };
  const links = linksOf(tables, own, no, valueEntries, opts.scale);
  // Every part of a finished register shows it: nothing pending.
  const pending = new Map<string, [Money, Money] | null>(
    [...links.parts.keys()].map((k) => [k, null])
  );
  const rb = rollback(tables, own, no, valueEntries, links, pending, opts, true);
  if ("problem" in rb)
    return {
      action: "refused",
      message:
        recordedChanges(tables.changes, no, opts.scale).rows.length > 0
          ? `G/L Register ${no} cannot be undone: ${rb.problem}. Nothing was changed.`
          : `G/L Register ${no} cannot be undone: it has no rows in G/L Register Changes (it was posted by an earlier version, which did not record the posted cells it changed), and ${rb.problem}. Nothing was changed.`,
    };
  if (!rb.recorded && links.problem !== null)
    return {
      action: "refused",
      message: `G/L Register ${no} cannot be undone: ${links.problem}. Nothing was changed.`,
    };
  return {
    action: "undo",
    registerNo: no,
    glEntries: glRows.length,
    valueEntries: new Set(rb.restore.map((r) => r.index)).size,
    registerRows: rows(regNos),
    ...rb,
  };
}

function listNos(nos: readonly number[]): string {
  return nos.length <= 1
    ? nos.join("")
    : `${nos.slice(0, -1).join(", ")} and ${nos[nos.length - 1]}`;
}
