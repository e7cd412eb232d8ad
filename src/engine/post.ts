/**
 * The posting run (rules.md sections 3-6): value entries and setup in, a posting plan out (G/L entries,
 * relations, register, new posted-column values, skipped entries). Pure: no clock, no I/O; errors in an
 * entry skip that entry and the run goes on.
 *
 * Invariants (tested in test/engine/properties.test.ts): the G/L entries sum to exactly 0 in LCY and ACY
 * and per posting date; a second run on the updated entries posts nothing; per Entry and per Posting Group
 * give the same total per (G/L account, posting date); every value entry gets exactly one outcome.
 */
import { ACCOUNT_TYPE_COUNT, AT } from "./accountTypes";
import { createEnv, evaluateEntry, type Env, type Evaluation } from "./evaluate";
import { Hasher, hashSetupAndOptions } from "./fingerprint";
import { GLEntryTable, type GLEntryTableContext } from "./glEntryTable";
import {
  DimensionTuples,
  GroupTable,
  grown,
  isNegative,
  lineKeyRanks,
  lineOfOneEntryKeys,
  groupingKeyOrder,
  NEGATIVE_LINE,
  type DimensionTuple,
} from "./groupingKey";
import { InvariantError } from "./invariants";
import { ExactSumGuard } from "./money";
import { joinProblems } from "./problems";
import { dimensionViolations } from "./setup";
import type {
  GLEntry,
  GLItemLedgerRelation,
  GLItemLedgerRelations,
  GLRegister,
  Money,
  Outcome,
  OutcomeCounts,
  PostingInput,
  PostingResult,
  RunOptions,
  SkippedEntry,
  ValueEntry,
  ValueEntryUpdate,
} from "./types";
import { POSTED_ACTUAL, POSTED_EXPECTED } from "./types";

/** Value entries in Entry No. order (the ledger's order; rules.md section 6). */
export function entryOrder(entries: readonly ValueEntry[]): number[] {
  const order = new Array<number>(entries.length);
  let sorted = true;
  for (let i = 0; i < entries.length; i++) {
    order[i] = i;
    if (i > 0 && entries[i].entryNo < entries[i - 1].entryNo) sorted = false;
  }
  if (!sorted) order.sort((a, b) => entries[a].entryNo - entries[b].entryNo);
  return order;
}

const OUTCOME_CODE: Record<Outcome, number> = {
  posted: 1,
  alreadyPosted: 2,
  ignored: 3,
  skipped: 4,
  filteredOut: 5,
};

export function postInventoryCostToGL(input: PostingInput, options: RunOptions): PostingResult {
  return postWith(input, options, createEnv(input, options), null);
}

/**
 * The posting run on an environment made by createEnv(input, options). alsoTo, when given, sees each entry's
 * evaluation as the run makes it (a dry run builds its test report from them: each entry evaluated once).
 */
export function postWith(
  input: PostingInput,
  options: RunOptions,
  env: Env,
  alsoTo: ((e: ValueEntry, ev: Evaluation) => void) | null
): PostingResult {
  const entries = input.valueEntries;
  const run = new PostingRun(input, options, env, alsoTo);
  const outcomes = new Array<Outcome>(entries.length);
  const postedParts = new Uint8Array(entries.length);
  for (const index of entryOrder(entries)) {
    outcomes[index] = run.add(entries[index], index);
    postedParts[index] = run.lastPostedParts;
  }
  const perEntry = run.perGroup ? null : run.takeGLEntries();
  const end = run.finish();
  let table: GLEntryTable;
  const relations: GLItemLedgerRelations = {
    glRegisterNo: run.registerNo,
    glEntryNo: [],
    valueEntryNo: [],
  };
  if (perEntry === null) {
    table = end.glEntryTable;
    // Relation rows in G/L entry order, each group's value entries in entry order: a counting sort of the
    // table's contributions (group id, value entry no.), recorded in entry order (no array per group).
    const groups = run.groups;
    const start = new Array<number>(groups.size);
    let cursor = 0;
    for (const g of end.groupOrder) {
      start[g] = cursor;
      cursor += groups.contributors[g];
    }
    const rg = (relations.glEntryNo = new Array<number>(cursor));
    const rv = (relations.valueEntryNo = new Array<number>(cursor));
    for (let k = 0; k < groups.contributions; k++) {
      const id = groups.contributionGroup[k];
      const at = start[id]++;
      rg[at] = end.glEntryNoOfGroup[id];
      rv[at] = groups.contributionEntry[k];
    }
  } else {
    table = perEntry.table;
    relations.glEntryNo = table.entryNos();
    relations.valueEntryNo = perEntry.valueEntryNos;
  }
  return withGLEntryTable(
    {
      options,
      relations,
      register: end.register,
      postedParts,
      skipped: run.takeSkipped(),
      outcomes,
      counts: run.counts,
      totals: run.totals,
      amountByAccountType: run.amountByAccountType,
      overriddenDimensionErrors: run.overriddenDimensionErrors,
    },
    table
  );
}

