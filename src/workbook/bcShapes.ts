/**
 * Business Central's own spellings of the input columns, where loose matching (names.ts) is not enough:
 * - BC_COLUMN_ALIASES: other captions of a column, by the caption the schema uses: BC's unabbreviated
 *   captions (table 252 captions "Direct Cost Non-Inv. App. Acc." as "Direct Cost Non-Inventory Applied
 *   Account", table 5813 "Mat. Non-Inv. Variance Acc." as "Material Non-Inventory Variance Account"), the
 *   long forms users type, and the field names of BC's API v2.0 pages (`number`, `displayName`,
 *   `inventoryPostingGroupCode`). OData page field names (`Cost_Amount_Actual`, `Dimension_Set_ID`) and API
 *   camelCase (`costAmountActual`) need nothing here: they match the caption loosely.
 * - Global dimension columns under their dimension's caption: BC captions Global Dimension 1 Code with the
 *   dimension's Code Caption ("Department Code" for CRONUS's DEPARTMENT), so a Value Entries page exported to
 *   Excel has "Department Code" where the spec says "Global Dimension 1 Code".
 * Data and one pure function; read.ts adds these to a column's aliases when it resolves a table's header.
 */
import type { Settings } from "../engine/types";
import { looseName } from "./names";
import type { InputColumn, InputTableSchema } from "./schema";

/** Other spellings of a column, keyed by the schema's caption of it (any table that has that column). */
const BC_COLUMN_ALIASES: Readonly<Record<string, readonly string[]>> = {
  // Inventory Posting Setup (table 5813)
  "Invt. Posting Group Code": [
    "Inventory Posting Group Code",
    "Inventory Posting Group",
    "Invt. Posting Group",
  ],
  "Inventory Account (Interim)": ["Invt. Account (Interim)"],
  "WIP Account": ["WIP Inventory Account", "Work in Process Account"],
  "Material Variance Account": ["Mat. Variance Account"],
  "Capacity Variance Account": ["Cap. Variance Account"],
  "Subcontracted Variance Account": ["Subcontr. Variance Account"],
  "Cap. Overhead Variance Account": ["Capacity Overhead Variance Account"],
  "Mfg. Overhead Variance Account": ["Manufacturing Overhead Variance Account"],
  "Mat. Non-Inv. Variance Acc.": [
    "Material Non-Inventory Variance Account",
    "Material - Non Inventory Variance Account",
  ],
  // General Posting Setup (table 252)
  "Invt. Accrual Acc. (Interim)": [
    "Inventory Accrual Account (Interim)",
    "Invt. Accrual Account (Interim)",
    "Inventory Accrual Acc. (Interim)",
  ],
  "Inventory Adjmt. Account": ["Inventory Adjustment Account", "Invt. Adjmt. Account"],
  "Direct Cost Applied Account": ["Direct Cost Appl. Account"],
  "Overhead Applied Account": ["Overhead Appl. Account"],
  "Purchase Variance Account": ["Purch. Variance Account"],
  "COGS Account": ["Cost of Goods Sold Account"],
  "COGS Account (Interim)": ["Cost of Goods Sold Account (Interim)"],
  "Direct Cost Non-Inv. App. Acc.": [
    "Direct Cost Non-Inventory Applied Account",
    "Direct Cost Non-Inventory Applied Acc.",
  ],
  // Posting groups (Value Entries, setups, Items; API v2.0 items: inventoryPostingGroupCode, generalProductPostingGroupCode)
  "Inventory Posting Group": [
    "Inventory Posting Group Code",
    "Invt. Posting Group",
    "Invt. Posting Group Code",
  ],
  "Gen. Bus. Posting Group": [
    "General Business Posting Group",
    "General Business Posting Group Code",
    "Gen. Bus. Posting Group Code",
  ],
  "Gen. Prod. Posting Group": [
    "General Product Posting Group",
    "General Product Posting Group Code",
    "Gen. Prod. Posting Group Code",
  ],
  // Items and G/L Accounts through API v2.0 (items, accounts): number and displayName
  "No.": ["number"],
  Name: ["displayName"],
};

/**
 * The column names a BC export may give a global dimension field, from the settings' Global Dimension 1/2
 * Code: "<code> Code" and "<code>" (CRONUS: DEPARTMENT gives "Department Code"). BC's caption is the
 * dimension's Code Caption, which BC derives from its Name: a dimension whose Name differs from its Code
 * (DEPT named Department) is found only under its code, or rename the column "Global Dimension 1 Code".
 */
function globalDimensionAliases(code: string): string[] {
  const c = code.trim();
  return c === "" ? [] : [`${c} Code`, c];
}

/**
 * Every alias of a column: its own (schema), BC's other captions, and for the global dimension fields the
 * captions of the settings' dimensions. A dimension caption that is another column's name in the same table
 * ("Location Code" for a dimension LOCATION) is left out, so no column is read as two fields.
 */
export function bcColumnAliases(
  schema: InputTableSchema,
  col: InputColumn,
  settings: Pick<Settings, "globalDimension1Code" | "globalDimension2Code"> | undefined
): readonly string[] {
  const own = col.aliases ?? [];
  const bc = BC_COLUMN_ALIASES[col.name] ?? [];
  let dims: string[] = [];
  if (
    settings !== undefined &&
    (col.field === "globalDimension1Code" || col.field === "globalDimension2Code")
  ) {
    const code =
      col.field === "globalDimension1Code"
        ? settings.globalDimension1Code
        : settings.globalDimension2Code;
    const taken = new Set<string>();
    for (const c of schema.columns)
      if (c !== col) for (const n of [c.name, ...(c.aliases ?? [])]) taken.add(looseName(n));
    dims = globalDimensionAliases(code).filter((a) => !taken.has(looseName(a)));
  }
  if (bc.length === 0 && dims.length === 0) return own;
  return [...own, ...bc, ...dims];
}
