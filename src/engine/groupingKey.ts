/**
 * The grouping key of rules.md section 6, in one place: its fields, their interning as small integers, the
 * table of merged lines (per Posting Group) and the key's order, both as packed numeric sort keys (what the
 * run sorts by) and as a plain field-by-field comparator (what the property tests hold the packed order to,
 * test/engine/groupingKey.test.ts).
 *
 * The key: Posting Date, Account Type, Location Code, Inventory Posting Group (WIP-adjusted), Gen. Bus.
 * Posting Group, Gen. Prod. Posting Group, dimensions (Dimension Set ID, Global Dimension 1 Code, Global
 * Dimension 2 Code), sign (negative when the LCY or ACY amount is below 0), Bal. Account Type; ordered in
 * that order, account types by ordinal, Dimension Set ID as a number, codes as plain strings (UTF-16 code
 * units), not negative before negative.
 */
import type { Hasher } from "./fingerprint";
import { InvariantError } from "./invariants";
import type { DayNumber, ValueEntry } from "./types";

/** The setup part of a line's grouping key: what a line key interns (evaluate.ts makes one per setup key). */
export interface GroupKeyFields {
  accountType: number;
  balAccountType: number;
  locationCode: string;
  /** WIP-adjusted for a WIP Inventory line (rules.md section 1). */
  inventoryPostingGroup: string;
  genBusPostingGroup: string;
  genProdPostingGroup: string;
}

/** The dimensions part of the key, as a G/L entry carries it. */
export interface DimensionTuple {
  dimensionSetId: number;
  globalDimension1Code: string;
  globalDimension2Code: string;
}

/** The whole key as plain data (the comparator's and the tests' view; the run keeps small integers instead). */
export interface GroupingKey extends GroupKeyFields, DimensionTuple {
  postingDate: DayNumber;
  negative: boolean;
}

