/**
 * Inventory - G/L Reconciliation (rules.md section 9; BC page 5845, codeunit 5845 as reconciliation-bc.md
 * describes them). Pure: value entries, posting setup and the G/L as read in, the matrix and an explanation of
 * every difference out.
 *
 * - Inventory side: each value entry's cost amounts where they land once posted: the account matrix's pairs
 *   (accountMatrix.ts), Cost Amount (Actual) on the Act pair and Cost Amount (Expected) on the Exp pair, the
 *   account line +amount and the balancing line -amount. So after a complete run each field equals what the
 *   run posted to it (BC's field formulas give the same, sign for sign, for every combination BC posts).
 * - G/L side: the net change of the accounts named in each setup field (once per field, duplicates across
 *   fields counted in each, as BC), under the date filter only. With a G/L Accounts table, accounts missing
 *   from it are left out (BC: GLAcc.Get fails).
 * - Difference = G/L - inventory, per field, split into causes whose amounts add up to it exactly:
 *     G/L - inv = direct + Σ_{g in D} (share + rem) - Σ_{e in D} (posted + unposted)
 *   where share(e, g) is e's part in its G/L entry g (found through G/L - Item Ledger Relation), rem(g) what g
 *   holds beyond its value entries' parts, and posted/unposted the posted columns and the rest.
 *
 * Deliberate differences from BC: the rows Inventory To WIP and WIP To Interim are transfers between two
 * balance-sheet accounts with no G/L account of their own, so they have no G/L Total and no Difference (BC
 * shows a difference there that no posting can clear). Direct Cost Non-Inventory Applied has no row (BC reads
 * no account for it either). Entries the engine ignores (not inventoriable; non-inventory cost with setting 8
 * off) are left out of the inventory side: their cost never lands anywhere.
 */
import { findMatrixRow, type MatrixRow } from "./accountMatrix";
import { ACCOUNT_TYPES, AT } from "./accountTypes";
import { createEnv, evaluateEntry } from "./evaluate";
import { parseCodeFilter, parseDateFilter } from "./filters";
import { ExactSumGuard } from "./money";
import type { DayNumber, Money, PostingInput, SkipReasonCode } from "./types";

/** A G/L entry as the reconciliation reads it (any G/L entry of the workbook, ours or pasted from BC). */
export interface LedgerGLEntry {
  entryNo: number;
  postingDate: DayNumber;
  glAccountNo: string;
  amount: Money;
  description: string;
  documentNo: string;
  /** Account type ordinals of this product's G/L entries; -1 when blank (BC's own entries). */
  inventoryAccountType: number;
  balAccountType: number;
  glRegisterNo: number;
}

export interface LedgerRelation {
  glEntryNo: number;
  valueEntryNo: number;
  glRegisterNo: number;
}

export interface ReconcileInput {
  posting: PostingInput;
  glEntries: readonly LedgerGLEntry[];
  relations: readonly LedgerRelation[];
}

export interface ReconcileOptions {
  /** BC filter syntax (filters.ts); '' = none. The date filter applies to value entries and G/L entries. */
  dateFilter: string;
  /** Value entries only. With an Item or Location filter there is no G/L side (BC shows only 4 columns). */
  itemFilter: string;
  locationFilter: string;
}

const BALANCE_COLUMNS = ["Inventory", "Inventory (Interim)", "WIP Inventory"] as const;
export type BalanceColumn = (typeof BALANCE_COLUMNS)[number];
export const MATRIX_COLUMNS = [...BALANCE_COLUMNS, "Total", "G/L Total", "Difference"] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** The income-statement rows of section 9 and the account type each reads (null: a transfer row). */
const INCOME_ROWS: readonly { row: string; accountType: number | null }[] = [
  { row: "Inventory To WIP", accountType: null },
  { row: "WIP To Interim", accountType: null },
  { row: "COGS (Interim)", accountType: AT["COGS (Interim)"] },
  { row: "Direct Cost Applied", accountType: AT["Direct Cost Applied"] },
  { row: "Overhead Applied", accountType: AT["Overhead Applied"] },
  { row: "Inventory Adjmt.", accountType: AT["Inventory Adjmt."] },
  { row: "Invt. Accrual (Interim)", accountType: AT["Invt. Accrual (Interim)"] },
  { row: "COGS", accountType: AT["COGS"] },
  { row: "Purchase Variance", accountType: AT["Purchase Variance"] },
  { row: "Material Variance", accountType: AT["Material Variance"] },
  { row: "Material Non-Inventory Variance", accountType: AT["Material - Non Inventory Variance"] },
  { row: "Capacity Variance", accountType: AT["Capacity Variance"] },
  { row: "Subcontracted Variance", accountType: AT["Subcontracted Variance"] },
  { row: "Capacity Overhead Variance", accountType: AT["Cap. Overhead Variance"] },
  { row: "Mfg. Overhead Variance", accountType: AT["Mfg. Overhead Variance"] },
];
export const MATRIX_ROWS = [...INCOME_ROWS.map((r) => r.row), "Total", "G/L Total", "Difference"];

