/** Test builders for engine input: plain objects with defaults, amounts in minor units (cents). */
import { ACCOUNT_TYPES } from "../../src/engine/accountTypes";
import { isoToDay } from "../../src/engine/dates";
import {
  DEFAULT_SETTINGS,
  emptyValueEntry,
  type GeneralPostingSetup,
  type InventoryPostingSetup,
  type PostingInput,
  type RunOptions,
  type Settings,
  type ValueEntry,
} from "../../src/engine/types";

export function day(iso: string): number {
  const d = isoToDay(iso);
  if (d === null) throw new Error(`bad date ${iso}`);
  return d;
}

export function ve(p: Partial<ValueEntry> & { entryNo: number }): ValueEntry {
  return {
    ...emptyValueEntry(),
    itemNo: "ITEM",
    postingDate: day("2026-01-10"),
    itemLedgerEntryType: "Purchase",
    locationCode: "BLUE",
    inventoryPostingGroup: "RESALE",
    genBusPostingGroup: "DOMESTIC",
    genProdPostingGroup: "RETAIL",
    documentNo: "DOC",
    ...p,
  };
}

/** accounts by setup field caption, e.g. { 'Inventory Account': '2130' }. */
export function accountsArray(byField: Record<string, string>): string[] {
  return ACCOUNT_TYPES.map((a) => byField[a.setupField] ?? "");
}

export function invSetup(
  locationCode: string,
  invtPostingGroupCode: string,
  byField: Record<string, string>
): InventoryPostingSetup {
  return { locationCode, invtPostingGroupCode, accounts: accountsArray(byField) };
}

export function genSetup(
  genBusPostingGroup: string,
  genProdPostingGroup: string,
  byField: Record<string, string>,
  blocked = false
): GeneralPostingSetup {
  return { genBusPostingGroup, genProdPostingGroup, blocked, accounts: accountsArray(byField) };
}

/** A complete setup for BLUE/RESALE and DOMESTIC/RETAIL: every account type has an account. */
export const FULL_INV = {
  "Inventory Account": "2130",
  "Inventory Account (Interim)": "2131",
  "WIP Account": "2140",
  "Material Variance Account": "7890",
  "Capacity Variance Account": "7891",
  "Subcontracted Variance Account": "7892",
  "Cap. Overhead Variance Account": "7893",
  "Mfg. Overhead Variance Account": "7894",
  "Mat. Non-Inv. Variance Acc.": "7895",
};
export const FULL_GEN = {
  "Invt. Accrual Acc. (Interim)": "5510",
  "Inventory Adjmt. Account": "7270",
  "Direct Cost Applied Account": "7291",
  "Overhead Applied Account": "7292",
  "Purchase Variance Account": "7293",
  "COGS Account": "7290",
  "COGS Account (Interim)": "7281",
  "Direct Cost Non-Inv. App. Acc.": "7296",
};

export function input(
  valueEntries: ValueEntry[],
  over: Partial<PostingInput> = {},
  settings: Partial<Settings> = {}
): PostingInput {
  return {
    valueEntries,
    inventoryPostingSetup: [invSetup("BLUE", "RESALE", FULL_INV), invSetup("", "RESALE", FULL_INV)],
    generalPostingSetup: [
      genSetup("DOMESTIC", "RETAIL", FULL_GEN),
      genSetup("", "RETAIL", FULL_GEN),
    ],
    items: null,
    glAccounts: null,
    defaultDimensions: [],
    existing: { lastGLEntryNo: 0, lastTransactionNo: 0, lastRegisterNo: 0 },
    ...over,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  };
}

export function options(p: Partial<RunOptions> = {}): RunOptions {
  return {
    postingMethod: "per Entry",
    documentNo: "",
    post: true,
    itemFilter: "",
    dateFilter: "",
    now: { date: day("2026-02-01"), time: "10:00:00" },
    userId: "TEST",
    ...p,
  };
}

export const group = (documentNo = "INVT-1", p: Partial<RunOptions> = {}) =>
  options({ postingMethod: "per Posting Group", documentNo, ...p });
