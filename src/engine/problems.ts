/**
 * rules.md section 4: the skip reasons, in precedence order, with a readable text (BC's wording where BC has
 * one) and a hint that names the setup row and field to fix.
 */
import { ACCOUNT_TYPES } from './accountTypes';
import { dayToIso } from './dates';
import type { DayNumber, Problem, ValueEntry } from './types';

/** Codes as they show in a text: a blank code shows as '' so a blank location is still visible. */
const code = (c: string) => (c === '' ? "''" : c);

export function setupRowName(table: 'Inventory Posting Setup' | 'General Posting Setup', a: string, b: string): string {
  return `${table}, ${code(a)} ${code(b)}`;
}

export function invalidCombination(e: ValueEntry): Problem {
  const types = [
    `Item Ledger Entry Type ${e.itemLedgerEntryType === '' ? "' ' (capacity)" : e.itemLedgerEntryType}`,
    `Entry Type ${e.entryType}`,
  ];
  if (e.varianceType !== '') types.push(`Variance Type ${e.varianceType}`);
  if (e.itemLedgerEntryType === '') types.push(`Order Type ${e.orderType === '' ? "' '" : e.orderType}`);
  return {
    code: 'INVALID_COMBINATION',
    text: `No G/L accounts are defined for ${types.join(', ')}.`,
    howToFix: `Correct the Item Ledger Entry Type, Entry Type, Variance Type or Order Type of value entry ${e.entryNo}: rules.md section 2 lists the combinations that post.`,
  };
}

export function expectedOnWrongType(e: ValueEntry): Problem {
  return {
    code: 'EXPECTED_ON_WRONG_TYPE',
    text: `Expected cost can only be posted for Entry Type Direct Cost or Revaluation, not ${e.entryType} (Expected Cost = ${e.expectedCost ? 'Yes' : 'No'}, Cost Amount (Expected) not 0 = ${e.costAmountExpected !== 0 ? 'Yes' : 'No'}).`,
    howToFix: `Set Expected Cost to No and Cost Amount (Expected) to 0 on value entry ${e.entryNo}, or correct its Entry Type.`,
  };
}

export function expectedCostPostingOff(e: ValueEntry): Problem {
  return {
    code: 'EXPECTED_COST_POSTING_OFF',
    text: 'Expected Cost Posting to G/L is off, so the expected cost of this receipt or shipment is not posted; it posts when it is invoiced.',
    howToFix: `Set Expected Cost Posting to G/L to Yes in Settings, or wait for the invoice of value entry ${e.entryNo}.`,
  };
}

export function postingDateNotAllowed(date: DayNumber, from: DayNumber | null, to: DayNumber | null): Problem {
  const range = `${from === null ? '' : dayToIso(from)}..${to === null ? '' : dayToIso(to)}`;
  return {
    code: 'POSTING_DATE_NOT_ALLOWED',
    text: `Posting Date ${dayToIso(date)} is not within your range of allowed posting dates (${range}).`,
    howToFix: `Change Allow Posting From / Allow Posting To in Settings to include ${dayToIso(date)} (the period is closed), or correct the entry's Posting Date.`,
  };
}

export function inventoryPostingSetupMissing(location: string, group: string, accountType: number): Problem {
  const field = ACCOUNT_TYPES[accountType].setupField;
  return {
    code: 'INVENTORY_POSTING_SETUP_MISSING',
    text: `The Inventory Posting Setup does not exist. Location Code: ${code(location)}, Invt. Posting Group Code: ${code(group)}.`,
    howToFix: `Add a row to Inventory Posting Setup with Location Code ${code(location)} and Invt. Posting Group Code ${code(group)}, with ${field} filled in.`,
  };
}

export function generalPostingSetupMissing(bus: string, prod: string, accountType: number): Problem {
  const field = ACCOUNT_TYPES[accountType].setupField;
  return {
    code: 'GENERAL_POSTING_SETUP_MISSING',
    text: `The General Posting Setup does not exist. Gen. Bus. Posting Group: ${code(bus)}, Gen. Prod. Posting Group: ${code(prod)}.`,
    howToFix: `Add a row to General Posting Setup with Gen. Bus. Posting Group ${code(bus)} and Gen. Prod. Posting Group ${code(prod)}, with ${field} filled in.`,
  };
}

export function generalPostingSetupBlocked(bus: string, prod: string): Problem {
  return {
    code: 'GENERAL_POSTING_SETUP_BLOCKED',
    text: `Blocked must be equal to 'No' in General Posting Setup: Gen. Bus. Posting Group=${code(bus)}, Gen. Prod. Posting Group=${code(prod)}. Current value is 'Yes'.`,
    howToFix: `Set Blocked to No on the General Posting Setup row ${code(bus)} ${code(prod)}.`,
  };
}

export function accountMissing(accountType: number, keyA: string, keyB: string): Problem {
  const at = ACCOUNT_TYPES[accountType];
  return {
    code: 'ACCOUNT_MISSING',
    text: `${at.setupField} is missing in ${setupRowName(at.setupTable, keyA, keyB)}.`,
    howToFix: `Fill in ${at.setupField} on the ${at.setupTable} row ${code(keyA)} ${code(keyB)}.`,
  };
}

export function glAccountNotFound(no: string, accountType: number, keyA: string, keyB: string): Problem {
  const at = ACCOUNT_TYPES[accountType];
  return {
    code: 'GL_ACCOUNT_NOT_FOUND',
    text: `The G/L Account does not exist. No.: ${no} (${at.setupField} in ${setupRowName(at.setupTable, keyA, keyB)}).`,
    howToFix: `Add G/L account ${no} to G/L Accounts, or change ${at.setupField} on the ${at.setupTable} row ${code(keyA)} ${code(keyB)}.`,
  };
}

export function glAccountBlocked(no: string, accountType: number, keyA: string, keyB: string): Problem {
  const at = ACCOUNT_TYPES[accountType];
  return {
    code: 'GL_ACCOUNT_BLOCKED',
    text: `Blocked must be equal to 'No' in G/L Account: No.=${no}. Current value is 'Yes'.`,
    howToFix: `Set Blocked to No for G/L account ${no}, or change ${at.setupField} on the ${at.setupTable} row ${code(keyA)} ${code(keyB)}.`,
  };
}

export function glAccountNotPosting(no: string, type: string, accountType: number, keyA: string, keyB: string): Problem {
  const at = ACCOUNT_TYPES[accountType];
  return {
    code: 'GL_ACCOUNT_NOT_POSTING',
    text: `Account Type must be equal to 'Posting' in G/L Account: No.=${no}. Current value is '${type}'.`,
    howToFix: `Choose a posting account for ${at.setupField} on the ${at.setupTable} row ${code(keyA)} ${code(keyB)}, or set Account Type of G/L account ${no} to Posting.`,
  };
}

/** A Default Dimensions rule, as an error: only when rules are enforced (Automatic Cost Posting). */
export function dimensionRule(text: string, entryNo: number): Problem {
  return {
    code: 'DIMENSION_RULE',
    text,
    howToFix: `Give value entry ${entryNo} the dimension value the rule asks for, or change the Default Dimensions rule; the batch run (which overrides dimension rules) will post it otherwise.`,
  };
}

/** Joins the texts (and hints) of an entry's problems, each once, in the order found. */
export function joinProblems(problems: readonly Problem[]): { reason: string; howToFix: string } {
  const texts = [...new Set(problems.map((p) => p.text))];
  const hints = [...new Set(problems.map((p) => p.howToFix))];
  return { reason: texts.join(' '), howToFix: hints.join(' ') };
}