const BALANCE_TYPES: Record<BalanceColumn, number> = {
  Inventory: AT["Inventory"],
  "Inventory (Interim)": AT["Inventory (Interim)"],
  "WIP Inventory": AT["WIP Inventory"],
};

/** The fields that reconcile against G/L accounts: the three balance columns and every income row's type. */
export const FIELDS: readonly number[] = [
  ...BALANCE_COLUMNS.map((c) => BALANCE_TYPES[c]),
  ...INCOME_ROWS.flatMap((r) => (r.accountType === null ? [] : [r.accountType])),
];

/** The row or column a field is shown as. */
export function fieldCaption(accountType: number): string {
  const bal = BALANCE_COLUMNS.find((c) => BALANCE_TYPES[c] === accountType);
  if (bal !== undefined) return bal;
  return (
    INCOME_ROWS.find((r) => r.accountType === accountType)?.row ??
    ACCOUNT_TYPES[accountType].caption
  );
}

export type CauseCode =
  | "NOT_POSTED_ACTUAL"
  | "NOT_POSTED_EXPECTED"
  | "EXPECTED_COST_POSTING_OFF"
  | `SKIPPED_${SkipReasonCode}`
  | "DIRECT_POSTING"
  | "POSTING_DATE_MISMATCH"
  | "SIMILAR_ACCOUNTS"
  | "OTHER";

/** Causes in the order they are listed; the Warning cell shows the first present, in BC's words where BC has one. */
const CAUSE_ORDER: readonly string[] = [
  "EXPECTED_COST_POSTING_OFF",
  "NOT_POSTED_ACTUAL",
  "NOT_POSTED_EXPECTED",
  "SKIPPED_",
  "DIRECT_POSTING",
  "POSTING_DATE_MISMATCH",
  "SIMILAR_ACCOUNTS",
  "OTHER",
];

function causeText(cause: CauseCode): string {
  switch (cause) {
    case "NOT_POSTED_ACTUAL":
      return "Cost not yet posted to G/L (actual): run Post Inventory Cost to G/L";
    case "NOT_POSTED_EXPECTED":
      return "Cost not yet posted to G/L (expected): run Post Inventory Cost to G/L";
    case "EXPECTED_COST_POSTING_OFF":
      return "Expected cost posting to G/L is off: expected cost never posts, so the interim accounts stay empty";
    case "DIRECT_POSTING":
      return "Posted directly to the account: G/L entries no value entry stands behind (no G/L - Item Ledger Relation row)";
    case "POSTING_DATE_MISMATCH":
      return "Posting date mismatch: a value entry and its G/L entry fall on different sides of the date filter";
    case "SIMILAR_ACCOUNTS":
      return "The account is also named for another account type: G/L entries posted as that type count here too";
    case "OTHER":
      return "Other: G/L entries that differ from their value entries, or posted columns no G/L entry records";
    default:
      return `Skipped by Post Inventory Cost to G/L: ${cause.slice("SKIPPED_".length)} (see Skipped Entries)`;
  }
}

