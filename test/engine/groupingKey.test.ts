/**
 * The grouping key (rules.md section 6): the packed sort keys and the group table order and merge exactly as
 * the plain field-by-field comparator says, on generated keys including extremes (dates before 1970 and after
 * 2149, dimension tuples beyond what the small-integer map keys hold); values the packing cannot hold stop
 * the run with an InvariantError instead of sorting wrongly.
 */
import fc from "fast-check";
import { ACCOUNT_TYPE_COUNT } from "../../src/engine/accountTypes";
import {
  compareGroupingKeys,
  DimensionTuples,
  GroupTable,
  LineKeys,
  lineKeyRanks,
  sortByGroupingKey,
  type GroupingKey,
  type GroupKeyFields,
  type GroupKeyParts,
} from "../../src/engine/groupingKey";
import { InvariantError } from "../../src/engine/invariants";

interface G extends GroupKeyParts {
  id: number;
  key: GroupingKey;
}

/** The run's way: intern, merge in the group table, sort by the packed keys. Returns one key per group. */
function packedOrder(keys: readonly GroupingKey[]): GroupingKey[] {
  const lineKeys = new LineKeys<GroupKeyFields>();
  const dims = new DimensionTuples();
  const groups = new GroupTable<G>();
  for (const k of keys) {
    let lineKeyId = lineKeys.find(k);
    if (lineKeyId < 0) lineKeyId = lineKeys.add({ ...k });
    const dimId = dims.id(k);
    if (groups.get(k.postingDate, lineKeyId, k.negative, dimId) === undefined)
      groups.add({
        id: groups.size,
        date: k.postingDate,
        lineKeyId,
        negative: k.negative,
        dimId,
        key: k,
      });
  }
  return sortByGroupingKey(lineKeys.keys, lineKeyRanks(lineKeys.keys), dims.tuples, groups).map(
    (g) => g.key
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

  test("40,000 dimension tuples (beyond the 32,767 the small map keys hold) on dates around 1970 and 2149", () => {
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