/**
 * A result whose G/L entries are the table's: glEntryTable is what the writers and checks read; glEntries (the
 * objects) is made from it on first use, for the callers that want objects.
 */
function withGLEntryTable(
  r: Omit<PostingResult, "glEntries" | "glEntryTable">,
  table: GLEntryTable
): PostingResult {
  let objects: GLEntry[] | null = null;
  const out = r as PostingResult;
  out.glEntryTable = table;
  Object.defineProperty(out, "glEntries", {
    enumerable: true,
    configurable: true,
    get: () => (objects ??= table.toArray()),
  });
  return out;
}

/** What PostingRun.finish() gives besides what the run holds. */
export interface RunEnd {
  /** per Posting Group: the run's G/L entries (numbered); per Entry: empty (takeGLEntries() gave them). */
  glEntryTable: GLEntryTable;
  /** per Posting Group: the group ids in G/L entry order. */
  groupOrder: Int32Array;
  /** per Posting Group: the G/L Entry No. of each group id (its contributions' relation rows point there). */
  glEntryNoOfGroup: Float64Array;
  /** null when nothing posts. */
  register: GLRegister | null;
}

/**
 * One posting run, fed value entries one at a time in Entry No. order, so a caller may hold only a chunk of
 * them (a streamed run: memory grows with the G/L entries, not the value entries). postWith() feeds it the
 * whole input. Every rule of the run lives here:
 *   add(e, index)     evaluates an entry and adds its lines (per Entry: pending lines; per Posting Group: the
 *                     group table) and returns its outcome; lastPostedParts tells which parts posted;
 *   takeSkipped()     the skipped entries added since the last call;
 *   takeGLEntries()   per Entry: the G/L entries of the entries added since the last call, numbered (they
 *                     continue the numbering of the previous call), with the value entry of each;
 *   takeContributions(to)  per Posting Group: the (group id, value entry no.) pairs made since the last call
 *                     (a streamed run writes them out; otherwise the group table keeps them all);
 *   finish()          per Posting Group: the groups in the grouping key's order as numbered G/L entries;
 *                     the register.
 */
export class PostingRun {
  readonly perGroup: boolean;
  readonly counts: OutcomeCounts = {
    posted: 0,
    alreadyPosted: 0,
    ignored: 0,
    skipped: 0,
    filteredOut: 0,
  };
  readonly amountByAccountType = new Array<number>(ACCOUNT_TYPE_COUNT).fill(0);
  readonly totals = { debit: 0, credit: 0, debitACY: 0, creditACY: 0 };
  readonly groups = new GroupTable();
  readonly registerNo: number;
  overriddenDimensionErrors = 0;
  /** Which parts the entry last added posted (POSTED_ACTUAL | POSTED_EXPECTED; 0: none). */
  lastPostedParts = 0;

  private readonly sum = new ExactSumGuard();
  private readonly hash: Hasher;
  private readonly dims: DimensionTuples;
  private hashedLineKeys = 0;
  private skipped: SkippedEntry[] = [];
  // per Entry: the lines not yet taken, as columns that become the G/L entry table's own (no object, JS array
  // or copy per line): line i's line key, amounts, posting date and run; run r (the lines of one posted entry,
  // in the grouping key's order once taken) is its value entry, first line, Entry No. and whether it starts a
  // transaction. Sized for the input's entries at two lines each (a typed array's pages are touched only when
  // used), so a whole run seldom grows them. Fresh memory is what a line costs most (page faults), so each
  // line is written once.
  private lineCount = 0;
  private lineKeyId: Int32Array;
  private lineLcy: Float64Array;
  private lineAcy: Float64Array;
  private lineDate: Int32Array;
  private lineRun: Int32Array;
  private linesNext = 1024;
  private runCount = 0;
  private runEntries: ValueEntry[];
  private runStarts: Int32Array;
  private runEntryNo: Float64Array;
  private runStartsTransaction: Uint8Array;
  private lastAddedEntryNo = -Infinity;
  // Numbering continues after what the G/L already holds.
  private entryNo: number;
  private transactionNo: number;
  private firstGLEntryNo = 0;
  private prevDate = NaN;
  private prevDocumentNo: string | null = null;
  private finished = false;

