/**
 * The grouping key (rules.md section 6): the packed sort keys and the group table order and merge exactly as
 * the plain field-by-field comparator says, on generated keys including extremes (dates before 1970 and after
 * 2149, 40,000 dimension tuples), the group table against a Map and the radix sort against a comparator;
 * values the packing cannot hold stop the run with an InvariantError instead of sorting wrongly.
 */
import fc from "fast-check";
import { ACCOUNT_TYPE_COUNT } from "../../src/engine/accountTypes";
import {
  compareGroupingKeys,
  DimensionTuples,
  GroupTable,
  groupingKeyOrder,
  LineKeys,
  lineKeyRanks,
  lineOfOneEntryKeys,
  NEGATIVE_LINE,
  radixOrder,
  type GroupingKey,
  type GroupKeyFields,
} from "../../src/engine/groupingKey";
import { InvariantError } from "../../src/engine/invariants";

/** The run's way: intern, merge in the group table, sort by the packed keys. Returns one key per group. */
function packedOrder(keys: readonly GroupingKey[]): GroupingKey[] {
  const lineKeys = new LineKeys<GroupKeyFields>();
  const dims = new DimensionTuples();
  const groups = new GroupTable();
  const keyOf: GroupingKey[] = [];
  for (const k of keys) {
    let lineKeyId = lineKeys.find(k);
    if (lineKeyId < 0) lineKeyId = lineKeys.add({ ...k });
    const g = groups.groupOf(k.postingDate, lineKeyId, k.negative, dims.id(k));
    keyOf[g] ??= k;
  }
  return Array.from(
    groupingKeyOrder(lineKeys.keys, lineKeyRanks(lineKeys.keys), dims.tuples, groups),
    (g) => keyOf[g]
  );
}

/** The plain way: sort by the comparator, keep one key of each run of equal keys. */
function plainOrder(keys: readonly GroupingKey[]): GroupingKey[] {
  const sorted = [...keys].sort(compareGroupingKeys);
  return sorted.filter((k, i) => i === 0 || compareGroupingKeys(sorted[i - 1], k) !== 0);
}

const code = fc.constantFrom(
  "",
  "A",
  "AB",
  "B",
  "BLUE",
  "Blue",
  "blue",
  "RÖD",
  "Z9",
  "\u00e9",
  " A"
);
const date = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  // 1900-01-01, around 1970, 2149-06-06 (65535) and beyond, BC's 0001-01-01 and 9999-12-31, the packing's edges.
  fc.constantFrom(
    -25567,
    -32769,
    -32768,
    -1,
    0,
    65535,
    65536,
    65537,
    -719162,
    2932896,
    -(2 ** 31) + 1,
    2 ** 31 - 1
  ),
  fc.integer({ min: -800000, max: 3000000 })
);
const accountType = fc.integer({ min: 0, max: ACCOUNT_TYPE_COUNT - 1 });
const keyArb: fc.Arbitrary<GroupingKey> = fc.record({
  postingDate: date,
  accountType,
  locationCode: code,
  inventoryPostingGroup: code,
  genBusPostingGroup: code,
  genProdPostingGroup: code,
  dimensionSetId: fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 })
  ),
  globalDimension1Code: code,
  globalDimension2Code: code,
  negative: fc.boolean(),
  balAccountType: accountType,
});

