/**
 * rules.md section 2, row by row: each case below is typed from the spec's table, not from the code.
 */
import { findMatrixRow } from "../../src/engine/accountMatrix";
import { ACCOUNT_TYPES } from "../../src/engine/accountTypes";
import type {
  EntryType,
  ItemLedgerEntryType,
  OrderType,
  VarianceType,
} from "../../src/engine/types";

type Case = [ItemLedgerEntryType, EntryType, VarianceType, OrderType, string | null, string | null];
const INV = "Inventory";
// [ILE type, entry type, variance type, order type, "Exp account / Exp balancing" or null, "Act account / Act balancing" or null = invalid]
const cases: Case[] = [
  [
    "Purchase",
    "Direct Cost",
    "",
    "",
    "Inventory (Interim) / Invt. Accrual (Interim)",
    "Inventory / Direct Cost Applied",
  ],
  ["Purchase", "Indirect Cost", "", "", null, "Inventory / Overhead Applied"],
  ["Purchase", "Variance", "Purchase", "", null, "Inventory / Purchase Variance"],
  ["Sale", "Direct Cost", "", "", "Inventory (Interim) / COGS (Interim)", "Inventory / COGS"],
  [
    "Positive Adjmt.",
    "Direct Cost",
    "",
    "",
    "Inventory (Interim) / COGS (Interim)",
    "Inventory / Inventory Adjmt.",
  ],
  [
    "Negative Adjmt.",
    "Direct Cost",
    "",
    "",
    "Inventory (Interim) / COGS (Interim)",
    "Inventory / Inventory Adjmt.",
  ],
  [
    "Transfer",
    "Direct Cost",
    "",
    "Transfer",
    "Inventory (Interim) / COGS (Interim)",
    "Inventory / Inventory Adjmt.",
  ],
  ["Consumption", "Direct Cost", "", "Production", null, "Inventory / WIP Inventory"],
  [
    "Output",
    "Direct Cost",
    "",
    "Production",
    "Inventory (Interim) / WIP Inventory",
    "Inventory / WIP Inventory",
  ],
  ["Output", "Indirect Cost", "", "Production", null, "Inventory / Overhead Applied"],
  ["Output", "Variance", "Material", "", null, "Inventory / Material Variance"],
  ["Output", "Variance", "Capacity", "", null, "Inventory / Capacity Variance"],
  ["Output", "Variance", "Subcontracted", "", null, "Inventory / Subcontracted Variance"],
  ["Output", "Variance", "Capacity Overhead", "", null, "Inventory / Cap. Overhead Variance"],
  ["Output", "Variance", "Manufacturing Overhead", "", null, "Inventory / Mfg. Overhead Variance"],
  ["Assembly Output", "Variance", "Material", "Assembly", null, "Inventory / Material Variance"],
  [
    "Assembly Output",
    "Variance",
    "Manufacturing Overhead",
    "Assembly",
    null,
    "Inventory / Mfg. Overhead Variance",
  ],
  [
    "Output",
    "Variance",
    "Material - Non Inventory",
    "",
    null,
    "Inventory / Material - Non Inventory Variance",
  ],
  [
    "Output",
    "Direct Cost - Non Inventory",
    "",
    "",
    null,
    "Inventory / Direct Cost Non-Inventory Applied",
  ],
  ["Assembly Consumption", "Direct Cost", "", "Assembly", null, "Inventory / Inventory Adjmt."],
  ["Assembly Output", "Direct Cost", "", "Assembly", null, "Inventory / Inventory Adjmt."],
  ["Assembly Output", "Indirect Cost", "", "Assembly", null, "Inventory / Overhead Applied"],
  [
    "Purchase",
    "Revaluation",
    "",
    "",
    "Inventory (Interim) / Invt. Accrual (Interim)",
    "Inventory / Inventory Adjmt.",
  ],
  [
    "Sale",
    "Revaluation",
    "",
    "",
    "Inventory (Interim) / COGS (Interim)",
    "Inventory / Inventory Adjmt.",
  ],
  [
    "Output",
    "Revaluation",
    "",
    "",
    "Inventory (Interim) / WIP Inventory",
    "Inventory / Inventory Adjmt.",
  ],
  ["Positive Adjmt.", "Revaluation", "", "", null, "Inventory / Inventory Adjmt."],
  ["Transfer", "Revaluation", "", "", null, "Inventory / Inventory Adjmt."],
  ["Consumption", "Revaluation", "", "", null, "Inventory / Inventory Adjmt."],
  ["Assembly Output", "Revaluation", "", "", null, "Inventory / Inventory Adjmt."],
  ["Sale", "Rounding", "", "", null, "Inventory / Inventory Adjmt."],
  ["Consumption", "Rounding", "", "", null, "Inventory / Inventory Adjmt."],
  ["", "Direct Cost", "", "Production", null, "WIP Inventory / Direct Cost Applied"],
  ["", "Direct Cost", "", "", null, "WIP Inventory / Direct Cost Applied"],
  ["", "Indirect Cost", "", "Production", null, "WIP Inventory / Overhead Applied"],
  ["", "Indirect Cost", "", "", null, "WIP Inventory / Overhead Applied"],
  // Any Order Type but Assembly posts as production (BC 29 codeunit 5802 BufferCapacityPosting).
  ["", "Direct Cost", "", "Transfer", null, "WIP Inventory / Direct Cost Applied"],
  ["", "Indirect Cost", "", "Service", null, "WIP Inventory / Overhead Applied"],
  ["", "Direct Cost", "", "Assembly", null, "Inventory Adjmt. / Direct Cost Applied"],
  ["", "Indirect Cost", "", "Assembly", null, "Inventory Adjmt. / Overhead Applied"],
];
// Combinations the table has no row for.
const invalid: [ItemLedgerEntryType, EntryType, VarianceType, OrderType][] = [
  ["Sale", "Indirect Cost", "", ""],
  ["Sale", "Variance", "Purchase", ""],
  ["Purchase", "Variance", "Material", ""],
  ["Purchase", "Variance", "", ""],
  ["Consumption", "Indirect Cost", "", ""],
  ["Consumption", "Variance", "Material", ""],
  ["Assembly Output", "Variance", "Material - Non Inventory", ""],
  ["Assembly Output", "Direct Cost - Non Inventory", "", ""],
  ["Output", "Variance", "Purchase", ""],
  ["", "Revaluation", "", ""],
  ["", "Rounding", "", ""],
  ["", "Variance", "Capacity", ""],
  ["Positive Adjmt.", "Indirect Cost", "", ""],
];