  constructor(
    private readonly input: PostingInput,
    private readonly options: RunOptions,
    private readonly env: Env,
    private readonly alsoTo: ((e: ValueEntry, ev: Evaluation) => void) | null
  ) {
    this.perGroup = options.postingMethod === "per Posting Group";
    this.hash = hashSetupAndOptions(new Hasher(), input, options);
    this.dims = new DimensionTuples(this.hash);
    this.registerNo = input.existing.lastRegisterNo + 1;
    this.entryNo = input.existing.lastGLEntryNo;
    this.transactionNo = input.existing.lastTransactionNo;
    const entries = this.perGroup ? 0 : input.valueEntries.length;
    const lines = Math.max(1024, 2 * entries);
    this.lineKeyId = new Int32Array(lines);
    this.lineLcy = new Float64Array(lines);
    this.lineAcy = new Float64Array(lines);
    this.lineDate = new Int32Array(lines);
    this.lineRun = new Int32Array(lines);
    const runs = Math.max(1024, entries);
    this.runStarts = new Int32Array(runs);
    this.runEntryNo = new Float64Array(runs);
    this.runStartsTransaction = new Uint8Array(runs);
    this.runEntries = new Array<ValueEntry>(entries);
  }

  /** The last Transaction No. given (the existing ledger's when none yet). */
  get lastTransactionNo(): number {
    return this.transactionNo;
  }

