/**
 * A run's G/L entries as columns (issue 13). per Entry a run makes two or four G/L entries per value entry, and
 * an object of 26 fields per G/L entry cost more than the posting rules themselves (most of it the garbage
 * collector copying them). The table keeps what varies per G/L entry in typed arrays and takes the rest from
 * where it already lives: the line template (account, types, setup codes), the value entry (per Entry: its
 * documents, dimensions, Job No., ...) or the dimension tuple and the run's Document No. (per Posting Group).
 * at(i) makes the G/L entry object for a caller that needs one; the writers and the balance checks read the
 * columns. The G/L entries of one table are numbered consecutively from firstEntryNo (a run numbers them in
 * table order).
 */
import { groupDescription, perEntryDescription } from "./descriptions";
import type { LineTemplate } from "./evaluate";
import type { DimensionTuple } from "./groupingKey";
import type { GLEntry, ValueEntry } from "./types";

/** What every G/L entry of a table shares, and where its per-entry sources live. */
export interface GLEntryTableContext {
  lineKeys: readonly LineTemplate[];
  sourceCode: string;
  registerNo: number;
  /** per Entry: the value entries, indexed by source[i]; null per Posting Group. */
  entries: readonly ValueEntry[] | null;
  /** per Posting Group: the dimension tuples, indexed by source[i]. */
  tuples: readonly DimensionTuple[];
  /** per Posting Group: the run's Document No. (per Entry each G/L entry has its value entry's). */
  documentNo: string;
}

/** A list of G/L entries by position: a GLEntryTable, or an array of objects (tests, small results). */
export interface GLEntryList {
  readonly length: number;
  at(index: number): GLEntry | undefined;
}

/** How many per Entry descriptions a table keeps to share; past it, they are made afresh. */
const DESCRIPTIONS_CACHED = 100000;

export class GLEntryTable implements GLEntryList {
  readonly lineKeyId: Int32Array;
  readonly postingDate: Int32Array;
  readonly amount: Float64Array;
  readonly additionalCurrencyAmount: Float64Array;
  readonly transactionNo: Float64Array;
  /** per Entry: index into context.entries (the G/L entry's value entry); per Posting Group: dimension tuple id. */
  readonly source: Int32Array;
  /** The Entry No. of row 0 (0 while the run has not numbered it). */
  firstEntryNo = 0;

  // Descriptions shared by the G/L entries that have the same one: per Posting Group one per line key; per
  // Entry by posting date, entry type and source no. (a run has few of each).
  private groupDescriptions: string[] = [];
  private entryDescriptions = new Map<number, Map<string, Map<string, string>>>();
  private entryDescriptionsCached = 0;

  constructor(
    readonly context: GLEntryTableContext,
    readonly length: number,
    columns?: Pick<
      GLEntryTable,
      | "lineKeyId"
      | "postingDate"
      | "amount"
      | "additionalCurrencyAmount"
      | "transactionNo"
      | "source"
    >
  ) {
    this.lineKeyId = columns?.lineKeyId ?? new Int32Array(length);
    this.postingDate = columns?.postingDate ?? new Int32Array(length);
    this.amount = columns?.amount ?? new Float64Array(length);
    this.additionalCurrencyAmount = columns?.additionalCurrencyAmount ?? new Float64Array(length);
    this.transactionNo = columns?.transactionNo ?? new Float64Array(length);
    this.source = columns?.source ?? new Int32Array(length);
  }

  static empty(context: GLEntryTableContext): GLEntryTable {
    return new GLEntryTable(context, 0);
  }

  /** Rows from..to-1 as a table of their own (the columns are shared, not copied). */
  range(from: number, to: number): GLEntryTable {
    const t = new GLEntryTable(this.context, to - from, {
      lineKeyId: this.lineKeyId.subarray(from, to),
      postingDate: this.postingDate.subarray(from, to),
      amount: this.amount.subarray(from, to),
      additionalCurrencyAmount: this.additionalCurrencyAmount.subarray(from, to),
      transactionNo: this.transactionNo.subarray(from, to),
      source: this.source.subarray(from, to),
    });
    t.firstEntryNo = this.firstEntryNo + from;
    t.groupDescriptions = this.groupDescriptions;
    t.entryDescriptions = this.entryDescriptions;
    return t;
  }

  entryNo(i: number): number {
    return this.firstEntryNo + i;
  }

  /** Every row's Entry No., in order (a per Entry run's relation rows point there). */
  entryNos(): number[] {
    const out = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.firstEntryNo + i;
    return out;
  }

  lineKey(i: number): LineTemplate {
    return this.context.lineKeys[this.lineKeyId[i]];
  }

  /** per Entry: row i's value entry; per Posting Group: null (BC's empty Value Entry: Job No. etc. blank). */
  valueEntry(i: number): ValueEntry | null {
    const entries = this.context.entries;
    return entries === null ? null : entries[this.source[i]];
  }

  description(i: number): string {
    const e = this.valueEntry(i);
    if (e === null) {
      const id = this.lineKeyId[i];
      return (this.groupDescriptions[id] ??= groupDescription(this.context.lineKeys[id]));
    }
    let byType = this.entryDescriptions.get(e.postingDate);
    if (byType === undefined) this.entryDescriptions.set(e.postingDate, (byType = new Map()));
    let bySource = byType.get(e.entryType);
    if (bySource === undefined) byType.set(e.entryType, (bySource = new Map()));
    let d = bySource.get(e.sourceNo);
    if (d === undefined) {
      d = perEntryDescription(e);
      if (this.entryDescriptionsCached < DESCRIPTIONS_CACHED) {
        bySource.set(e.sourceNo, d);
        this.entryDescriptionsCached++;
      }
    }
    return d;
  }

  /** As Array.prototype.at: a negative index counts from the end; out of range, undefined. */
  at(index: number): GLEntry | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.row(i) : undefined;
  }

  /** Row i (0 <= i < length) as a G/L entry object (a fresh one each call). */
  row(i: number): GLEntry {
    const k = this.lineKey(i);
    const e = this.valueEntry(i);
    const dims = e ?? this.context.tuples[this.source[i]];
    return {
      entryNo: this.firstEntryNo + i,
      postingDate: this.postingDate[i],
      documentNo: e === null ? this.context.documentNo : e.documentNo,
      externalDocumentNo: e === null ? "" : e.externalDocumentNo,
      glAccountNo: k.account.glAccountNo,
      glAccountName: k.account.glAccountName,
      description: this.description(i),
      amount: this.amount[i],
      additionalCurrencyAmount: this.additionalCurrencyAmount[i],
      sourceCode: this.context.sourceCode,
      systemCreatedEntry: true,
      transactionNo: this.transactionNo[i],
      glRegisterNo: this.context.registerNo,
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
      // No.; we carry it anyway (rules.md section 6). per Posting Group they are blank (BC's empty Value Entry).
      jobNo: e === null ? "" : (e.jobNo ?? ""),
      jobTaskNo: e === null ? "" : (e.jobTaskNo ?? ""),
      reasonCode: e === null ? "" : (e.reasonCode ?? ""),
      prodOrderNo: e !== null && e.orderType === "Production" ? e.orderNo : "",
    };
  }

  toArray(): GLEntry[] {
    const out = new Array<GLEntry>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.row(i);
    return out;
  }
}
