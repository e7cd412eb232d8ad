/** G/L entry descriptions of rules.md section 6, cut to 100 characters. */
import { ACCOUNT_TYPES } from "./accountTypes";
import { dayToIso } from "./dates";
import type { GroupKeyFields } from "./groupingKey";
import type { ValueEntry } from "./types";

const cut = (s: string) => (s.length > 100 ? s.slice(0, 100) : s);

/** per Entry: `<Entry Type> <Source No.> on <Posting Date>` (no double space when Source No. is blank). */
export function perEntryDescription(
  e: Pick<ValueEntry, "entryType" | "sourceNo" | "postingDate">
): string {
  return cut(`${e.entryType} ${e.sourceNo} on ${dayToIso(e.postingDate)}`.replace(/ {2,}/g, " "));
}

/** per Posting Group: `<Account Type> - <Bal. Account Type>, <Location>,<Inv. Posting Group>,<Gen. Bus.>,<Gen. Prod.>`. */
export function groupDescription(k: GroupKeyFields): string {
  return cut(
    `${ACCOUNT_TYPES[k.accountType].caption} - ${ACCOUNT_TYPES[k.balAccountType].caption}, ${k.locationCode},${k.inventoryPostingGroup},${k.genBusPostingGroup},${k.genProdPostingGroup}`
  );
}