  /** Evaluates value entry e (index: its position in the input, for SkippedEntry.index) and adds its lines. */
  add(e: ValueEntry, index: number): Outcome {
    if (this.finished) throw new InvariantError("PostingRun.add after finish");
    // The ledger's order (rules.md section 6): numbering and "a repeat is the group's last" rely on it.
    if (!(e.entryNo > this.lastAddedEntryNo))
      throw new InvariantError(
        `value entry ${e.entryNo} added after ${this.lastAddedEntryNo}: a run takes entries in Entry No. order`
      );
    this.lastAddedEntryNo = e.entryNo;
    const { env, hash, perGroup } = this;
    const ev = evaluateEntry(e, env);
    if (this.alsoTo !== null) this.alsoTo(e, ev);
    this.counts[ev.outcome]++;
    this.lastPostedParts = 0;
    // Fingerprint: the entry's numbers, its outcome and the setup keys its lines resolved to (each key's
    // text is hashed once, when the key is first met, so ids stand for their text).
    hash
      .num(e.entryNo)
      .num(e.postingDate)
      .num(e.costAmountActual)
      .num(e.costAmountExpected)
      .num(e.costPostedToGL)
      .num(e.expectedCostPostedToGL);
    if (env.acy)
      hash
        .num(e.costAmountActualACY)
        .num(e.costAmountExpectedACY)
        .num(e.costPostedToGLACY)
        .num(e.expCostPostedToGLACY);
    hash.num(OUTCOME_CODE[ev.outcome]);
    for (const keys = env.lineKeys.keys; this.hashedLineKeys < keys.length; this.hashedLineKeys++) {
      const k = keys[this.hashedLineKeys];
      hash
        .num(k.accountType)
        .num(k.balAccountType)
        .str(k.locationCode)
        .str(k.inventoryPostingGroup)
        .str(k.genBusPostingGroup)
        .str(k.genProdPostingGroup);
    }
    for (const line of ev.lines) hash.num(line.lineKeyId);
    if (!perGroup && ev.outcome === "posted")
      hash.str(e.documentNo).str(e.externalDocumentNo).num(this.dims.id(e));
    if (ev.outcome === "skipped") {
      hash.str(ev.problems[0].code);
      const { reason, howToFix } = joinProblems(ev.problems);
      this.skipped.push({
        index,
        valueEntryNo: e.entryNo,
        reasonCode: ev.problems[0].code,
        reason,
        howToFix,
        problems: ev.problems,
        costAmount: ev.actLcy + ev.expLcy,
      });
      return ev.outcome;
    }
    if (ev.outcome !== "posted") return ev.outcome;

    this.lastPostedParts = (ev.postsAct ? POSTED_ACTUAL : 0) | (ev.postsExp ? POSTED_EXPECTED : 0);

    const { sum, groups, amountByAccountType } = this;
    const runStart = this.lineCount;
    const dimId = perGroup ? this.dims.id(e) : 0;
    for (const template of ev.lines) {
      // lineAmount(), inlined: this loop runs twice or four times per entry.
      const exp = template.part === "exp";
      let lcy = exp ? ev.expLcy : ev.actLcy;
      let acy = exp ? ev.expAcy : ev.actAcy;
      if (template.balancing) {
        lcy = -lcy || 0;
        acy = -acy || 0;
      }
      if (lcy === 0 && acy === 0) continue;
      sum.add(lcy);
      sum.add(acy);
      amountByAccountType[template.accountType] += lcy;
      if (perGroup) {
        const negative = isNegative(lcy, acy);
        const g = groups.groupOf(e.postingDate, template.lineKeyId, negative, dimId);
        groups.lcy[g] += lcy;
        groups.acy[g] += acy;
        groups.lines[g]++;
        groups.contribute(g, e.entryNo);
      } else {
        const i = this.lineCount++;
        if (i === this.lineKeyId.length) this.growLines(i === 0 ? this.linesNext : i * 2);
        this.lineKeyId[i] = template.lineKeyId;
        this.lineLcy[i] = lcy;
        this.lineAcy[i] = acy;
        this.lineDate[i] = e.postingDate;
        this.lineRun[i] = this.runCount;
      }
    }
    if (this.lineCount > runStart) {
      const r = this.runCount++;
      if (r === this.runStarts.length) this.growRuns(r * 2);
      this.runEntries[r] = e;
      this.runStarts[r] = runStart;
      this.runEntryNo[r] = e.entryNo;
      // per Entry the G/L entries are numbered in the order entries are added.
      this.runStartsTransaction[r] = +this.startsTransaction(e.postingDate, e.documentNo);
    }
    return ev.outcome;
  }

  /**
   * Whether the next G/L entry starts a new transaction: a new one starts when Posting Date or Document No.
   * changes (called once per G/L entry, or per run of G/L entries of one value entry, in numbering order).
   */
  private startsTransaction(date: number, documentNo: string): boolean {
    const starts = date !== this.prevDate || documentNo !== this.prevDocumentNo;
    this.prevDate = date;
    this.prevDocumentNo = documentNo;
    return starts;
  }

  private growLines(n: number): void {
    this.lineKeyId = grown(this.lineKeyId, n);
    this.lineLcy = grown(this.lineLcy, n);
    this.lineAcy = grown(this.lineAcy, n);
    this.lineDate = grown(this.lineDate, n);
    this.lineRun = grown(this.lineRun, n);
  }

  private growRuns(n: number): void {
    this.runStarts = grown(this.runStarts, n);
    this.runEntryNo = grown(this.runEntryNo, n);
    this.runStartsTransaction = grown(this.runStartsTransaction, n);
  }

  /** The skipped entries added since the last call. */
  takeSkipped(): SkippedEntry[] {
    const out = this.skipped;
    this.skipped = [];
    return out;
  }

  /**
   * per Posting Group: the contributions made since the last call, (group id, value entry no.) in entry order,
   * handed to `to` and then forgotten by the table (a streamed run keeps them outside memory).
   */
  takeContributions(to: (groups: Int32Array, entryNos: Float64Array, count: number) => void): void {
    const g = this.groups;
    to(g.contributionGroup, g.contributionEntry, g.contributions);
    g.contributions = 0;
  }

  /** What every G/L entry of this run shares (entries: per Entry, the value entries the table's rows point to). */
  private tableContext(entries: readonly ValueEntry[] | null): GLEntryTableContext {
    return {
      lineKeys: this.env.lineKeys.keys,
      sourceCode: this.input.settings.sourceCode,
      registerNo: this.registerNo,
      entries,
      tuples: this.dims.tuples,
      documentNo: this.options.documentNo,
    };
  }

