/**
 * rules.md section 2: which account and balancing account each value entry posts to, by Item Ledger Entry
 * Type x Entry Type (x Variance Type, x Order Type for capacity). One data table, read top to bottom; the
 * first row that matches decides. An entry no row matches is skipped with INVALID_COMBINATION.
 */
import { AT } from "./accountTypes";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  VARIANCE_TYPES,
  type EntryType,
  type ItemLedgerEntryType,
  type OrderType,
  type VarianceType,
} from "./types";

/** [account (+amount), balancing account (-amount)], by account type ordinal. */
export type AccountPair = readonly [number, number];

export interface MatrixRow {
  /** 'any except blank' = every Item Ledger Entry Type but the blank (capacity) one. */
  itemLedgerEntryTypes: readonly ItemLedgerEntryType[] | "any except blank";
  entryTypes: readonly EntryType[];
  /** Only for Entry Type Variance; undefined = any. */
  varianceTypes?: readonly VarianceType[];
  /** Only for capacity rows; undefined = any. */
  orderTypes?: readonly OrderType[];
  /** The pair that posts the expected amount, or null: the expected part never posts. */
  exp: AccountPair | null;
  /** The pair that posts the actual amount. */
  act: AccountPair;
  /** Posts only with setting 8, Include Non-Inventory Cost in Production. */
  nonInventory?: boolean;
}

const pair = (a: keyof typeof AT, b: keyof typeof AT): AccountPair => [AT[a], AT[b]];

const MFG_VARIANCES: readonly [VarianceType, keyof typeof AT][] = [
  ["Material", "Material Variance"],
  ["Capacity", "Capacity Variance"],
  ["Subcontracted", "Subcontracted Variance"],
  ["Capacity Overhead", "Cap. Overhead Variance"],
  ["Manufacturing Overhead", "Mfg. Overhead Variance"],
];

const NOT_ASSEMBLY: readonly OrderType[] = ORDER_TYPES.filter((o) => o !== "Assembly");

export const ACCOUNT_MATRIX: readonly MatrixRow[] = [
  {
    itemLedgerEntryTypes: ["Purchase"],
    entryTypes: ["Direct Cost"],
    exp: pair("Inventory (Interim)", "Invt. Accrual (Interim)"),
    act: pair("Inventory", "Direct Cost Applied"),
  },
  {
    itemLedgerEntryTypes: ["Purchase"],
    entryTypes: ["Indirect Cost"],
    exp: null,
    act: pair("Inventory", "Overhead Applied"),
  },
  {
    itemLedgerEntryTypes: ["Purchase"],
    entryTypes: ["Variance"],
    varianceTypes: ["Purchase"],
    exp: null,
    act: pair("Inventory", "Purchase Variance"),
  },
  {
    itemLedgerEntryTypes: ["Sale"],
    entryTypes: ["Direct Cost"],
    exp: pair("Inventory (Interim)", "COGS (Interim)"),
    act: pair("Inventory", "COGS"),
  },
  {
    itemLedgerEntryTypes: ["Positive Adjmt.", "Negative Adjmt.", "Transfer"],
    entryTypes: ["Direct Cost"],
    exp: pair("Inventory (Interim)", "COGS (Interim)"),
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: ["Consumption"],
    entryTypes: ["Direct Cost"],
    exp: null,
    act: pair("Inventory", "WIP Inventory"),
  },
  {
    itemLedgerEntryTypes: ["Output"],
    entryTypes: ["Direct Cost"],
    exp: pair("Inventory (Interim)", "WIP Inventory"),
    act: pair("Inventory", "WIP Inventory"),
  },
  {
    itemLedgerEntryTypes: ["Output"],
    entryTypes: ["Indirect Cost"],
    exp: null,
    act: pair("Inventory", "Overhead Applied"),
  },
  ...MFG_VARIANCES.map(([varianceType, account]): MatrixRow => ({
    itemLedgerEntryTypes: ["Output", "Assembly Output"],
    entryTypes: ["Variance"],
    varianceTypes: [varianceType],
    exp: null,
    act: pair("Inventory", account),
  })),
  {
    itemLedgerEntryTypes: ["Output"],
    entryTypes: ["Variance"],
    varianceTypes: ["Material - Non Inventory"],
    exp: null,
    act: pair("Inventory", "Material - Non Inventory Variance"),
    nonInventory: true,
  },
  {
    itemLedgerEntryTypes: ["Output"],
    entryTypes: ["Direct Cost - Non Inventory"],
    exp: null,
    act: pair("Inventory", "Direct Cost Non-Inventory Applied"),
    nonInventory: true,
  },
  {
    itemLedgerEntryTypes: ["Assembly Consumption", "Assembly Output"],
    entryTypes: ["Direct Cost"],
    exp: null,
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: ["Assembly Output"],
    entryTypes: ["Indirect Cost"],
    exp: null,
    act: pair("Inventory", "Overhead Applied"),
  },
  // Revaluation: the expected part posts only for Purchase, Sale and Output (one row each, then the rest).
  {
    itemLedgerEntryTypes: ["Purchase"],
    entryTypes: ["Revaluation"],
    exp: pair("Inventory (Interim)", "Invt. Accrual (Interim)"),
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: ["Sale"],
    entryTypes: ["Revaluation"],
    exp: pair("Inventory (Interim)", "COGS (Interim)"),
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: ["Output"],
    entryTypes: ["Revaluation"],
    exp: pair("Inventory (Interim)", "WIP Inventory"),
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: "any except blank",
    entryTypes: ["Revaluation"],
    exp: null,
    act: pair("Inventory", "Inventory Adjmt."),
  },
  {
    itemLedgerEntryTypes: "any except blank",
    entryTypes: ["Rounding"],
    exp: null,
    act: pair("Inventory", "Inventory Adjmt."),
  },
  // Capacity (blank Item Ledger Entry Type). BC 29 codeunit 5802 BufferCapacityPosting: Order Type Assembly posts
  // to Inventory Adjmt. (debited, as BC's code has it), every other Order Type as production does.
  // (Its AdjustWIPForProduction extra pair runs only for "Finish Order Without Output" orders: not modelled.)
  {
    itemLedgerEntryTypes: [""],
    entryTypes: ["Direct Cost"],
    orderTypes: NOT_ASSEMBLY,
    exp: null,
    act: pair("WIP Inventory", "Direct Cost Applied"),
  },
  {
    itemLedgerEntryTypes: [""],
    entryTypes: ["Indirect Cost"],
    orderTypes: NOT_ASSEMBLY,
    exp: null,
    act: pair("WIP Inventory", "Overhead Applied"),
  },
  {
    itemLedgerEntryTypes: [""],
    entryTypes: ["Direct Cost"],
    orderTypes: ["Assembly"],
    exp: null,
    act: pair("Inventory Adjmt.", "Direct Cost Applied"),
  },
  {
    itemLedgerEntryTypes: [""],
    entryTypes: ["Indirect Cost"],
    orderTypes: ["Assembly"],
    exp: null,
    act: pair("Inventory Adjmt.", "Overhead Applied"),
  },
];

