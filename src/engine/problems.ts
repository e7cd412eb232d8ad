/**
 * rules.md section 4: the skip reasons, in precedence order, with a readable text (BC's wording where BC has
 * one) and a hint that names the setup row and field to fix.
 */
import { ACCOUNT_TYPES } from "./accountTypes";
import { dayToIso } from "./dates";
import { isNonInventoryCost } from "./accountMatrix";
import type { DayNumber, Problem, SetupRowRef, ValueEntry } from "./types";

/** Codes as they show in a text: a blank code shows as '' so a blank location is still visible. */
const code = (c: string) => (c === "" ? "''" : c);
const yesNo = (b: boolean) => (b ? "Yes" : "No");

function setupRowName(
  table: "Inventory Posting Setup" | "General Posting Setup",
  a: string,
  b: string
): string {
  return `${table}, ${code(a)} ${code(b)}`;
}

/** The setup row a problem names, by its key columns (the task pane links to it). */
function setupRowRef(
  table: "Inventory Posting Setup" | "General Posting Setup",
  a: string,
  b: string
): SetupRowRef {
  const columns: [string, string] =
    table === "Inventory Posting Setup"
      ? ["Location Code", "Invt. Posting Group Code"]
      : ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group"];
  return { table, columns, values: [a, b] };
}

/**
 * BC 29 report 1003 FieldCombinationErr (= codeunit 5802 Text002, the error that stops a posting run):
 * "The following combination %1 = %2, %3 = %4, and %5 = %6 is not allowed.", with Format() of the values
 * (a blank option is empty, a Boolean Yes/No). The detail adds what BC's sentence leaves out.
 */
export function invalidCombination(e: ValueEntry): Problem {
  const types = [
    `Item Ledger Entry Type ${e.itemLedgerEntryType === "" ? "' ' (capacity)" : e.itemLedgerEntryType}`,
    `Entry Type ${e.entryType}`,
  ];
  if (e.varianceType !== "") types.push(`Variance Type ${e.varianceType}`);
  if (e.itemLedgerEntryType === "")
    types.push(`Order Type ${e.orderType === "" ? "' '" : e.orderType}`);
  const nonInventory = isNonInventoryCost(e.entryType, e.varianceType);
  return {
    code: "INVALID_COMBINATION",
    text: `The following combination Item Ledger Entry Type = ${e.itemLedgerEntryType}, Entry Type = ${e.entryType}, and Expected Cost = ${yesNo(e.expectedCost)} is not allowed.`,
    detail: nonInventory
      ? `Non-inventory cost (${e.entryType === "Direct Cost - Non Inventory" ? "Entry Type Direct Cost - Non Inventory" : "Variance Type Material - Non Inventory"}) posts only on Output entries; on ${e.itemLedgerEntryType === "" ? "' ' (capacity)" : e.itemLedgerEntryType} Business Central stops the run with this error.`
      : `No G/L accounts are defined for ${types.join(", ")}; Business Central stops the run with this error.`,
    howToFix: `Correct the Item Ledger Entry Type, Entry Type, Variance Type or Order Type of value entry ${e.entryNo}: rules.md section 2 lists the combinations that post.`,
  };
}

/**
 * Report 1003 CheckEntryCombination: Text013 "%1 must be false, if %2 is not Direct Cost or Revaluation." and
 * Text014 "%1 and %2 must be zero, if %3 is not Direct Cost or Revaluation.", each when it applies.
 */
export function expectedOnWrongType(e: ValueEntry): Problem[] {
  const howToFix = `Set Expected Cost to No and Cost Amount (Expected) to 0 on value entry ${e.entryNo}, or correct its Entry Type (${e.entryType}).`;
  const out: Problem[] = [];
  if (e.expectedCost)
    out.push({
      code: "EXPECTED_ON_WRONG_TYPE",
      text: "Expected Cost must be false, if Entry Type is not Direct Cost or Revaluation.",
      howToFix,
    });
  if (e.costAmountExpected !== 0 || out.length === 0)
    out.push({
      code: "EXPECTED_ON_WRONG_TYPE",
      text: "Cost Amount (Expected) and Cost Amount (Expected) (ACY) must be zero, if Entry Type is not Direct Cost or Revaluation.",
      howToFix,
    });
  return out;
}