  /** per Entry: the G/L entries of the entries added since the last call, numbered, and each one's value entry. */
  takeGLEntries(): { table: GLEntryTable; valueEntryNos: number[] } {
    if (this.perGroup) throw new InvariantError("takeGLEntries is per Entry");
    const lineKeys = this.env.lineKeys.keys;
    const keyOf = lineOfOneEntryKeys(lineKeys, lineKeyRanks(lineKeys));
    const { lineKeyId, lineLcy, lineAcy, runEntries, runStarts, runEntryNo, lineCount, runCount } =
      this;
    // Within an entry, lines follow the grouping key (its date and dimensions are the entry's): an insertion
    // sort of each run's lines in place by their keys, stable as Array.prototype.sort is. (Posting date and
    // run are the same for all lines of a run, so they stay.)
    const keyAt = (i: number) =>
      keyOf[lineKeyId[i]] | (isNegative(lineLcy[i], lineAcy[i]) ? NEGATIVE_LINE : 0);
    for (let r = 0; r < runCount; r++) {
      const from = runStarts[r];
      const to = r + 1 < runCount ? runStarts[r + 1] : lineCount;
      for (let i = from + 1; i < to; i++) {
        const k = keyAt(i);
        if (keyAt(i - 1) <= k) continue;
        const id = lineKeyId[i];
        const lcy = lineLcy[i];
        const acy = lineAcy[i];
        let at = i;
        do {
          lineKeyId[at] = lineKeyId[at - 1];
          lineLcy[at] = lineLcy[at - 1];
          lineAcy[at] = lineAcy[at - 1];
          at--;
        } while (at > from && keyAt(at - 1) > k);
        lineKeyId[at] = id;
        lineLcy[at] = lcy;
        lineAcy[at] = acy;
      }
    }
    // The lines' columns become the table's; the run starts new ones for its next entries (sized as these).
    // The table's sources point into the taken entries (run r: runEntries[r]).
    runEntries.length = runCount;
    const table = new GLEntryTable(this.tableContext(runEntries), lineCount, {
      lineKeyId: lineKeyId.subarray(0, lineCount),
      postingDate: this.lineDate.subarray(0, lineCount),
      amount: lineLcy.subarray(0, lineCount),
      additionalCurrencyAmount: lineAcy.subarray(0, lineCount),
      transactionNo: new Float64Array(lineCount),
      source: this.lineRun.subarray(0, lineCount),
    });
    const valueEntryNos = new Array<number>(lineCount);
    for (let r = 0; r < runCount; r++) {
      const from = runStarts[r];
      const to = r + 1 < runCount ? runStarts[r + 1] : lineCount;
      const entryNo = runEntryNo[r];
      for (let i = from; i < to; i++) valueEntryNos[i] = entryNo;
      this.number(table, from, to, this.runStartsTransaction[r] === 1, runEntries[r], 1);
    }
    // Made on the next add (a whole-input run never adds again).
    this.linesNext = Math.max(1024, lineCount);
    this.lineKeyId = new Int32Array(0);
    this.lineLcy = new Float64Array(0);
    this.lineAcy = new Float64Array(0);
    this.lineDate = new Int32Array(0);
    this.lineRun = new Int32Array(0);
    this.runEntries = [];
    this.lineCount = 0;
    this.runCount = 0;
    return { table, valueEntryNos };
  }

  /**
   * Numbers rows from..to-1 of a table, which share a transaction and dimensions, and counts them in the
   * totals. startsTransaction: whether the first of them starts a new one (startsTransaction()). lines: how
   * many value-entry lines each merges (dimension errors count per line, so both methods count the same).
   */
  private number(
    t: GLEntryTable,
    from: number,
    to: number,
    startsTransaction: boolean,
    dims: DimensionTuple,
    lines: number
  ): void {
    if (startsTransaction) this.transactionNo++;
    if (from === 0) t.firstEntryNo = this.entryNo + 1;
    if (this.firstGLEntryNo === 0) this.firstGLEntryNo = this.entryNo + 1;
    this.entryNo += to - from;
    const transactionNo = this.transactionNo;
    const totals = this.totals;
    const { amount, additionalCurrencyAmount } = t;
    for (let i = from; i < to; i++) {
      t.transactionNo[i] = transactionNo;
      const lcy = amount[i];
      const acy = additionalCurrencyAmount[i];
      if (lcy > 0) totals.debit += lcy;
      else totals.credit -= lcy;
      if (acy > 0) totals.debitACY += acy;
      else totals.creditACY -= acy;
    }
    if (this.env.setup.defaultDimensions.size > 0)
      for (let i = from; i < to; i++)
        this.overriddenDimensionErrors +=
          dimensionViolations(t.lineKey(i).account.glAccountNo, dims, this.env.setup).length *
          lines;
  }