describe("grouping key: packed order = plain comparator", () => {
  test("generated keys (with repeats, so merging is tested too)", () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (keys, repeats) => {
          // Repeat some keys exactly so that the table must merge them.
          const all =
            keys.length === 0
              ? keys
              : [...keys, ...repeats.map((r) => ({ ...keys[r % keys.length] }))];
          expect(packedOrder(all)).toEqual(plainOrder(all));
        }
      ),
      { numRuns: 300 }
    );
  });

  test("40,000 dimension tuples on dates around 1970 and 2149", () => {
    const keys: GroupingKey[] = [];
    const dates = [-1, 0, 65535, 65536];
    for (let i = 0; i < 40000; i++)
      keys.push({
        postingDate: dates[(i * 7) % 4],
        accountType: (i * 5) % 3,
        locationCode: ["BLUE", "", "RED"][i % 3],
        inventoryPostingGroup: "RESALE",
        genBusPostingGroup: "DOMESTIC",
        genProdPostingGroup: "RETAIL",
        // Tuples in no particular order: set ids descending with i, codes by a different cycle.
        dimensionSetId: 40000 - i,
        globalDimension1Code: `D${i % 13}`,
        globalDimension2Code: "",
        negative: i % 2 === 0,
        balAccountType: 5,
      });
    const packed = packedOrder(keys);
    expect(packed).toHaveLength(40000);
    expect(packed).toEqual(plainOrder(keys));
    expect(packed[0].postingDate).toBe(-1);
    expect(packed[packed.length - 1].postingDate).toBe(65536);
  });
});

describe("one entry's lines (per Entry): packed line keys = plain comparator", () => {
  test("generated lines of one date and one dimension tuple, sorted stably by the packed key", () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 40 }), (generated) => {
        // One entry's lines share its posting date and dimensions.
        const lines = generated.map((k) => ({
          ...k,
          postingDate: 7,
          dimensionSetId: 3,
          globalDimension1Code: "A",
          globalDimension2Code: "",
        }));
        const lineKeys = new LineKeys<GroupKeyFields>();
        const ids = lines.map((k) => {
          const found = lineKeys.find(k);
          return found >= 0 ? found : lineKeys.add({ ...k });
        });
        const keyOf = lineOfOneEntryKeys(lineKeys.keys, lineKeyRanks(lineKeys.keys));
        const packed = (i: number) => keyOf[ids[i]] | (lines[i].negative ? NEGATIVE_LINE : 0);
        const byPacked = lines.map((_, i) => i).sort((a, b) => packed(a) - packed(b));
        const byPlain = lines
          .map((_, i) => i)
          .sort((a, b) => compareGroupingKeys(lines[a], lines[b]));
        expect(byPacked).toEqual(byPlain);
      }),
      { numRuns: 300 }
    );
  });
});

describe("grouping key: bounds of the packing asserted", () => {
  const key = (over: Partial<GroupingKey>): GroupingKey => ({
    postingDate: 0,
    accountType: 2,
    locationCode: "BLUE",
    inventoryPostingGroup: "RESALE",
    genBusPostingGroup: "DOMESTIC",
    genProdPostingGroup: "RETAIL",
    dimensionSetId: 0,
    globalDimension1Code: "",
    globalDimension2Code: "",
    negative: false,
    balAccountType: 5,
    ...over,
  });
  test("a posting date of 2^31 days or more (either way) is an InvariantError, 2^31 - 1 still sorts", () => {
    expect(() => packedOrder([key({ postingDate: 2 ** 31 })])).toThrow(InvariantError);
    expect(() => packedOrder([key({ postingDate: -(2 ** 31) })])).toThrow(InvariantError);
    expect(() => packedOrder([key({ postingDate: 0.5 })])).toThrow(InvariantError);
    const edges = [
      key({ postingDate: 2 ** 31 - 1, accountType: 0 }),
      key({ postingDate: -(2 ** 31) + 1, accountType: 9 }),
      key({ postingDate: 2 ** 31 - 1, accountType: 1 }),
    ];
    expect(packedOrder(edges).map((k) => [k.postingDate, k.accountType])).toEqual([
      [-(2 ** 31) + 1, 9],
      [2 ** 31 - 1, 0],
      [2 ** 31 - 1, 1],
    ]);
  });
  test("a Bal. Account Type ordinal beyond 31 is an InvariantError", () => {
    expect(() => lineKeyRanks([key({ balAccountType: 32 })])).toThrow(InvariantError);
    expect(() => lineKeyRanks([key({ balAccountType: -1 })])).toThrow(InvariantError);
    expect(lineKeyRanks([key({ balAccountType: 31 })])).toEqual(new Int32Array([0]));
  });
});

