/// <reference types="custom-functions-runtime" />
/* eslint-disable @typescript-eslint/no-explicit-any -- custom-functions-metadata reads these signatures to write functions.json: any[][] is how a range of mixed cell values is declared to Excel */
/**
 * Custom functions (namespace INVT, from the manifest). In the shared runtime they run in the task pane's
 * runtime; custom-functions-metadata-plugin builds functions.json from the JSDoc below and appends the
 * CustomFunctions.associate calls to this file at build time. The work is done by formulas.ts (pure, tested
 * under jest); this file only names the functions and turns errors into Excel error values. The try page
 * calls these same exports.
 */
import { AccountsInputError, accountPairs } from "./accounts";
import { formulaFunctions, guarded } from "./formulas";
import { reconcileValues } from "./reconcileFormula";
import { FormulaError, type ErrorFactory, type FormulaErrorCode } from "./ranges";

/** CustomFunctions.Error in Excel; outside Excel (jest, the try page) a FormulaError with the same code and message. */
export const excelErrors: ErrorFactory = (code: FormulaErrorCode, message: string): unknown => {
  if (typeof CustomFunctions === "undefined") return new FormulaError(code, message);
  const codes: Record<FormulaErrorCode, CustomFunctions.ErrorCode> = {
    "#VALUE!": CustomFunctions.ErrorCode.invalidValue,
    "#REF!": CustomFunctions.ErrorCode.invalidReference,
    "#N/A": CustomFunctions.ErrorCode.notAvailable,
    "#NUM!": CustomFunctions.ErrorCode.invalidNumber,
    "#NAME?": CustomFunctions.ErrorCode.invalidName,
  };
  return new CustomFunctions.Error(codes[code], message);
};

const F = formulaFunctions(excelErrors);

/**
 * The account types a value entry posts to (Post Inventory Cost to G/L): the expected-cost pair in the
 * first row, the actual-cost pair in the second, each as account (+amount) and balancing account (-amount).
 * @customfunction ACCOUNTS
 * @param itemLedgerEntryType Item Ledger Entry Type, e.g. "Purchase" or "Sale" (blank for capacity entries).
 * @param entryType Entry Type, e.g. "Direct Cost", "Revaluation", "Variance".
 * @param [varianceType] Variance Type, for Entry Type Variance (e.g. "Purchase", "Material").
 * @param [orderType] Order Type, for capacity entries (e.g. "Production", "Assembly").
 * @returns A 2 x 2 array: expected account and balancing account, actual account and balancing account.
 */
export function accounts(
  itemLedgerEntryType: string,
  entryType: string,
  varianceType?: string,
  orderType?: string
): string[][] {
  try {
    return accountPairs(itemLedgerEntryType, entryType, varianceType, orderType);
  } catch (e) {
    if (e instanceof AccountsInputError) throw excelErrors("#VALUE!", e.message);
    throw e;
  }
}

/**
 * The G/L entries Post Inventory Cost to G/L would post now (a preview: nothing is written), with the columns
 * of the G/L Entries table. Just a header row when nothing would post.
 * @customfunction GLPOST
 * @param {any[][]} valueEntries The Value Entries table with its header row, e.g. ValueEntries[#All].
 * @param {any[][]} inventoryPostingSetup The Inventory Posting Setup table with its header row, e.g. InventoryPostingSetup[#All].
 * @param {any[][]} generalPostingSetup The General Posting Setup table with its header row, e.g. GeneralPostingSetup[#All].
 * @param [method] "entry" (per Entry) or "group" (per Posting Group); omitted: "group" when a Document No. is given, else "entry".
 * @param [documentNo] The Document No. of a per Posting Group run, e.g. "INVT-2026-01".
 * @param {any[][]} [settings] The Settings table (Setting, Value), e.g. Settings[#All].
 * @param {any[][]} [items] The Items table (No., Inventory Posting Group), for the WIP rule.
 * @param {any[][]} [glAccounts] The G/L Accounts table: accounts are checked and their names shown.
 * @returns The G/L entries: a header row, then one row per entry.
 */
export function glpost(
  valueEntries: any[][],
  inventoryPostingSetup: any[][],
  generalPostingSetup: any[][],
  method?: string,
  documentNo?: string,
  settings?: any[][],
  items?: any[][],
  glAccounts?: any[][]
): Promise<any[][]> {
  return F.glPost(
    valueEntries,
    inventoryPostingSetup,
    generalPostingSetup,
    method,
    documentNo,
    settings,
    items,
    glAccounts
  );
}

/**
 * The value entries a run would skip now, with Reason Code, Reason and How to Fix (the Skipped Entries
 * table's columns). Just a header row when nothing would be skipped.
 * @customfunction SKIPPED
 * @param {any[][]} valueEntries The Value Entries table with its header row, e.g. ValueEntries[#All].
 * @param {any[][]} inventoryPostingSetup The Inventory Posting Setup table with its header row.
 * @param {any[][]} generalPostingSetup The General Posting Setup table with its header row.
 * @param [method] "entry" (per Entry) or "group" (per Posting Group).
 * @param [documentNo] The Document No. of a per Posting Group run.
 * @param {any[][]} [settings] The Settings table (Setting, Value).
 * @param {any[][]} [items] The Items table, for the WIP rule.
 * @param {any[][]} [glAccounts] The G/L Accounts table: blocked and non-posting accounts skip their entries.
 * @returns The skipped entries: a header row, then one row per entry.
 */
