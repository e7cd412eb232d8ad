/**
 * Trace (issue 11): from a G/L entry to the value entries behind it and back, through G/L - Item Ledger
 * Relation (BC table 5823). From a G/L entry: its value entries, then every G/L entry of those value entries;
 * from a value entry: its G/L entries, then every value entry those G/L entries merge. Pure.
 */
import type { LedgerGLEntry, LedgerRelation } from "./reconcile";
import type { ValueEntry } from "./types";

export type TraceStart = { glEntryNo: number } | { valueEntryNo: number };

export interface TraceResult {
  start: TraceStart;
  /** null when the start entry is not in the workbook (the message says which table lacks it). */
  error: string | null;
  /** In Entry No. order; the start's own entry first. */
  glEntries: LedgerGLEntry[];
  valueEntries: ValueEntry[];
  /** The relation rows among them (G/L Entry No., Value Entry No., G/L Register No.), in G/L Entry No. order. */
  relations: LedgerRelation[];
  /** Relation rows naming an entry the workbook does not hold. */
  dangling: LedgerRelation[];
}

export function trace(
  valueEntries: readonly ValueEntry[],
  glEntries: readonly LedgerGLEntry[],
  relations: readonly LedgerRelation[],
  start: TraceStart
): TraceResult {
  const glByNo = new Map(glEntries.map((g) => [g.entryNo, g] as const));
  const veByNo = new Map(valueEntries.map((e) => [e.entryNo, e] as const));
  const byGl = new Map<number, LedgerRelation[]>();
  const byVe = new Map<number, LedgerRelation[]>();
  for (const r of relations) {
    (byGl.get(r.glEntryNo) ?? byGl.set(r.glEntryNo, []).get(r.glEntryNo)!).push(r);
    (byVe.get(r.valueEntryNo) ?? byVe.set(r.valueEntryNo, []).get(r.valueEntryNo)!).push(r);
  }
  const empty = (error: string): TraceResult => ({
    start,
    error,
    glEntries: [],
    valueEntries: [],
    relations: [],
    dangling: [],
  });
  const gls = new Set<number>();
  const ves = new Set<number>();
  const rels = new Set<LedgerRelation>();
  // A G/L entry's relation rows and their value entries; a value entry's relation rows and their G/L entries.
  const fromGl = (g: number) => {
    for (const r of byGl.get(g) ?? []) {
      rels.add(r);
      ves.add(r.valueEntryNo);
    }
  };
  const fromVe = (v: number) => {
    for (const r of byVe.get(v) ?? []) {
      rels.add(r);
      gls.add(r.glEntryNo);
    }
  };
  if ("glEntryNo" in start) {
    if (!glByNo.has(start.glEntryNo)) return empty(`G/L Entries has no entry ${start.glEntryNo}.`);
    gls.add(start.glEntryNo);
    fromGl(start.glEntryNo);
    for (const v of [...ves]) fromVe(v);
  } else {
    if (!veByNo.has(start.valueEntryNo))
      return empty(`Value Entries has no entry ${start.valueEntryNo}.`);
    ves.add(start.valueEntryNo);
    fromVe(start.valueEntryNo);
    for (const g of [...gls]) fromGl(g);
  }
  const first = "glEntryNo" in start ? start.glEntryNo : start.valueEntryNo;
  const order = (isStart: (n: number) => boolean) => (a: number, b: number) =>
    isStart(a) ? -1 : isStart(b) ? 1 : a - b;
  const glStart = (n: number) => "glEntryNo" in start && n === first;
  const veStart = (n: number) => "valueEntryNo" in start && n === first;
  const dangling = [...rels].filter((r) => !glByNo.has(r.glEntryNo) || !veByNo.has(r.valueEntryNo));
  return {
    start,
    error: null,
    glEntries: [...gls]
      .filter((n) => glByNo.has(n))
      .sort(order(glStart))
      .map((n) => glByNo.get(n)!),
    valueEntries: [...ves]
      .filter((n) => veByNo.has(n))
      .sort(order(veStart))
      .map((n) => veByNo.get(n)!),
    relations: [...rels].sort(
      (a, b) => a.glEntryNo - b.glEntryNo || a.valueEntryNo - b.valueEntryNo
    ),
    dangling,
  };
}