  /** Ends the run: per Posting Group, the groups become numbered G/L entries; the register. */
  finish(): RunEnd {
    if (this.finished) throw new InvariantError("PostingRun.finish twice");
    this.finished = true;
    this.sum.check();
    const { groups, options } = this;
    let table = GLEntryTable.empty(this.tableContext(null));
    let order: Int32Array = new Int32Array(0);
    const glEntryNoOfGroup = new Float64Array(this.perGroup ? groups.size : 0);
    if (this.perGroup) {
      const lineKeys = this.env.lineKeys.keys;
      const tuples = this.dims.tuples;
      order = groupingKeyOrder(lineKeys, lineKeyRanks(lineKeys), tuples, groups);
      table = new GLEntryTable(this.tableContext(null), order.length);
      for (let i = 0; i < order.length; i++) {
        const g = order[i];
        table.lineKeyId[i] = groups.lineKeyId[g];
        table.postingDate[i] = groups.date[g];
        table.amount[i] = groups.lcy[g];
        table.additionalCurrencyAmount[i] = groups.acy[g];
        table.source[i] = groups.dimId[g];
        const starts = this.startsTransaction(groups.date[g], options.documentNo);
        this.number(table, i, i + 1, starts, tuples[groups.dimId[g]], groups.lines[g]);
        glEntryNoOfGroup[g] = table.firstEntryNo + i;
      }
    } else if (this.lineCount > 0)
      throw new InvariantError("per Entry lines not taken before finish");
    let register: GLRegister | null = null;
    if (this.firstGLEntryNo !== 0) {
      register = {
        no: this.registerNo,
        fromEntryNo: this.firstGLEntryNo,
        toEntryNo: this.entryNo,
        creationDate: options.now.date,
        creationTime: options.now.time,
        sourceCode: this.input.settings.sourceCode,
        userId: options.userId,
        postingMethod: options.postingMethod,
        documentNo: this.perGroup ? options.documentNo : "",
        entriesPosted: this.counts.posted,
        entriesSkipped: this.counts.skipped,
        amountPosted: this.totals.debit,
        inputFingerprint: this.hash.hex(),
      };
    }
    return { glEntryTable: table, groupOrder: order, glEntryNoOfGroup, register };
  }
}

/**
 * The posted columns of every posted entry after the run (rules.md section 3): Cost Posted to G/L := Cost Amount
 * (Actual) when the Act pair posted, Expected Cost Posted to G/L := Cost Amount (Expected) when the Exp pair
 * posted, and the ACY columns likewise when an Additional Reporting Currency is set. In input order.
 */
export function valueEntryUpdates(
  input: PostingInput,
  result: Pick<PostingResult, "postedParts">
): ValueEntryUpdate[] {
  const acy = input.settings.additionalReportingCurrency.trim() !== "";
  const out: ValueEntryUpdate[] = [];
  const parts = result.postedParts;
  for (let index = 0; index < parts.length; index++) {
    const p = parts[index];
    if (p === 0) continue;
    const e = input.valueEntries[index];
    const act = (p & POSTED_ACTUAL) !== 0;
    const exp = (p & POSTED_EXPECTED) !== 0;
    out.push({
      index,
      costPostedToGL: act ? e.costAmountActual : e.costPostedToGL,
      expectedCostPostedToGL: exp ? e.costAmountExpected : e.expectedCostPostedToGL,
      costPostedToGLACY: act && acy ? e.costAmountActualACY : e.costPostedToGLACY,
      expCostPostedToGLACY: exp && acy ? e.costAmountExpectedACY : e.expCostPostedToGLACY,
    });
  }
  return out;
}