function rowMatches(
  row: MatrixRow,
  ile: ItemLedgerEntryType,
  et: EntryType,
  vt: VarianceType,
  ot: OrderType
): boolean {
  const ileOk =
    row.itemLedgerEntryTypes === "any except blank"
      ? ile !== ""
      : row.itemLedgerEntryTypes.includes(ile);
  return (
    ileOk &&
    row.entryTypes.includes(et) &&
    (row.varianceTypes === undefined || row.varianceTypes.includes(vt)) &&
    (row.orderTypes === undefined || row.orderTypes.includes(ot))
  );
}

/** Every combination resolved once (nested by type, so a lookup builds no string). */
const INDEX = new Map<string, Map<string, Map<string, Map<string, MatrixRow>>>>();
for (const ile of ITEM_LEDGER_ENTRY_TYPES)
  for (const et of ENTRY_TYPES)
    for (const vt of VARIANCE_TYPES)
      for (const ot of ORDER_TYPES) {
        const row = ACCOUNT_MATRIX.find((r) => rowMatches(r, ile, et, vt, ot));
        if (!row) continue;
        let a = INDEX.get(ile);
        if (!a) INDEX.set(ile, (a = new Map()));
        let b = a.get(et);
        if (!b) a.set(et, (b = new Map()));
        let c = b.get(vt);
        if (!c) b.set(vt, (c = new Map()));
        c.set(ot, row);
      }

/** The matrix row for an entry's types, or undefined: INVALID_COMBINATION. */
export function findMatrixRow(
  ile: ItemLedgerEntryType,
  et: EntryType,
  vt: VarianceType,
  ot: OrderType
): MatrixRow | undefined {
  return INDEX.get(ile)?.get(et)?.get(vt)?.get(ot);
}

/** Entry types that can carry expected cost (section 2, notes). */
export function canHaveExpectedCost(et: EntryType): boolean {
  return et === "Direct Cost" || et === "Revaluation";
}

/**
 * A non-inventory cost type (section 4): Entry Type Direct Cost - Non Inventory, or Variance with Variance Type
 * Material - Non Inventory. BC 29 (codeunit 5802) posts them only on Output, and only with setting 8; on Output
 * with setting 8 off it buffers nothing (ignored); on any other type it stops with the invalid-combination error.
 * (A Direct Cost entry's Variance Type plays no part in BC, so it does not make the entry non-inventory.)
 */
export function isNonInventoryCost(et: EntryType, vt: VarianceType): boolean {
  return (
    et === "Direct Cost - Non Inventory" || (et === "Variance" && vt === "Material - Non Inventory")
  );
}
