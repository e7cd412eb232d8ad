/**
 * rules.md section 1: the account types, their order and the setup field each reads its G/L account from.
 * One data table; the ordinal is the index and decides output order (section 6).
 */

export type SetupTable = "Inventory Posting Setup" | "General Posting Setup";

export interface AccountTypeInfo {
  ordinal: number;
  caption: string;
  setupTable: SetupTable;
  /** The setup field's caption, as the workbook column is named. */
  setupField: string;
}

const INV: SetupTable = "Inventory Posting Setup";
const GEN: SetupTable = "General Posting Setup";

export const ACCOUNT_TYPES: readonly AccountTypeInfo[] = (
  [
    ["Inventory (Interim)", INV, "Inventory Account (Interim)"],
    ["Invt. Accrual (Interim)", GEN, "Invt. Accrual Acc. (Interim)"],
    ["Inventory", INV, "Inventory Account"],
    ["WIP Inventory", INV, "WIP Account"],
    ["Inventory Adjmt.", GEN, "Inventory Adjmt. Account"],
    ["Direct Cost Applied", GEN, "Direct Cost Applied Account"],
    ["Overhead Applied", GEN, "Overhead Applied Account"],
    ["Purchase Variance", GEN, "Purchase Variance Account"],
    ["COGS", GEN, "COGS Account"],
    ["COGS (Interim)", GEN, "COGS Account (Interim)"],
    ["Material Variance", INV, "Material Variance Account"],
    ["Capacity Variance", INV, "Capacity Variance Account"],
    ["Subcontracted Variance", INV, "Subcontracted Variance Account"],
    ["Cap. Overhead Variance", INV, "Cap. Overhead Variance Account"],
    ["Mfg. Overhead Variance", INV, "Mfg. Overhead Variance Account"],
    ["Direct Cost Non-Inventory Applied", GEN, "Direct Cost Non-Inv. App. Acc."],
    ["Material - Non Inventory Variance", INV, "Mat. Non-Inv. Variance Acc."],
  ] as const
).map(([caption, setupTable, setupField], ordinal) => ({
  ordinal,
  caption,
  setupTable,
  setupField,
}));

/** Ordinals by caption, for readable code: AT['WIP Inventory'] === 3. */
export const AT = Object.fromEntries(ACCOUNT_TYPES.map((a) => [a.caption, a.ordinal])) as Record<
  AccountTypeCaption,
  number
>;

export type AccountTypeCaption =
  | "Inventory (Interim)"
  | "Invt. Accrual (Interim)"
  | "Inventory"
  | "WIP Inventory"
  | "Inventory Adjmt."
  | "Direct Cost Applied"
  | "Overhead Applied"
  | "Purchase Variance"
  | "COGS"
  | "COGS (Interim)"
  | "Material Variance"
  | "Capacity Variance"
  | "Subcontracted Variance"
  | "Cap. Overhead Variance"
  | "Mfg. Overhead Variance"
  | "Direct Cost Non-Inventory Applied"
  | "Material - Non Inventory Variance";

export const ACCOUNT_TYPE_COUNT = ACCOUNT_TYPES.length;

/** The account fields of each setup table, in ordinal order (the workbook's column names). */
export const INVENTORY_SETUP_FIELDS = ACCOUNT_TYPES.filter((a) => a.setupTable === INV);
export const GENERAL_SETUP_FIELDS = ACCOUNT_TYPES.filter((a) => a.setupTable === GEN);

export function accountTypeCaption(ordinal: number): string {
  return ACCOUNT_TYPES[ordinal].caption;
}
