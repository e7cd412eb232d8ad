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
import { groupDescription, perEntryDescription } from "./descriptions";
import { createEnv, evaluateEntry, type Env, type Evaluation, type LineTemplate } from "./evaluate";
import { Hasher, hashSetupAndOptions } from "./fingerprint";
import {
  compareLinesOfOneEntry,
  DimensionTuples,
  GroupTable,
  isNegative,
  lineKeyRanks,
  groupingKeyOrder,
  type DimensionTuple,
} from "./groupingKey";
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

function newGLEntry(
  /** The line's template (per Posting Group: the first of its line key; all have the same account). */
  k: LineTemplate,
  date: number,
  documentNo: string,
  externalDocumentNo: string,
  description: string,
  lcy: Money,
  acy: Money,
  dims: DimensionTuple,
  sourceCode: string,
  /** per Entry: the value entry (its Job No., Reason Code, ... are copied); per Posting Group: null (blank, as BC's empty Value Entry). */
  source: ValueEntry | null
): GLEntry {
  return {
    entryNo: 0,
    postingDate: date,
    documentNo,
    externalDocumentNo,
    glAccountNo: k.account.glAccountNo,
    glAccountName: k.account.glAccountName,
    description,
    amount: lcy,
    additionalCurrencyAmount: acy,
    sourceCode,
    systemCreatedEntry: true,
    transactionNo: 0,
    glRegisterNo: 0,
    inventoryAccountType: k.accountType,
    balAccountType: k.balAccountType,
    locationCode: k.locationCode,
    inventoryPostingGroup: k.inventoryPostingGroup,
    genBusPostingGroup: k.genBusPostingGroup,
    genProdPostingGroup: k.genProdPostingGroup,
    dimensionSetId: dims.dimensionSetId,
    globalDimension1Code: dims.globalDimension1Code,
    globalDimension2Code: dims.globalDimension2Code,
    // Codeunit 5802 PostInvtPostBufInitGenJnlLine copies Job No., Reason Code and Prod. Order No. := Order No.
    // (for any Order Type; we only for Production, as rules.md section 6 says). W1's G/L Entry has no Job Task
    // No.; we carry it anyway (rules.md section 6).
    jobNo: source === null ? "" : (source.jobNo ?? ""),
    jobTaskNo: source === null ? "" : (source.jobTaskNo ?? ""),
    reasonCode: source === null ? "" : (source.reasonCode ?? ""),
    prodOrderNo: source !== null && source.orderType === "Production" ? source.orderNo : "",
  };
}

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
  const perGroup = options.postingMethod === "per Posting Group";
  const sum = new ExactSumGuard();
  const outcomes = new Array<Outcome>(entries.length);
  const counts: OutcomeCounts = {
    posted: 0,
    alreadyPosted: 0,
    ignored: 0,
    skipped: 0,
    filteredOut: 0,
  };
  const skipped: SkippedEntry[] = [];
  const postedParts = new Uint8Array(entries.length);
  const amountByAccountType = new Array<number>(ACCOUNT_TYPE_COUNT).fill(0);
  // per Entry: the lines of each posted entry as one run in flat arrays (no object per line).
  const lineTemplates: LineTemplate[] = [];
  const lineLcy: Money[] = [];
  const lineAcy: Money[] = [];
  const runEntries: ValueEntry[] = [];
  const runStarts: number[] = [];
  const groups = new GroupTable();
  const hash = hashSetupAndOptions(new Hasher(), input, options);
  const dims = new DimensionTuples(hash);
  let hashedLineKeys = 0;

  for (const index of entryOrder(entries)) {
    const e = entries[index];
    const ev = evaluateEntry(e, env);
    if (alsoTo !== null) alsoTo(e, ev);
    outcomes[index] = ev.outcome;
    counts[ev.outcome]++;
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
    for (const keys = env.lineKeys.keys; hashedLineKeys < keys.length; hashedLineKeys++) {
      const k = keys[hashedLineKeys];
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
      hash.str(e.documentNo).str(e.externalDocumentNo).num(dims.id(e));
    if (ev.outcome === "skipped") {
      hash.str(ev.problems[0].code);
      const { reason, howToFix } = joinProblems(ev.problems);
      skipped.push({
        index,
        valueEntryNo: e.entryNo,
        reasonCode: ev.problems[0].code,
        reason,
        howToFix,
        problems: ev.problems,
        costAmount: ev.actLcy + ev.expLcy,
      });
      continue;
    }
    if (ev.outcome !== "posted") continue;

    postedParts[index] = (ev.postsAct ? POSTED_ACTUAL : 0) | (ev.postsExp ? POSTED_EXPECTED : 0);

    const runStart = lineTemplates.length;
    const dimId = perGroup ? dims.id(e) : 0;
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
        lineTemplates.push(template);
        lineLcy.push(lcy);
        lineAcy.push(acy);
      }
    }
    if (lineTemplates.length > runStart) {
      runEntries.push(e);
      runStarts.push(runStart);
    }
  }
  sum.check();

  const lineKeys = env.lineKeys.keys;
  const rank = lineKeyRanks(lineKeys);
  const glEntries: GLEntry[] = [];
  /** For each G/L entry: the value entry it came from (per Entry). */
  const perEntrySource: number[] = [];
  /** per Posting Group: the group ids in G/L entry order. */
  let order: Int32Array = new Int32Array(0);
  if (perGroup) {
    const tuples = dims.tuples;
    order = groupingKeyOrder(lineKeys, rank, tuples, groups);
    // One description per line key, shared by every G/L entry of that key.
    const descriptions: string[] = [];
    for (const g of order) {
      const lineKeyId = groups.lineKeyId[g];
      const k = lineKeys[lineKeyId];
      const description = (descriptions[lineKeyId] ??= groupDescription(k));
      glEntries.push(
        newGLEntry(
          k,
          groups.date[g],
          options.documentNo,
          "",
          description,
          groups.lcy[g],
          groups.acy[g],
          tuples[groups.dimId[g]],
          input.settings.sourceCode,
          null
        )
      );
    }
  } else {
    const lineOrder: number[] = [];
    const before = (i: number, j: number) =>
      compareLinesOfOneEntry(
        lineKeys,
        rank,
        lineTemplates[i].lineKeyId,
        isNegative(lineLcy[i], lineAcy[i]),
        lineTemplates[j].lineKeyId,
        isNegative(lineLcy[j], lineAcy[j])
      ) > 0;
    for (let r = 0; r < runEntries.length; r++) {
      const e = runEntries[r];
      const to = r + 1 < runStarts.length ? runStarts[r + 1] : lineTemplates.length;
      // Within an entry, lines follow the grouping key (its date and dimensions are the entry's): an
      // insertion sort of its two to four lines, stable as Array.prototype.sort is.
      lineOrder.length = 0;
      for (let i = runStarts[r]; i < to; i++) {
        let k = lineOrder.length;
        while (k > 0 && before(lineOrder[k - 1], i)) {
          lineOrder[k] = lineOrder[k - 1];
          k--;
        }
        lineOrder[k] = i;
      }
      const description = perEntryDescription(e);
      for (const i of lineOrder) {
        glEntries.push(
          newGLEntry(
            lineTemplates[i],
            e.postingDate,
            e.documentNo,
            e.externalDocumentNo,
            description,
            lineLcy[i],
            lineAcy[i],
            e,
            input.settings.sourceCode,
            e
          )
        );
        perEntrySource.push(e.entryNo);
      }
    }
  }

  // Numbering continues after what the G/L already holds; a new transaction starts when Posting Date or Document No. changes.
  const registerNo = input.existing.lastRegisterNo + 1;
  let entryNo = input.existing.lastGLEntryNo;
  let transactionNo = input.existing.lastTransactionNo;
  const relations: GLItemLedgerRelations = {
    glRegisterNo: registerNo,
    glEntryNo: [],
    valueEntryNo: [],
  };
  const totals = { debit: 0, credit: 0, debitACY: 0, creditACY: 0 };
  let overriddenDimensionErrors = 0;
  const checkDimensions = env.setup.defaultDimensions.size > 0;
  for (let i = 0; i < glEntries.length; i++) {
    const g = glEntries[i];
    const prev = i > 0 ? glEntries[i - 1] : null;
    if (prev === null || prev.postingDate !== g.postingDate || prev.documentNo !== g.documentNo)
      transactionNo++;
    g.entryNo = ++entryNo;
    g.transactionNo = transactionNo;
    g.glRegisterNo = registerNo;
    if (g.amount > 0) totals.debit += g.amount;
    else totals.credit -= g.amount;
    if (g.additionalCurrencyAmount > 0) totals.debitACY += g.additionalCurrencyAmount;
    else totals.creditACY -= g.additionalCurrencyAmount;
    // Counted per value-entry line, so both methods count the same: a merged line counts once per line in it.
    if (checkDimensions)
      overriddenDimensionErrors +=
        dimensionViolations(g.glAccountNo, g, env.setup).length *
        (perGroup ? groups.lines[order[i]] : 1);
  }

  if (perGroup) {
    // Relation rows in G/L entry order, each group's value entries in entry order: a counting sort of the
    // table's contributions (group id, value entry no.), recorded in entry order (no array per group).
    const start = new Array<number>(groups.size);
    const glEntryNoOf = new Array<number>(groups.size);
    let cursor = 0;
    order.forEach((g, i) => {
      start[g] = cursor;
      cursor += groups.contributors[g];
      glEntryNoOf[g] = glEntries[i].entryNo;
    });
    const rg = (relations.glEntryNo = new Array<number>(cursor));
    const rv = (relations.valueEntryNo = new Array<number>(cursor));
    for (let k = 0; k < groups.contributions; k++) {
      const id = groups.contributionGroup[k];
      const at = start[id]++;
      rg[at] = glEntryNoOf[id];
      rv[at] = groups.contributionEntry[k];
    }
  } else {
    relations.glEntryNo = glEntries.map((g) => g.entryNo);
    relations.valueEntryNo = perEntrySource;
  }

  let register: GLRegister | null = null;
  if (glEntries.length > 0) {
    register = {
      no: registerNo,
      fromEntryNo: glEntries[0].entryNo,
      toEntryNo: glEntries[glEntries.length - 1].entryNo,
      creationDate: options.now.date,
      creationTime: options.now.time,
      sourceCode: input.settings.sourceCode,
      userId: options.userId,
      postingMethod: options.postingMethod,
      documentNo: perGroup ? options.documentNo : "",
      entriesPosted: counts.posted,
      entriesSkipped: counts.skipped,
      amountPosted: totals.debit,
      inputFingerprint: hash.hex(),
    };
  }

  return {
    options,
    glEntries,
    relations,
    register,
    postedParts,
    skipped,
    outcomes,
    counts,
    totals,
    amountByAccountType,
    overriddenDimensionErrors,
  };
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