/** The Warning cell's text (BC's cell texts where BC has the warning). */
function causeWarning(cause: CauseCode): string {
  switch (cause) {
    case "NOT_POSTED_ACTUAL":
    case "NOT_POSTED_EXPECTED":
      return "Post Cost to G/L";
    case "EXPECTED_COST_POSTING_OFF":
      return "Expected Cost Setup";
    case "DIRECT_POSTING":
      return "Direct Posting";
    case "POSTING_DATE_MISMATCH":
      return "Posting Date";
    case "SIMILAR_ACCOUNTS":
      return "Similar Accounts";
    case "OTHER":
      return "Other";
    default:
      return `Skipped ${cause.slice("SKIPPED_".length)}`;
  }
}

/** Entries behind a figure, each with its part of it (the parts add up to the figure). */
export interface Bucket {
  amount: Money;
  valueEntryNos: number[];
  valueEntryAmounts: Money[];
  glEntryNos: number[];
  glEntryAmounts: Money[];
}

function bucket(): Bucket {
  return {
    amount: 0,
    valueEntryNos: [],
    valueEntryAmounts: [],
    glEntryNos: [],
    glEntryAmounts: [],
  };
}
function addVe(b: Bucket, no: number, amount: Money): void {
  if (amount === 0) return;
  b.amount += amount;
  b.valueEntryNos.push(no);
  b.valueEntryAmounts.push(amount);
}
function addGl(b: Bucket, no: number, amount: Money): void {
  if (amount === 0) return;
  b.amount += amount;
  b.glEntryNos.push(no);
  b.glEntryAmounts.push(amount);
}

export interface MatrixCell {
  row: string;
  column: MatrixColumn;
  /** null: the cell is blank by layout (not a zero). */
  bucket: Bucket | null;
}

export interface Explanation extends Bucket {
  /** The account type (field) whose difference it explains. */
  field: number;
  /** The row or column caption of that field, e.g. "Inventory (Interim)" or "COGS". */
  fieldCaption: string;
  cause: CauseCode;
  text: string;
}

export interface Reconciliation {
  /** Every cell of the matrix, row by row in MATRIX_ROWS order, columns in MATRIX_COLUMNS order. */
  cells: MatrixCell[];
  /** Per row, the Warning column's text ('' = none). */
  warnings: Map<string, string>;
  /** false with an Item or Location filter: no G/L side, no differences (BC). */
  glSide: boolean;
  /** Per field: inventory side, G/L side, difference (G/L - inventory). */
  fields: Map<number, { inventory: Money; gl: Money; difference: Money }>;
  /** Non-zero only, per field in FIELDS order, causes in CAUSE_ORDER. Σ per field = its difference exactly. */
  explanations: Explanation[];
  /** Σ |difference| over the fields. */
  totalAbsoluteDifference: Money;
}

export class ReconcileOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReconcileOptionsError";
  }
}

/** null when the filters read; else BC's kind of message naming the filter. */
export function checkReconcileOptions(o: ReconcileOptions): string | null {
  for (const p of [
    parseDateFilter(o.dateFilter, "Posting Date"),
    parseCodeFilter(o.itemFilter, "Item No."),
    parseCodeFilter(o.locationFilter, "Location Code"),
  ])
    if (!p.ok) return p.error;
  return null;
}

const ACT = 0;
const EXP = 1;

/** The accounts of each setup field, once per field (BC: duplicates within a field dropped). */
function fieldAccounts(input: PostingInput): Set<string>[] {
  const known = input.glAccounts === null ? null : new Set(input.glAccounts.map((a) => a.no));
  const out = ACCOUNT_TYPES.map(() => new Set<string>());
  const add = (accounts: readonly string[]) => {
    for (const a of ACCOUNT_TYPES) {
      const no = accounts[a.ordinal] ?? "";
      if (no !== "" && (known === null || known.has(no))) out[a.ordinal].add(no);
    }
  };
  for (const s of input.inventoryPostingSetup) add(s.accounts);
  for (const s of input.generalPostingSetup) add(s.accounts);
  return out;
}

