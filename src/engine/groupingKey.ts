/**
 * The grouping key of rules.md section 6, in one place: its fields, their interning as small integers, the
 * table of merged lines (per Posting Group, as columns with one hash table) and the key's order, both as a
 * packed 64-bit sort key radix sorted (what the run sorts by) and as a plain field-by-field comparator (what
 * the property tests hold the packed order to, test/engine/groupingKey.test.ts).
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

const INT32_MIN = -(2 ** 31);
const EMPTY = -1;

/** A typed array of `n` elements holding `a`'s (the rest as `fill`, 0 by default). */
export function grown<T extends Int32Array | Uint8Array | Float64Array>(
  a: T,
  n: number,
  fill = 0
): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}

/**
 * The merged lines of a per Posting Group run, keyed by the grouping key, as columns: group i's key is
 * (date[i], lineKeyId[i], negative[i], dimId[i]) and its sums are lcy[i], acy[i]. One open-addressing hash
 * table over the packed integer parts finds a key's group: no Map, no string and no object per group, so a
 * million groups cost typed arrays only. Group ids are 0, 1, 2, ... in order of first use.
 */
export class GroupTable {
  /** Number of groups. */
  size = 0;
  date = new Int32Array(1024);
  lineKeyId = new Int32Array(1024);
  dimId = new Int32Array(1024);
  negative = new Uint8Array(1024);
  lcy = new Float64Array(1024);
  acy = new Float64Array(1024);
  /** How many value entries contributed (entries come in order, so a repeat is the last one). */
  contributors = new Int32Array(1024);
  /** How many value-entry lines merged into the group. */
  lines = new Int32Array(1024);
  /** The last value entry that contributed (NaN: none yet). */
  lastEntryNo = new Float64Array(1024).fill(NaN);
  /** Contributions in the order made, (group id, value entry no.): one per value entry a group has. */
  contributionGroup = new Int32Array(1024);
  contributionEntry = new Float64Array(1024);
  contributions = 0;
  /** slot -> group id (EMPTY = free); its length is a power of two, at most half full. */
  private slots = new Int32Array(2048).fill(EMPTY);

  private static hash(date: number, lineKeyId: number, negative: number, dimId: number): number {
    let h =
      Math.imul(date, 0x9e3779b1) ^
      Math.imul(lineKeyId * 2 + negative, 0x85ebca77) ^
      Math.imul(dimId, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 12);
  }

  /** The id of the key's group, made (with sums 0) when the key has none yet. */
  groupOf(date: number, lineKeyId: number, negative: boolean, dimId: number): number {
    // The date column is 32-bit: a date it cannot hold exactly would merge with another (|date| < 2^31 days).
    if ((date | 0) !== date || date === INT32_MIN)
      throw new InvariantError(
        `posting date ${date} (days since 1970-01-01) is outside the grouping key's packing (|date| < 2^31)`
      );
    const neg = negative ? 1 : 0;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = GroupTable.hash(date, lineKeyId, neg, dimId) & mask; ; i = (i + 1) & mask) {
      const id = slots[i];
      if (id === EMPTY) {
        const created = this.append(date, lineKeyId, neg, dimId);
        slots[i] = created;
        if (this.size * 2 > slots.length) this.rehash();
        return created;
      }
      if (
        this.date[id] === date &&
        this.lineKeyId[id] === lineKeyId &&
        this.dimId[id] === dimId &&
        this.negative[id] === neg
      )
        return id;
    }
  }

  /**
   * Records that value entry `entryNo` has a line in group g. Entries come in entry order, so a repeat is the
   * group's last contributor: true when the entry is new to the group (a contribution was recorded).
   */
  contribute(g: number, entryNo: number): boolean {
    if (this.lastEntryNo[g] === entryNo) return false;
    this.lastEntryNo[g] = entryNo;
    this.contributors[g]++;
    const k = this.contributions++;
    if (k === this.contributionGroup.length) {
      this.contributionGroup = grown(this.contributionGroup, k * 2);
      this.contributionEntry = grown(this.contributionEntry, k * 2);
    }
    this.contributionGroup[k] = g;
    this.contributionEntry[k] = entryNo;
    return true;
  }

  private append(date: number, lineKeyId: number, negative: number, dimId: number): number {
    const id = this.size++;
    if (id === this.date.length) this.grow();
    this.date[id] = date;
    this.lineKeyId[id] = lineKeyId;
    this.negative[id] = negative;
    this.dimId[id] = dimId;
    return id;
  }

  private grow(): void {
    const n = this.date.length * 2;
    this.date = grown(this.date, n);
    this.lineKeyId = grown(this.lineKeyId, n);
    this.dimId = grown(this.dimId, n);
    this.negative = grown(this.negative, n);
    this.lcy = grown(this.lcy, n);
    this.acy = grown(this.acy, n);
    this.contributors = grown(this.contributors, n);
    this.lines = grown(this.lines, n);
    this.lastEntryNo = grown(this.lastEntryNo, n, NaN);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let i =
        GroupTable.hash(this.date[id], this.lineKeyId[id], this.negative[id], this.dimId[id]) &
        mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
  }
}