/** The value entries as they stand after the run: posted columns updated (for re-runs and tests). */
export function applyUpdates(
  input: PostingInput,
  result: Pick<PostingResult, "postedParts">
): ValueEntry[] {
  const out = input.valueEntries.slice();
  for (const u of valueEntryUpdates(input, result)) {
    out[u.index] = {
      ...input.valueEntries[u.index],
      costPostedToGL: u.costPostedToGL,
      expectedCostPostedToGL: u.expectedCostPostedToGL,
      costPostedToGLACY: u.costPostedToGLACY,
      expCostPostedToGLACY: u.expCostPostedToGLACY,
    };
  }
  return out;
}

/** The relation rows as objects (tests, small runs). */
export function relationRows(r: GLItemLedgerRelations): GLItemLedgerRelation[] {
  return r.glEntryNo.map((glEntryNo, i) => ({
    glEntryNo,
    valueEntryNo: r.valueEntryNo[i],
    glRegisterNo: r.glRegisterNo,
  }));
}

/**
 * The amounts report 1002 "Post Inventory Cost to G/L" prints per value entry and in total (COGSAmt, InvtAdjmtAmt,
 * DirCostAmt, OvhdCostAmt, VarPurchCostAmt, VarMfgDirCostAmt, VarMfgOvhdCostAmt, WIPInvtAmt, InvtAmt), with the
 * report's captions, summed over the posted lines by account type as codeunit 5802 UpdateReportAmounts sums them:
 * the interim accounts count with their final ones (Invt. Accrual (Interim) under Inventory Adjustment), the four
 * direct manufacturing variances under Mfg. Direct Cost Variance, and the two non-inventory account types in none.
 */
export const REPORT_AMOUNTS = [
  { key: "cogs", caption: "COGS", accountTypes: [AT["COGS"], AT["COGS (Interim)"]] },
  {
    key: "inventoryAdjustment",
    caption: "Inventory Adjustment",
    accountTypes: [AT["Inventory Adjmt."], AT["Invt. Accrual (Interim)"]],
  },
  {
    key: "directCostApplied",
    caption: "Direct Cost Applied",
    accountTypes: [AT["Direct Cost Applied"]],
  },
  { key: "overheadApplied", caption: "Overhead Applied", accountTypes: [AT["Overhead Applied"]] },
  {
    key: "purchaseVariance",
    caption: "Purchase Variance",
    accountTypes: [AT["Purchase Variance"]],
  },
  {
    key: "mfgDirectCostVariance",
    caption: "Mfg. Direct Cost Variance",
    accountTypes: [
      AT["Material Variance"],
      AT["Capacity Variance"],
      AT["Subcontracted Variance"],
      AT["Cap. Overhead Variance"],
    ],
  },
  {
    key: "manufacturingOvhdVariance",
    caption: "Manufacturing Ovhd Variance",
    accountTypes: [AT["Mfg. Overhead Variance"]],
  },
  { key: "wipInventory", caption: "WIP Inventory", accountTypes: [AT["WIP Inventory"]] },
  {
    key: "inventory",
    caption: "Inventory",
    accountTypes: [AT["Inventory"], AT["Inventory (Interim)"]],
  },
] as const;

export type ReportAmountKey = (typeof REPORT_AMOUNTS)[number]["key"];

/** Report 1002's totals of a run (LCY, minor units); all 0 when nothing posts. */
export function reportAmounts(
  result: Pick<PostingResult, "amountByAccountType">
): Record<ReportAmountKey, Money> {
  const by = result.amountByAccountType ?? [];
  const out = {} as Record<ReportAmountKey, Money>;
  for (const r of REPORT_AMOUNTS)
    out[r.key] = r.accountTypes.reduce((s: number, t: number) => s + (by[t] ?? 0), 0);
  return out;
}

/**
 * The run's closing line in report 1002's words (StatisticsMsg, NothingToPostMsg). BC counts its calls of
 * PostEntryToGL, so per Posting Group it always says 1; we count the value entries that posted. BC shows no
 * message when Post is off; a dry run says what would post, in the same form.
 */
export function closingMessage(entriesPosted: number, post: boolean): string {
  if (entriesPosted === 0) return "There is nothing to post to the general ledger.";
  return post
    ? `${entriesPosted} value entries have been posted to the general ledger.`
    : `${entriesPosted} value entries would be posted to the general ledger (dry run: nothing was posted).`;
}