const caption = (pair: readonly [number, number] | null) =>
  pair === null ? null : `${ACCOUNT_TYPES[pair[0]].caption} / ${ACCOUNT_TYPES[pair[1]].caption}`;

describe("account matrix (rules.md section 2)", () => {
  test.each(cases)("%s / %s / %s / %s", (ile, et, vt, ot, exp, act) => {
    const row = findMatrixRow(ile, et, vt, ot);
    expect(row).toBeDefined();
    expect(caption(row!.exp)).toBe(exp);
    expect(caption(row!.act)).toBe(act);
  });
  test.each(invalid)("no row for %s / %s / %s / %s", (ile, et, vt, ot) => {
    expect(findMatrixRow(ile, et, vt, ot)).toBeUndefined();
  });
  test("non-inventory rows post only with setting 8", () => {
    expect(findMatrixRow("Output", "Direct Cost - Non Inventory", "", "")!.nonInventory).toBe(true);
    expect(findMatrixRow("Output", "Variance", "Material - Non Inventory", "")!.nonInventory).toBe(
      true
    );
    expect(findMatrixRow("Output", "Variance", "Material", "")!.nonInventory).toBeFalsy();
  });
  test("every account type has the setup table of section 1", () => {
    const inv = ACCOUNT_TYPES.filter((a) => a.setupTable === "Inventory Posting Setup").map(
      (a) => a.ordinal
    );
    expect(inv).toEqual([0, 2, 3, 10, 11, 12, 13, 14, 16]);
    expect(ACCOUNT_TYPES[15].setupField).toBe("Direct Cost Non-Inv. App. Acc.");
    expect(ACCOUNT_TYPES.map((a) => a.caption)[2]).toBe(INV);
  });
});