/** BC has no sentence for this (BufferInvtPosting just leaves the entry out): ours. */
export function expectedCostPostingOff(e: ValueEntry): Problem {
  return {
    code: "EXPECTED_COST_POSTING_OFF",
    text: "Expected Cost Posting to G/L is off, so the expected cost of this receipt or shipment is not posted; it posts when it is invoiced.",
    howToFix: `Set Expected Cost Posting to G/L to Yes in Settings, or wait for the invoice of value entry ${e.entryNo}.`,
  };
}

/** User Setup Management PostingDateRangeErr (report 1003 via TestAllowedPostingDate). */
export function postingDateNotAllowed(
  date: DayNumber,
  from: DayNumber | null,
  to: DayNumber | null
): Problem {
  const range = `${from === null ? "" : dayToIso(from)}..${to === null ? "" : dayToIso(to)}`;
  return {
    code: "POSTING_DATE_NOT_ALLOWED",
    text: "The Posting Date is not within your range of allowed posting dates.",
    detail: `(Posting Date ${dayToIso(date)}, allowed ${range}.)`,
    howToFix: `Change Allow Posting From / Allow Posting To in Settings to include ${dayToIso(date)} (the period is closed), or correct the entry's Posting Date.`,
  };
}

// Report 1003 CheckPostingSetup: Text011 "%1 is missing for %2 %3 and %4 %5." with the Invt. Post to G/L Test
// Buffer's field captions (Location Code, Invt. Posting Group Code, Gen. Bus. / Gen. Prod. Posting Group), and
// SetupBlockedErr "Setup is blocked in %1 for %2 %3 and %4 %5.". A blank code shows as '' (BC prints nothing).

export function inventoryPostingSetupMissing(
  location: string,
  group: string,
  accountType: number
): Problem {
  const field = ACCOUNT_TYPES[accountType].setupField;
  return {
    code: "INVENTORY_POSTING_SETUP_MISSING",
    setupRow: setupRowRef("Inventory Posting Setup", location, group),
    text: `Inventory Posting Setup is missing for Location Code ${code(location)} and Invt. Posting Group Code ${code(group)}.`,
    howToFix: `Add a row to Inventory Posting Setup with Location Code ${code(location)} and Invt. Posting Group Code ${code(group)}, with ${field} filled in.`,
  };
}

export function generalPostingSetupMissing(
  bus: string,
  prod: string,
  accountType: number
): Problem {
  const field = ACCOUNT_TYPES[accountType].setupField;
  return {
    code: "GENERAL_POSTING_SETUP_MISSING",
    setupRow: setupRowRef("General Posting Setup", bus, prod),
    text: `General Posting Setup is missing for Gen. Bus. Posting Group ${code(bus)} and Gen. Prod. Posting Group ${code(prod)}.`,
    howToFix: `Add a row to General Posting Setup with Gen. Bus. Posting Group ${code(bus)} and Gen. Prod. Posting Group ${code(prod)}, with ${field} filled in.`,
  };
}

export function generalPostingSetupBlocked(bus: string, prod: string): Problem {
  return {
    code: "GENERAL_POSTING_SETUP_BLOCKED",
    setupRow: setupRowRef("General Posting Setup", bus, prod),
    text: `Setup is blocked in General Posting Setup for Gen. Bus. Posting Group ${code(bus)} and Gen. Prod. Posting Group ${code(prod)}.`,
    howToFix: `Set Blocked to No on the General Posting Setup row ${code(bus)} ${code(prod)}.`,
  };
}