export function skipped(
  valueEntries: any[][],
  inventoryPostingSetup: any[][],
  generalPostingSetup: any[][],
  method?: string,
  documentNo?: string,
  settings?: any[][],
  items?: any[][],
  glAccounts?: any[][]
): Promise<any[][]> {
  return F.skipped(
    valueEntries,
    inventoryPostingSetup,
    generalPostingSetup,
    method,
    documentNo,
    settings,
    items,
    glAccounts
  );
}

/**
 * The G/L entries a run would post, summed per G/L account (and per posting date when asked): debit, credit
 * and net change, then a Total row. The trial balance of the run.
 * @customfunction TOTALS
 * @param {any[][]} valueEntries The Value Entries table with its header row, e.g. ValueEntries[#All].
 * @param {any[][]} inventoryPostingSetup The Inventory Posting Setup table with its header row.
 * @param {any[][]} generalPostingSetup The General Posting Setup table with its header row.
 * @param [method] "entry" (per Entry) or "group" (per Posting Group).
 * @param [documentNo] The Document No. of a per Posting Group run.
 * @param {any[][]} [settings] The Settings table (Setting, Value).
 * @param {any[][]} [items] The Items table, for the WIP rule.
 * @param {any[][]} [glAccounts] The G/L Accounts table: names beside the numbers.
 * @param [byPostingDate] TRUE: one row per G/L account and posting date.
 * @returns Debit, credit and net change per G/L account, and a Total row.
 */
export function totals(
  valueEntries: any[][],
  inventoryPostingSetup: any[][],
  generalPostingSetup: any[][],
  method?: string,
  documentNo?: string,
  settings?: any[][],
  items?: any[][],
  glAccounts?: any[][],
  byPostingDate?: boolean
): Promise<any[][]> {
  return F.totals(
    valueEntries,
    inventoryPostingSetup,
    generalPostingSetup,
    method,
    documentNo,
    settings,
    items,
    glAccounts,
    byPostingDate
  );
}

/**
 * Why a value entry's cost lands where it does: the G/L account and balancing account of its expected and
 * actual pair, the setup rows and the account-matrix row that chose them, what it would post now, and a skip
 * reason when it cannot post.
 * @customfunction GLACCOUNT
 * @param {any[][]} valueEntryRow A header row and the entry's row, e.g. CHOOSEROWS(ValueEntries[#All],1,5) (more rows: one result per entry).
 * @param {any[][]} inventoryPostingSetup The Inventory Posting Setup table with its header row.
 * @param {any[][]} generalPostingSetup The General Posting Setup table with its header row.
 * @param {any[][]} [items] The Items table, for the WIP rule.
 * @param {any[][]} [settings] The Settings table (Setting, Value).
 * @returns One row per pair (Expected, Actual) of each entry.
 */
export function glaccount(
  valueEntryRow: any[][],
  inventoryPostingSetup: any[][],
  generalPostingSetup: any[][],
  items?: any[][],
  settings?: any[][]
): Promise<any[][]> {
  return F.glAccount(valueEntryRow, inventoryPostingSetup, generalPostingSetup, items, settings);
}

/**
 * The cost a run would post now per value entry: actual and expected, after what is already posted to G/L
 * (0 for an entry that never posts). For a range of one entry, the single number actual + expected.
 * @customfunction COSTTOPOST
 * @param {any[][]} valueEntries The Value Entries table with its header row, e.g. ValueEntries[#All].
 * @param {any[][]} [settings] The Settings table (Expected Cost Posting to G/L decides the expected part).
 * @returns Entry No., actual and expected cost to post per entry; or one number for one entry.
 */
export function costtopost(valueEntries: any[][], settings?: any[][]): Promise<any[][]> {
  return F.costToPost(valueEntries, settings);
}

/**
 * Inventory - G/L Reconciliation (as glpost reconcile): the matrix of inventory cost vs G/L per account type,
 * then one row per cause of each difference with its amount. Nothing is written.
 * @customfunction RECONCILE
 * @param {any[][]} valueEntries The Value Entries table with its header row, e.g. ValueEntries[#All].
 * @param {any[][]} inventoryPostingSetup The Inventory Posting Setup table with its header row.
 * @param {any[][]} generalPostingSetup The General Posting Setup table with its header row.
 * @param {any[][]} [glEntries] The G/L Entries table with its header row, e.g. GLEntries[#All].
 * @param {any[][]} [relations] The G/L - Item Ledger Relation table with its header row.
 * @param [dateFilter] A Posting Date filter, e.g. "2026-01-01..2026-01-31".
 * @param {any[][]} [settings] The Settings table (Setting, Value).
 * @param {any[][]} [items] The Items table, for the WIP rule.
 * @param {any[][]} [glAccounts] The G/L Accounts table: accounts it lacks are left out, as in Business Central.
 * @returns The matrix rows (Row, Inventory, Inventory (Interim), WIP Inventory, Total, G/L Total, Difference, Warning), then the explanations.
 */
export function reconcile(
  valueEntries: any[][],
  inventoryPostingSetup: any[][],
  generalPostingSetup: any[][],
  glEntries?: any[][],
  relations?: any[][],
  dateFilter?: string,
  settings?: any[][],
  items?: any[][],
  glAccounts?: any[][]
): Promise<any[][]> {
  return guarded("RECONCILE", excelErrors, () =>
    reconcileValues({
      valueEntries,
      inventoryPostingSetup,
      generalPostingSetup,
      glEntries,
      relations,
      dateFilter,
      settings,
      items,
      glAccounts,
    })
  );
}