describe("the group table = a Map of the key's parts", () => {
  test("generated parts with repeats (forcing growth and rehashing past 1,024 groups)", () => {
    const part = fc.record({
      date: fc.oneof(
        fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: -3, max: 3 })
      ),
      lineKeyId: fc.integer({ min: 0, max: 40 }),
      negative: fc.boolean(),
      dimId: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40000 })),
    });
    fc.assert(
      fc.property(fc.array(part, { minLength: 0, maxLength: 3000 }), (parts) => {
        const table = new GroupTable();
        const map = new Map<string, number>();
        for (const p of parts) {
          const id = table.groupOf(p.date, p.lineKeyId, p.negative, p.dimId);
          const key = `${p.date}|${p.lineKeyId}|${p.negative}|${p.dimId}`;
          if (!map.has(key)) map.set(key, map.size);
          // The same id for the same key, ids 0, 1, 2, ... in order of first use, and the key kept in the columns.
          expect(id).toBe(map.get(key));
          expect([
            table.date[id],
            table.lineKeyId[id],
            table.negative[id],
            table.dimId[id],
          ]).toEqual([p.date, p.lineKeyId, p.negative ? 1 : 0, p.dimId]);
        }
        expect(table.size).toBe(map.size);
      }),
      { numRuns: 60 }
    );
  });
  test("sums and counters start at 0 (last contributor at none) in every new group, also after growing", () => {
    const table = new GroupTable();
    for (let i = 0; i < 5000; i++) {
      const g = table.groupOf(i, 0, false, 0);
      expect([table.lcy[g], table.acy[g], table.lines[g], table.contributors[g]]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(table.lastEntryNo[g]).toBeNaN();
      table.lcy[g] += 1;
    }
  });
});

describe("the group table's contributions", () => {
  test("one per value entry a group has (a repeat is the group's last), in the order made, past 1,024", () => {
    const table = new GroupTable();
    const a = table.groupOf(1, 0, false, 0);
    const b = table.groupOf(2, 0, false, 0);
    const made: [number, number][] = [];
    for (let entryNo = 1; entryNo <= 1500; entryNo++)
      for (const g of [a, b, a]) if (table.contribute(g, entryNo)) made.push([g, entryNo]);
    expect(made).toHaveLength(3000);
    expect(table.contributions).toBe(3000);
    expect([table.contributors[a], table.contributors[b]]).toEqual([1500, 1500]);
    expect(
      Array.from({ length: table.contributions }, (_, k) => [
        table.contributionGroup[k],
        table.contributionEntry[k],
      ])
    ).toEqual(made);
    expect(made.slice(0, 3)).toEqual([
      [a, 1],
      [b, 1],
      [a, 2],
    ]);
  });
});

describe("radix order = a comparator sort of the 64-bit keys", () => {
  test("generated keys, all bit widths, with ties kept in index order (stable)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 3 })), { maxLength: 400 }),
        (bits, raw) => {
          // Keys of at most `bits` bits, many equal (the third number picks one of few values).
          const mask = (b: number) => (b >= 32 ? 0xffffffff : b <= 0 ? 0 : 2 ** b - 1);
          const hi = Uint32Array.from(
            raw,
            ([h, , few]) => ((few === 0 ? 0 : h) & mask(bits - 32)) >>> 0
          );
          const lo = Uint32Array.from(
            raw,
            ([, l, few]) => ((few === 0 ? few : l) & mask(bits)) >>> 0
          );
          const expected = raw
            .map((_, i) => i)
            .sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
          expect(Array.from(radixOrder(hi, lo, bits))).toEqual(expected);
        }
      ),
      { numRuns: 300 }
    );
  });
});