/** The key's sign: a line is negative when its LCY or its ACY amount is below 0 (debits and credits never net). */
export function isNegative(lcy: number, acy: number): boolean {
  return lcy < 0 || acy < 0;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Order of the setup fields that come before the dimensions: account type .. gen. prod. */
function compareKeyPrefix(a: GroupKeyFields, b: GroupKeyFields): number {
  return (
    a.accountType - b.accountType ||
    cmpStr(a.locationCode, b.locationCode) ||
    cmpStr(a.inventoryPostingGroup, b.inventoryPostingGroup) ||
    cmpStr(a.genBusPostingGroup, b.genBusPostingGroup) ||
    cmpStr(a.genProdPostingGroup, b.genProdPostingGroup)
  );
}

function compareDimensions(a: DimensionTuple, b: DimensionTuple): number {
  return (
    a.dimensionSetId - b.dimensionSetId ||
    cmpStr(a.globalDimension1Code, b.globalDimension1Code) ||
    cmpStr(a.globalDimension2Code, b.globalDimension2Code)
  );
}

/** The grouping key's order, field by field (rules.md section 6). The packed sort keys below must agree with it. */
export function compareGroupingKeys(a: GroupingKey, b: GroupingKey): number {
  return (
    a.postingDate - b.postingDate ||
    compareKeyPrefix(a, b) ||
    compareDimensions(a, b) ||
    +a.negative - +b.negative ||
    a.balAccountType - b.balAccountType
  );
}

// ---------------------------------------------------------------------------------------------
// Interning

/**
 * Line keys (the setup part of the key) as small integers, in order of first use. `K` carries what the
 * engine keeps per key besides the fields (evaluate.ts: a template line with its resolved account).
 */
export class LineKeys<K extends GroupKeyFields> {
  private ids = new Map<string, number>();
  /** By id. */
  readonly keys: K[] = [];
  private static text(k: GroupKeyFields): string {
    return `${k.accountType}\u0001${k.locationCode}\u0001${k.inventoryPostingGroup}\u0001${k.genBusPostingGroup}\u0001${k.genProdPostingGroup}\u0001${k.balAccountType}`;
  }
  /** The key's id, or -1 when it has none yet. */
  find(k: GroupKeyFields): number {
    return this.ids.get(LineKeys.text(k)) ?? -1;
  }
  /** Adds a key not yet present; returns its id (the number of keys before the add). */
  add(k: K): number {
    const id = this.keys.length;
    this.ids.set(LineKeys.text(k), id);
    this.keys.push(k);
    return id;
  }
}

/** Interns (Dimension Set ID, Global Dimension 1 Code, Global Dimension 2 Code) as small integers. */
export class DimensionTuples {
  private bySetId = new Map<number, { g1: string; g2: string; id: number }[]>();
  private count = 0;
  /** By id: the tuple as the G/L entry carries it. */
  readonly tuples: DimensionTuple[] = [];
  /** hash: each new tuple is hashed once, when first met (the run's input fingerprint). */
  constructor(private readonly hash: Hasher | null = null) {}
  id(
    e: Pick<ValueEntry, "dimensionSetId" | "globalDimension1Code" | "globalDimension2Code">
  ): number {
    let list = this.bySetId.get(e.dimensionSetId);
    if (list === undefined) this.bySetId.set(e.dimensionSetId, (list = []));
    for (const t of list)
      if (t.g1 === e.globalDimension1Code && t.g2 === e.globalDimension2Code) return t.id;
    const t = { g1: e.globalDimension1Code, g2: e.globalDimension2Code, id: this.count++ };
    this.hash?.num(e.dimensionSetId).str(t.g1).str(t.g2);
    this.tuples.push({
      dimensionSetId: e.dimensionSetId,
      globalDimension1Code: t.g1,
      globalDimension2Code: t.g2,
    });
    list.push(t);
    return t.id;
  }
}

// ---------------------------------------------------------------------------------------------
// The group table (per Posting Group)

/** The parts of a merged line's grouping key, as small integers (interned line key and dimensions). */
export interface GroupKeyParts {
  date: number;
  lineKeyId: number;
  negative: boolean;
  dimId: number;
}

/**
 * The merged lines of a per Posting Group run, keyed by the grouping key. The key's parts are small
 * integers, so the hot loop builds no strings and every Map key is a small integer (V8 Smi, hashed without
 * allocation); keys outside the packing's ranges go to a string-keyed map instead.
 */
export class GroupTable<G extends GroupKeyParts> {
  /** By lineKeyId * 2 + sign, then by dimId * 65536 + date. */
  private slots: (Map<number, G> | undefined)[] = [];
  /** Keys outside those ranges (dates before 1970 or after 2149, over 32,767 dimension tuples). */
  private wide = new Map<string, G>();
  /** Number of groups. */
  size = 0;
  private static fits(date: number, dimId: number): boolean {
    return date >= 0 && date < 65536 && dimId < 32768;
  }
  get(date: number, lineKeyId: number, negative: boolean, dimId: number): G | undefined {
    if (!GroupTable.fits(date, dimId))
      return this.wide.get(`${date}|${lineKeyId}|${dimId}|${+negative}`);
    const slot = this.slots[lineKeyId * 2 + (negative ? 1 : 0)];
    return slot === undefined ? undefined : slot.get(dimId * 65536 + date);
  }
  /** Adds a new group; its id must be the table's size before the add (ids are 0, 1, 2, ...). */
  add(g: G): G {
    this.size++;
    const dimId = g.dimId;
    if (!GroupTable.fits(g.date, dimId)) {
      this.wide.set(`${g.date}|${g.lineKeyId}|${dimId}|${+g.negative}`, g);
      return g;
    }
    const i = g.lineKeyId * 2 + (g.negative ? 1 : 0);
    while (this.slots.length <= i) this.slots.push(undefined);
    let slot = this.slots[i];
    if (slot === undefined) this.slots[i] = slot = new Map();
    slot.set(dimId * 65536 + g.date, g);
    return g;
  }
  values(): G[] {
    const out: G[] = [];
    for (const slot of this.slots)
      if (slot !== undefined) for (const g of slot.values()) out.push(g);
    for (const g of this.wide.values()) out.push(g);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Packed sort keys

/**
 * The packing: major = (date + DATE_OFFSET) * RANK_LIMIT + prefix rank, minor = (dimension rank * 2 + sign) *
 * BAL_TYPE_LIMIT + bal. account type. Both stay exact integers in a double (below 2^53) within these bounds.
 */
const RANK_LIMIT = 2 ** 21;
const BAL_TYPE_LIMIT = 32;
const DATE_OFFSET = 32768;
/** Posting dates the major key holds exactly: |date| < 2^31 days (BC's 0001-01-01..9999-12-31 is well inside). */
const DATE_LIMIT = 2 ** 31;
/** Dimension tuples the minor key holds exactly. */
const DIM_LIMIT = 2 ** 46;

/** Sort ranks of every line key by its prefix (account type .. gen. prod.); equal prefixes share a rank. */
export function lineKeyRanks(lineKeys: readonly GroupKeyFields[]): Int32Array {
  const ids = lineKeys.map((_, i) => i);
  ids.sort((a, b) => compareKeyPrefix(lineKeys[a], lineKeys[b]));
  const rank = new Int32Array(lineKeys.length);
  let r = 0;
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && compareKeyPrefix(lineKeys[ids[i - 1]], lineKeys[ids[i]]) !== 0) r++;
    rank[ids[i]] = r;
  }
  if (r >= RANK_LIMIT)
    throw new InvariantError(
      `${r + 1} distinct line keys exceed the grouping key's packing (${RANK_LIMIT})`
    );
  for (const k of lineKeys)
    if (!(
      Number.isInteger(k.balAccountType) &&
      k.balAccountType >= 0 &&
      k.balAccountType < BAL_TYPE_LIMIT
    ))
      throw new InvariantError(
        `Bal. Account Type ordinal ${k.balAccountType} is outside the grouping key's packing (0..${BAL_TYPE_LIMIT - 1})`
      );
  return rank;
}

/**
 * Merged lines in the grouping key's order, shared by the posting and the test report: two exact integers per
 * group, (posting date, account type .. gen. prod.) and (dimensions, sign, bal. account type), so every pair
 * compares as numbers, not strings. Group ids must be 0 .. groups.size - 1; rank from lineKeyRanks(lineKeys).
 */
export function sortByGroupingKey<G extends GroupKeyParts & { id: number }>(
  lineKeys: readonly GroupKeyFields[],
  rank: Int32Array,
  tuples: readonly DimensionTuple[],
  groups: GroupTable<G>
): G[] {
  if (tuples.length >= DIM_LIMIT)
    throw new InvariantError(`${tuples.length} dimension tuples exceed the grouping key's packing`);
  const dimOrder = tuples.map((_, i) => i).sort((x, y) => compareDimensions(tuples[x], tuples[y]));
  const dimRank = new Array<number>(tuples.length);
  dimOrder.forEach((id, r) => (dimRank[id] = r));
  const all = groups.values();
  const major = new Float64Array(groups.size);
  const minor = new Float64Array(groups.size);
  for (const g of all) {
    if (!(Number.isInteger(g.date) && g.date > -DATE_LIMIT && g.date < DATE_LIMIT))
      throw new InvariantError(
        `posting date ${g.date} (days since 1970-01-01) is outside the grouping key's packing (|date| < 2^31)`
      );
    major[g.id] = (g.date + DATE_OFFSET) * RANK_LIMIT + rank[g.lineKeyId];
    minor[g.id] =
      (dimRank[g.dimId] * 2 + (g.negative ? 1 : 0)) * BAL_TYPE_LIMIT +
      lineKeys[g.lineKeyId].balAccountType;
  }
  return all.sort((a, b) => major[a.id] - major[b.id] || minor[a.id] - minor[b.id]);
}

/**
 * The order of one value entry's lines (per Entry: its date and dimensions are the entry's, so the rest of the
 * key decides): prefix rank, sign, bal. account type.
 */
export function compareLinesOfOneEntry(
  lineKeys: readonly GroupKeyFields[],
  rank: Int32Array,
  aLineKeyId: number,
  aNegative: boolean,
  bLineKeyId: number,
  bNegative: boolean
): number {
  return (
    rank[aLineKeyId] - rank[bLineKeyId] ||
    +aNegative - +bNegative ||
    lineKeys[aLineKeyId].balAccountType - lineKeys[bLineKeyId].balAccountType
  );
}