/**
 * Where an account type's G/L account is set up: the setup row (keyA, keyB of its setup table) and, for the
 * texts, its setup field "in" the row (as BC names it) and "on" the row (as a hint names it).
 */
function accountSetup(accountType: number, keyA: string, keyB: string) {
  const at = ACCOUNT_TYPES[accountType];
  return {
    setupRow: setupRowRef(at.setupTable, keyA, keyB),
    field: at.setupField,
    rowName: setupRowName(at.setupTable, keyA, keyB),
    onRow: `${at.setupField} on the ${at.setupTable} row ${code(keyA)} ${code(keyB)}`,
  };
}

/** Report 1003 Text012 "%1 is missing in %2, %3 %4." (the setup field's caption, the setup table, its key). */
export function accountMissing(accountType: number, keyA: string, keyB: string): Problem {
  const s = accountSetup(accountType, keyA, keyB);
  return {
    code: "ACCOUNT_MISSING",
    setupRow: s.setupRow,
    text: `${s.field} is missing in ${s.rowName}.`,
    howToFix: `Fill in ${s.onRow}.`,
  };
}

// Report 1003 CheckGLAcc: DoesNotExistErr "%1 %2 does not exist." and MustBeForErr "%1 must be %2 for %3 %4."
// (Blocked must be No; Account Type must be Posting), with the G/L Account table caption.

export function glAccountNotFound(
  no: string,
  accountType: number,
  keyA: string,
  keyB: string
): Problem {
  const s = accountSetup(accountType, keyA, keyB);
  return {
    code: "GL_ACCOUNT_NOT_FOUND",
    setupRow: s.setupRow,
    text: `G/L Account ${no} does not exist.`,
    detail: `(${s.field} in ${s.rowName}.)`,
    howToFix: `Add G/L account ${no} to G/L Accounts, or change ${s.onRow}.`,
  };
}

export function glAccountBlocked(
  no: string,
  accountType: number,
  keyA: string,
  keyB: string
): Problem {
  const s = accountSetup(accountType, keyA, keyB);
  return {
    code: "GL_ACCOUNT_BLOCKED",
    setupRow: s.setupRow,
    text: `Blocked must be No for G/L Account ${no}.`,
    detail: `(${s.field} in ${s.rowName}.)`,
    howToFix: `Set Blocked to No for G/L account ${no}, or change ${s.onRow}.`,
  };
}

export function glAccountNotPosting(
  no: string,
  type: string,
  accountType: number,
  keyA: string,
  keyB: string
): Problem {
  const s = accountSetup(accountType, keyA, keyB);
  return {
    code: "GL_ACCOUNT_NOT_POSTING",
    setupRow: s.setupRow,
    text: `Account Type must be Posting for G/L Account ${no}.`,
    detail: `(It is ${type}; ${s.field} in ${s.rowName}.)`,
    howToFix: `Choose a posting account for ${s.onRow}, or set Account Type of G/L account ${no} to Posting.`,
  };
}

/** A Default Dimensions rule, as an error: only when rules are enforced (Automatic Cost Posting). */
export function dimensionRule(text: string, entryNo: number): Problem {
  return {
    code: "DIMENSION_RULE",
    text,
    howToFix: `Give value entry ${entryNo} the dimension value the rule asks for, or change the Default Dimensions rule; the batch run (which overrides dimension rules) will post it otherwise.`,
  };
}

/** Joins the texts with their details (and the hints) of an entry's problems, each once, in the order found. */
export function joinProblems(problems: readonly Problem[]): { reason: string; howToFix: string } {
  const texts = [
    ...new Set(problems.map((p) => (p.detail === undefined ? p.text : `${p.text} ${p.detail}`))),
  ];
  const hints = [...new Set(problems.map((p) => p.howToFix))];
  return { reason: texts.join(" "), howToFix: hints.join(" ") };
}