export function reconcile(data: ReconcileInput, options: ReconcileOptions): Reconciliation {
  const problem = checkReconcileOptions(options);
  if (problem !== null) throw new ReconcileOptionsError(problem);
  const date = parseDateFilter(options.dateFilter);
  const item = parseCodeFilter(options.itemFilter);
  const location = parseCodeFilter(options.locationFilter);
  const inDate = date.ok ? date.test : () => true;
  const itemOk = item.ok ? item.test : () => true;
  const locationOk = location.ok ? location.test : () => true;
  const glSide = options.itemFilter.trim() === "" && options.locationFilter.trim() === "";
  const input = data.posting;
  const settings = input.settings;
  const guard = new ExactSumGuard();
  const env = createEnv(input, {
    postingMethod: "per Entry",
    documentNo: "",
    post: false,
    itemFilter: "",
    dateFilter: "",
    now: { date: 0, time: "" },
    userId: "",
  });

  const n = ACCOUNT_TYPES.length;
  const inv = Array.from({ length: n }, bucket);
  // Direct Cost Applied and Overhead Applied split by their counterpart: WIP Inventory or not (BC's "... WIP").
  const appliedWip = new Map<number, Bucket>([
    [AT["Direct Cost Applied"], bucket()],
    [AT["Overhead Applied"], bucket()],
  ]);
  const inventoryToWip = bucket();
  const wipToInterim = bucket();
  const gl = Array.from({ length: n }, bucket);
  const causes = Array.from({ length: n }, () => new Map<string, Bucket>());
  const cause = (field: number, code: string): Bucket => {
    let b = causes[field].get(code);
    if (b === undefined) causes[field].set(code, (b = bucket()));
    return b;
  };

  // Value entries: which count (in the filters, not ignored), their matrix row and posted parts.
  const ves = input.valueEntries;
  const counted = new Uint8Array(ves.length);
  const rows: (MatrixRow | undefined)[] = new Array(ves.length);
  const veIndex = numberIndex(ves.map((e) => e.entryNo));
  for (let i = 0; i < ves.length; i++) {
    const e = ves[i];
    guard.add(e.costAmountActual);
    guard.add(e.costAmountExpected);
    guard.add(e.costPostedToGL);
    guard.add(e.expectedCostPostedToGL);
    const row = findMatrixRow(e.itemLedgerEntryType, e.entryType, e.varianceType, e.orderType);
    rows[i] = row;
    if (!inDate(e.postingDate) || !itemOk(e.itemNo) || !locationOk(e.locationCode)) continue;
    const ev = evaluateEntry(e, env);
    if (ev.outcome === "ignored") continue;
    counted[i] = 1;
    const skipped = ev.outcome === "skipped" ? `SKIPPED_${ev.problems[0].code}` : null;
    if (row === undefined) {
      // No pair: BC still counts the actual cost in Inventory (+Actual for every non-blank Item Ledger Entry Type).
      if (e.itemLedgerEntryType !== "" && e.costAmountActual !== 0) {
        addVe(inv[AT["Inventory"]], e.entryNo, e.costAmountActual);
        if (glSide)
          addVe(
            cause(AT["Inventory"], skipped ?? "SKIPPED_INVALID_COMBINATION"),
            e.entryNo,
            -e.costAmountActual
          );
      }
      continue;
    }
    for (const part of [ACT, EXP]) {
      const pair = part === ACT ? row.act : row.exp;
      if (pair === null) continue;
      const amount = part === ACT ? e.costAmountActual : e.costAmountExpected;
      const unposted = amount - (part === ACT ? e.costPostedToGL : e.expectedCostPostedToGL);
      const [a, b] = pair;
      addVe(inv[a], e.entryNo, amount);
      addVe(inv[b], e.entryNo, -amount);
      const wipSplit = appliedWip.get(b);
      if (wipSplit !== undefined && a === AT["WIP Inventory"]) addVe(wipSplit, e.entryNo, -amount);
      if (glSide && unposted !== 0) {
        const code =
          part === EXP && !settings.expectedCostPostingToGL
            ? "EXPECTED_COST_POSTING_OFF"
            : (skipped ?? (part === ACT ? "NOT_POSTED_ACTUAL" : "NOT_POSTED_EXPECTED"));
        addVe(cause(a, code), e.entryNo, -unposted);
        addVe(cause(b, code), e.entryNo, unposted);
      }
    }
    // BC's transfer rows: Inventory To WIP = +Actual of Direct Cost on Output/Consumption; WIP To Interim =
    // -Expected of Direct Cost/Revaluation on Output.
    if (
      e.entryType === "Direct Cost" &&
      (e.itemLedgerEntryType === "Output" || e.itemLedgerEntryType === "Consumption")
    )
      addVe(inventoryToWip, e.entryNo, e.costAmountActual);
    if (
      (e.entryType === "Direct Cost" || e.entryType === "Revaluation") &&
      e.itemLedgerEntryType === "Output"
    )
      addVe(wipToInterim, e.entryNo, -e.costAmountExpected);
  }

  if (glSide) {
    const accounts = fieldAccounts(input);
    const fieldsOf = new Map<string, number[]>();
    for (const f of FIELDS)
      for (const no of accounts[f]) fieldsOf.set(no, [...(fieldsOf.get(no) ?? []), f]);
    // The value entries behind each G/L entry, once each: relation rows as one array per G/L entry position
    // (counted, then filled), without an array or map entry per G/L entry.
    const gls = data.glEntries;
    const glPos = numberIndex(gls.map((g) => g.entryNo));
    const rels = data.relations;
    const start = new Int32Array(gls.length + 1);
    const relGl = new Int32Array(rels.length);
    const relVe = new Int32Array(rels.length);
    for (let i = 0; i < rels.length; i++) {
      relGl[i] = glPos(rels[i].glEntryNo);
      relVe[i] = veIndex(rels[i].valueEntryNo);
      if (relGl[i] >= 0) start[relGl[i] + 1]++;
    }
    for (let i = 0; i < gls.length; i++) start[i + 1] += start[i];
    const fill = start.slice(0, gls.length);
    const linked = new Int32Array(rels.length).fill(-1);
    for (let i = 0; i < rels.length; i++) if (relGl[i] >= 0) linked[fill[relGl[i]]++] = relVe[i];
    const seen = new Int32Array(ves.length);
    for (let gp = 0; gp < gls.length; gp++)
      for (let k = start[gp]; k < start[gp + 1]; k++) {
        const vi = linked[k];
        if (vi < 0) continue;
        if (seen[vi] === gp + 1) linked[k] = -1;
        else seen[vi] = gp + 1;
      }
    // Per counted value entry, part and side (slot vi*4 + part*2 + side): posted amount no G/L entry's share matches yet.
    const unmatched = new Float64Array(ves.length * 4);
    for (let i = 0; i < ves.length; i++) {
      if (counted[i] === 0) continue;
      const row = rows[i];
      if (row === undefined) continue;
      const e = ves[i];
      for (const part of [ACT, EXP]) {
        const posted = part === ACT ? e.costPostedToGL : e.expectedCostPostedToGL;
        if ((part === ACT ? row.act : row.exp) === null || posted === 0) continue;
        unmatched[i * 4 + part * 2] += posted;
        unmatched[i * 4 + part * 2 + 1] -= posted;
      }
    }
    /** e's part in g: the posted amount of the part whose pair g is, with g's side's sign; its slot in unmatched. */
    let slot = -1;
    const share = (vi: number, g: LedgerGLEntry): Money => {
      slot = -1;
      const row = rows[vi];
      if (row === undefined) return 0;
      const e = ves[vi];
      for (const part of [ACT, EXP]) {
        const pair = part === ACT ? row.act : row.exp;
        if (pair === null) continue;
        const posted = part === ACT ? e.costPostedToGL : e.expectedCostPostedToGL;
        if (pair[0] === g.inventoryAccountType && pair[1] === g.balAccountType)
          return ((slot = vi * 4 + part * 2), posted);
        if (pair[1] === g.inventoryAccountType && pair[0] === g.balAccountType)
          return ((slot = vi * 4 + part * 2 + 1), -posted);
      }
      return 0;
    };
    for (let gp = 0; gp < gls.length; gp++) {
      const g = gls[gp];
      guard.add(g.amount);
      const fs = fieldsOf.get(g.glAccountNo);
      if (fs === undefined) continue;
      const gInD = inDate(g.postingDate);
      let any = false;
      for (let k = start[gp]; k < start[gp + 1]; k++) if (linked[k] >= 0) any = true;
      for (const f of fs) {
        if (gInD) addGl(gl[f], g.entryNo, g.amount);
        if (!any) {
          if (gInD) addGl(cause(f, "DIRECT_POSTING"), g.entryNo, g.amount);
          continue;
        }
        let rem = gInD ? g.amount : 0;
        if (g.inventoryAccountType === f)
          for (let k = start[gp]; k < start[gp + 1]; k++) {
            const vi = linked[k];
            if (vi < 0) continue;
            const s = share(vi, g);
            if (s === 0) continue;
            const eCounted = counted[vi] === 1;
            if (gInD) rem -= s;
            if (eCounted) unmatched[slot] -= s;
            // A pair on one side of the date filter only.
            if (gInD && !eCounted) {
              const code = inDate(ves[vi].postingDate) ? "OTHER" : "POSTING_DATE_MISMATCH";
              addVe(cause(f, code), ves[vi].entryNo, s);
            } else if (!gInD && eCounted)
              addVe(cause(f, "POSTING_DATE_MISMATCH"), ves[vi].entryNo, -s);
          }
        if (rem !== 0)
          addGl(
            cause(
              f,
              g.inventoryAccountType >= 0 && g.inventoryAccountType !== f
                ? "SIMILAR_ACCOUNTS"
                : "OTHER"
            ),
            g.entryNo,
            rem
          );
      }
    }
    // Posted columns no G/L entry records (G/L entries removed, relation rows missing).
    for (let k = 0; k < unmatched.length; k++) {
      const amount = unmatched[k];
      if (amount === 0) continue;
      const vi = k >> 2;
      const pair = (k & 2) === 0 ? rows[vi]!.act : rows[vi]!.exp!;
      const f = pair[k & 1];
      if (FIELDS.includes(f)) addVe(cause(f, "OTHER"), ves[vi].entryNo, -amount);
    }
  }
  guard.check();

  // Fields, explanations.
  const fields = new Map<number, { inventory: Money; gl: Money; difference: Money }>();
  const explanations: Explanation[] = [];
  let totalAbs = 0;
  for (const f of FIELDS) {
    const difference = glSide ? gl[f].amount - inv[f].amount : 0;
    fields.set(f, { inventory: inv[f].amount, gl: glSide ? gl[f].amount : 0, difference });
    totalAbs += Math.abs(difference);
    const codes = [...causes[f].keys()].sort(
      (a, b) => causeRank(a) - causeRank(b) || (a < b ? -1 : a > b ? 1 : 0)
    );
    for (const code of codes) {
      const b = causes[f].get(code)!;
      // A cause whose parts cancel out explains nothing.
      if (b.amount === 0) continue;
      explanations.push({
        ...b,
        field: f,
        fieldCaption: fieldCaption(f),
        cause: code as CauseCode,
        text: causeText(code as CauseCode),
      });
    }
  }

  // Cells.
  const cells: MatrixCell[] = [];
  const warnings = new Map<string, string>();
  const firstCause = (f: number) => explanations.find((x) => x.field === f);
  const put = (row: string, values: Partial<Record<MatrixColumn, Bucket | null>>) => {
    for (const column of MATRIX_COLUMNS)
      cells.push({ row, column, bucket: values[column] ?? null });
  };
  const negated = (b: Bucket): Bucket => ({
    amount: -b.amount || 0,
    valueEntryNos: b.valueEntryNos,
    valueEntryAmounts: b.valueEntryAmounts.map((x) => -x || 0),
    glEntryNos: b.glEntryNos,
    glEntryAmounts: b.glEntryAmounts.map((x) => -x || 0),
  });
  const minus = (a: Bucket, b: Bucket): Bucket => {
    const out = bucket();
    for (let i = 0; i < a.valueEntryNos.length; i++)
      addVe(out, a.valueEntryNos[i], a.valueEntryAmounts[i]);
    for (let i = 0; i < b.valueEntryNos.length; i++)
      addVe(out, b.valueEntryNos[i], -b.valueEntryAmounts[i]);
    return out;
  };
  const differenceBucket = (f: number): Bucket => {
    const out = bucket();
    for (const x of explanations) {
      if (x.field !== f) continue;
      for (let i = 0; i < x.valueEntryNos.length; i++)
        addVe(out, x.valueEntryNos[i], x.valueEntryAmounts[i]);
      for (let i = 0; i < x.glEntryNos.length; i++)
        addGl(out, x.glEntryNos[i], x.glEntryAmounts[i]);
    }
    return out;
  };
  const diffBuckets = new Map(FIELDS.map((f) => [f, glSide ? differenceBucket(f) : null] as const));
  for (const { row, accountType } of INCOME_ROWS) {
    if (accountType === null) {
      const v = row === "Inventory To WIP" ? inventoryToWip : wipToInterim;
      if (row === "Inventory To WIP")
        put(row, { Inventory: negated(v), "WIP Inventory": v, Total: v });
      else put(row, { "Inventory (Interim)": v, "WIP Inventory": negated(v), Total: v });
      warnings.set(row, "");
      continue;
    }
    const v = inv[accountType];
    const values: Partial<Record<MatrixColumn, Bucket | null>> = { Total: v };
    if (accountType === AT["COGS (Interim)"] || accountType === AT["Invt. Accrual (Interim)"])
      values["Inventory (Interim)"] = v;
    else if (appliedWip.has(accountType)) {
      const wip = appliedWip.get(accountType)!;
      values["WIP Inventory"] = wip;
      values.Inventory = minus(v, wip);
    } else values.Inventory = v;
    if (glSide) {
      values["G/L Total"] = gl[accountType];
      values.Difference = diffBuckets.get(accountType)!;
    }
    put(row, values);
    const c =
      glSide && fields.get(accountType)!.difference !== 0 ? firstCause(accountType) : undefined;
    warnings.set(row, c === undefined ? "" : causeWarning(c.cause));
  }
  const balance = (pick: (f: number) => Bucket | null) =>
    Object.fromEntries(BALANCE_COLUMNS.map((c) => [c, pick(BALANCE_TYPES[c])]));
  put(
    "Total",
    balance((f) => inv[f])
  );
  warnings.set("Total", "");
  put("G/L Total", glSide ? balance((f) => gl[f]) : {});
  warnings.set("G/L Total", "");
  put("Difference", glSide ? balance((f) => diffBuckets.get(f)!) : {});
  warnings.set(
    "Difference",
    BALANCE_COLUMNS.flatMap((c) => {
      const f = BALANCE_TYPES[c];
      const x = glSide && fields.get(f)!.difference !== 0 ? firstCause(f) : undefined;
      return x === undefined ? [] : [`${c}: ${causeWarning(x.cause)}`];
    }).join("; ")
  );
  return { cells, warnings, glSide, fields, explanations, totalAbsoluteDifference: totalAbs };
}