// ---------------------------------------------------------------------------------------------
// The key's order

/** Line-key prefix ranks the order holds (the account type .. gen. prod. part). */
const RANK_LIMIT = 2 ** 21;
const BAL_TYPE_LIMIT = 32;

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

/** Bits an unsigned integer below `count` needs (0 for count <= 1). */
function bitsFor(count: number): number {
  return count <= 1 ? 0 : 32 - Math.clz32(count - 1);
}

/**
 * The groups' ids in the grouping key's order, shared by the posting and the test report. Each group's key
 * is packed into one exact 64-bit sort key of dense ranks, most significant first: posting date (rank among
 * the run's dates), account type .. gen. prod. (line key rank), dimensions (rank among the run's tuples),
 * sign, bal. account type; then the ids are radix sorted by it (no JS comparator). The ranks keep the order of
 * the fields, so the packed order is the plain comparator's (compareGroupingKeys; the property tests hold it
 * to that). rank from lineKeyRanks(lineKeys).
 */
export function groupingKeyOrder(
  lineKeys: readonly GroupKeyFields[],
  rank: Int32Array,
  tuples: readonly DimensionTuple[],
  groups: GroupTable
): Int32Array {
  const n = groups.size;
  const dimOrder = tuples.map((_, i) => i).sort((x, y) => compareDimensions(tuples[x], tuples[y]));
  const dimRank = new Int32Array(tuples.length);
  dimOrder.forEach((id, r) => (dimRank[id] = r));
  // Dates as dense ranks: the run's distinct dates, sorted as numbers.
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) distinct.add(groups.date[i]);
  const dates = Float64Array.from(distinct).sort();
  const dateRank = new Map<number, number>();
  dates.forEach((d, r) => dateRank.set(d, r));
  let prefixCount = 0;
  for (let i = 0; i < rank.length; i++) if (rank[i] + 1 > prefixCount) prefixCount = rank[i] + 1;
  // Field widths, least significant first: bal. account type, sign, dimensions, line key prefix, date.
  const wDim = bitsFor(tuples.length);
  const wRank = bitsFor(prefixCount);
  const wDate = bitsFor(dates.length);
  const total = 5 + 1 + wDim + wRank + wDate;
  if (total > 64)
    throw new InvariantError(
      `the grouping key needs ${total} bits to sort (${dates.length} dates, ${prefixCount} line keys, ${tuples.length} dimension tuples); at most 64`
    );
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const put = (id: number, v: number, at: number, width: number): void => {
    if (width === 0) return;
    if (at >= 32) hi[id] |= v << (at - 32);
    else {
      lo[id] |= v << at;
      if (at + width > 32) hi[id] |= v >>> (32 - at);
    }
  };
  for (let id = 0; id < n; id++) {
    const k = lineKeys[groups.lineKeyId[id]];
    lo[id] = k.balAccountType | (groups.negative[id] << 5);
    put(id, dimRank[groups.dimId[id]], 6, wDim);
    put(id, rank[groups.lineKeyId[id]], 6 + wDim, wRank);
    put(id, dateRank.get(groups.date[id])!, 6 + wDim + wRank, wDate);
  }
  return radixOrder(hi, lo, total);
}

/** Indexes 0..n-1 ordered by the unsigned 64-bit keys (hi, lo) of `bits` significant bits: LSD radix sort, 16 bits a pass. */
export function radixOrder(hi: Uint32Array, lo: Uint32Array, bits: number): Int32Array {
  const n = lo.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let shift = 0; shift < bits; shift += 16) {
    const words = shift < 32 ? lo : hi;
    const s = shift % 32;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((words[i] >>> s) & 0xffff) + 1]++;
    // A pass where every key has the same digit changes nothing.
    if (n === 0 || count[((words[order[0]] >>> s) & 0xffff) + 1] === n) continue;
    for (let d = 1; d < 65537; d++) count[d] += count[d - 1];
    for (let i = 0; i < n; i++) {
      const id = order[i];
      next[count[(words[id] >>> s) & 0xffff]++] = id;
    }
    const t = order;
    order = next;
    next = t;
  }
  return order;
}

/**
 * The order of one value entry's lines (per Entry: its date and dimensions are the entry's, so the rest of the
 * key decides): prefix rank, sign, bal. account type, packed as one integer per line, most significant first:
 * lineOfOneEntryKeys(...)[lineKeyId] | (negative ? NEGATIVE_LINE : 0). (Ranks are below 2^21 and bal. account
 * types below 32, lineKeyRanks checks, so the key fits 27 bits.) The property tests hold its order to the
 * plain comparator's (test/engine/groupingKey.test.ts).
 */
export function lineOfOneEntryKeys(
  lineKeys: readonly GroupKeyFields[],
  rank: Int32Array
): Int32Array {
  const out = new Int32Array(lineKeys.length);
  for (let id = 0; id < lineKeys.length; id++)
    out[id] = (rank[id] << 6) | lineKeys[id].balAccountType;
  return out;
}

/** The sign's bit in a line's key of lineOfOneEntryKeys. */
export const NEGATIVE_LINE = 1 << 5;
