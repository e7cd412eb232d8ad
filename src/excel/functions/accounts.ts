/**
 * The pure part of =INVT.ACCOUNTS: which account types a value entry posts to (rules.md section 2), from
 * the engine's account matrix. No Office.js here, so it is unit-tested in Node.
 */
import { accountTypeCaption } from "../../engine/accountTypes";
import { findMatrixRow } from "../../engine/accountMatrix";
import {
  ENTRY_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  VARIANCE_TYPES,
} from "../../engine/types";
import { matchOption } from "../../workbook/names";

export class AccountsInputError extends Error {}

function option<T extends string>(
  captions: readonly T[],
  value: string | null | undefined,
  what: string
): T {
  const v = matchOption(captions, value === undefined || value === null ? null : String(value));
  if (v === null) {
    throw new AccountsInputError(
      `"${value}" is not a valid ${what} (${captions.filter((c) => c !== "").join(", ")}).`
    );
  }
  return v;
}

/**
 * [[expected account, expected balancing], [actual account, actual balancing]] as account type captions;
 * the expected row is ["", ""] when the expected part never posts. Throws AccountsInputError for an
 * unknown option and for a combination that has no row (INVALID_COMBINATION).
 */
export function accountPairs(
  itemLedgerEntryType: string | null,
  entryType: string,
  varianceType?: string | null,
  orderType?: string | null
): string[][] {
  const ile = option(ITEM_LEDGER_ENTRY_TYPES, itemLedgerEntryType ?? "", "Item Ledger Entry Type");
  const et = option(ENTRY_TYPES, entryType, "Entry Type");
  const vt = option(VARIANCE_TYPES, varianceType ?? "", "Variance Type");
  const ot = option(ORDER_TYPES, orderType ?? "", "Order Type");
  const row = findMatrixRow(ile, et, vt, ot);
  if (!row)
    throw new AccountsInputError(
      `INVALID_COMBINATION: ${ile || "(blank)"} / ${et}${vt ? ` (${vt})` : ""} does not post.`
    );
  return [
    row.exp ? [accountTypeCaption(row.exp[0]), accountTypeCaption(row.exp[1])] : ["", ""],
    [accountTypeCaption(row.act[0]), accountTypeCaption(row.act[1])],
  ];
}