/** A lookup from entry numbers to their positions (-1: none): a dense array when the numbers allow one. */
function numberIndex(nos: readonly number[]): (no: number) => number {
  let max = 0;
  let ok = true;
  for (const n of nos) {
    if (!Number.isInteger(n) || n < 0) ok = false;
    else if (n > max) max = n;
  }
  if (ok && max <= nos.length * 4 + 1024) {
    const at = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < nos.length; i++) if (at[nos[i]] < 0) at[nos[i]] = i;
    return (no) => (Number.isInteger(no) && no >= 0 && no <= max ? at[no] : -1);
  }
  const m = new Map<number, number>();
  for (let i = 0; i < nos.length; i++) if (!m.has(nos[i])) m.set(nos[i], i);
  return (no) => m.get(no) ?? -1;
}

function causeRank(code: string): number {
  const i = CAUSE_ORDER.findIndex((c) => (c.endsWith("_") ? code.startsWith(c) : code === c));
  return i < 0 ? CAUSE_ORDER.length : i;
}

/** The cell of a row and column. */
export function cellOf(r: Reconciliation, row: string, column: MatrixColumn): MatrixCell {
  const c = r.cells.find((x) => x.row === row && x.column === column);
  if (c === undefined) throw new Error(`No cell ${row} / ${column}`);
  return c;
}

/** How an explanation is named in the sheet and in the detail list, e.g. "COGS difference: Post Cost to G/L". */
export function explanationLabel(x: Pick<Explanation, "fieldCaption" | "cause">): string {
  return `${x.fieldCaption} difference: ${causeWarning(x.cause)}`;
}

/** How a matrix cell is named in the detail list, e.g. "COGS / Total". */
export function cellLabel(c: Pick<MatrixCell, "row" | "column">): string {
  return `${c.row} / ${c.column}`;
}
