/// <reference types="custom-functions-runtime" />
/**
 * Custom functions (namespace INVT, from the manifest). In the shared runtime they run in the task pane's
 * runtime; custom-functions-metadata-plugin builds functions.json from the JSDoc below and appends the
 * CustomFunctions.associate calls to this file at build time.
 */
import { AccountsInputError, accountPairs } from './accounts';

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
export function accounts(itemLedgerEntryType: string, entryType: string, varianceType?: string, orderType?: string): string[][] {
  try {
    return accountPairs(itemLedgerEntryType, entryType, varianceType, orderType);
  } catch (e) {
    if (e instanceof AccountsInputError && typeof CustomFunctions !== 'undefined') {
      throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, e.message);
    }
    throw e;
  }
}
