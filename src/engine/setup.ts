/**
 * Posting setup lookups (rules.md section 1): which G/L account an account type reads for an entry, and the
 * line-level skip checks of section 4 (setup missing or blocked, account blank, not found, blocked, not Posting).
 * Indexes are built once per run; account resolution is cached per distinct setup key.
 */
import { ACCOUNT_TYPES, AT } from "./accountTypes";
import * as P from "./problems";
import type {
  DefaultDimension,
  GeneralPostingSetup,
  GLAccount,
  InventoryPostingSetup,
  Item,
  PostingInput,
  Problem,
  ValueEntry,
} from "./types";

const SEP = "\u0001";

export interface SetupIndex {
  inventory: Map<string, InventoryPostingSetup>;
  general: Map<string, GeneralPostingSetup>;
  /** null: no Items table (the WIP rule then always uses the entry's own group). */
  items: Map<string, Item> | null;
  /** null: no G/L Accounts table (accounts are not checked). */
  accounts: Map<string, GLAccount> | null;
  defaultDimensions: Map<string, DefaultDimension[]>;
  globalDimension1Code: string;
  globalDimension2Code: string;
}

export function buildSetupIndex(input: PostingInput): SetupIndex {
  const inventory = new Map<string, InventoryPostingSetup>();
  for (const s of input.inventoryPostingSetup)
    inventory.set(s.locationCode + SEP + s.invtPostingGroupCode, s);
  const general = new Map<string, GeneralPostingSetup>();
  for (const s of input.generalPostingSetup)
    general.set(s.genBusPostingGroup + SEP + s.genProdPostingGroup, s);
  const items = input.items === null ? null : new Map(input.items.map((i) => [i.no, i] as const));
  const accounts =
    input.glAccounts === null ? null : new Map(input.glAccounts.map((a) => [a.no, a] as const));
  const defaultDimensions = new Map<string, DefaultDimension[]>();
  for (const d of input.defaultDimensions) {
    if (d.valuePosting === "") continue;
    const list = defaultDimensions.get(d.no) ?? [];
    list.push(d);
    defaultDimensions.set(d.no, list);
  }
  return {
    inventory,
    general,
    items,
    accounts,
    defaultDimensions,
    globalDimension1Code: input.settings.globalDimension1Code.toUpperCase(),
    globalDimension2Code: input.settings.globalDimension2Code.toUpperCase(),
  };
}

/**
 * The WIP rule: a WIP Inventory line uses the produced item's Inventory Posting Group when the entry's
 * Source Type is Item, its Source No. differs from its Item No. and that item is in the Items table.
 */
export function wipInventoryPostingGroup(e: ValueEntry, setup: SetupIndex): string {
  if (e.sourceType === "Item" && e.sourceNo !== e.itemNo && setup.items !== null) {
    const produced = setup.items.get(e.sourceNo);
    if (produced !== undefined) return produced.inventoryPostingGroup;
  }
  return e.inventoryPostingGroup;
}

/** One resolved account: the G/L account no. (or '') and the first problem of the line, in section 4 order. */
export interface ResolvedAccount {
  glAccountNo: string;
  glAccountName: string;
  /** "BLUE,RESALE" or "DOMESTIC,RETAIL": the setup row the account type reads. */
  setupKey: string;
  problem: Problem | null;
}

function resolved(
  glAccountNo: string,
  glAccountName: string,
  setupKey: string,
  problem: Problem | null
): ResolvedAccount {
  return { glAccountNo, glAccountName, setupKey, problem };
}

export function resolveAccount(
  accountType: number,
  location: string,
  inventoryPostingGroup: string,
  genBus: string,
  genProd: string,
  setup: SetupIndex
): ResolvedAccount {
  const info = ACCOUNT_TYPES[accountType];
  const inventory = info.setupTable === "Inventory Posting Setup";
  const keyA = inventory ? location : genBus;
  const keyB = inventory ? inventoryPostingGroup : genProd;
  const setupKey = `${keyA},${keyB}`;
  let no: string;
  if (inventory) {
    const row = setup.inventory.get(keyA + SEP + keyB);
    if (row === undefined)
      return resolved("", "", setupKey, P.inventoryPostingSetupMissing(keyA, keyB, accountType));
    no = row.accounts[accountType] ?? "";
  } else {
    const row = setup.general.get(keyA + SEP + keyB);
    if (row === undefined)
      return resolved("", "", setupKey, P.generalPostingSetupMissing(keyA, keyB, accountType));
    if (row.blocked)
      return resolved(
        row.accounts[accountType] ?? "",
        "",
        setupKey,
        P.generalPostingSetupBlocked(keyA, keyB)
      );
    no = row.accounts[accountType] ?? "";
  }
  if (no === "") return resolved("", "", setupKey, P.accountMissing(accountType, keyA, keyB));
  if (setup.accounts === null) return resolved(no, "", setupKey, null);
  const account = setup.accounts.get(no);
  if (account === undefined)
    return resolved(no, "", setupKey, P.glAccountNotFound(no, accountType, keyA, keyB));
  if (account.blocked)
    return resolved(no, account.name, setupKey, P.glAccountBlocked(no, accountType, keyA, keyB));
  if (account.accountType !== "Posting")
    return resolved(
      no,
      account.name,
      setupKey,
      P.glAccountNotPosting(no, account.accountType, accountType, keyA, keyB)
    );
  return resolved(no, account.name, setupKey, null);
}

/**
 * Default Dimensions rules that a G/L line with these dimensions breaks (rules.md section 4: posting
 * overrides them, the test report warns). The value entry carries Global Dimension 1 and 2 values; a rule on
 * another dimension can be judged only for an entry without dimensions (Dimension Set ID 0), where every
 * dimension is blank.
 */
export function dimensionViolations(
  glAccountNo: string,
  e: Pick<ValueEntry, "dimensionSetId" | "globalDimension1Code" | "globalDimension2Code">,
  setup: SetupIndex
): string[] {
  const rules = setup.defaultDimensions.get(glAccountNo);
  if (rules === undefined) return [];
  const out: string[] = [];
  for (const rule of rules) {
    const dim = rule.dimensionCode.toUpperCase();
    let value: string | null;
    if (dim !== "" && dim === setup.globalDimension1Code) value = e.globalDimension1Code;
    else if (dim !== "" && dim === setup.globalDimension2Code) value = e.globalDimension2Code;
    else value = e.dimensionSetId === 0 ? "" : null;
    if (value === null) continue; // not visible on the value entry: cannot be judged
    if (rule.valuePosting === "Code Mandatory" && value === "")
      out.push(
        `Select a Dimension Value Code for the Dimension Code ${rule.dimensionCode} for G/L Account ${glAccountNo}.`
      );
    else if (
      rule.valuePosting === "Same Code" &&
      value.toUpperCase() !== rule.dimensionValueCode.toUpperCase()
    )
      out.push(
        rule.dimensionValueCode === ""
          ? `${rule.dimensionCode} ${value} must be blank for G/L Account ${glAccountNo} (Same Code).`
          : `Select Dimension Value Code ${rule.dimensionValueCode} for the Dimension Code ${rule.dimensionCode} for G/L Account ${glAccountNo} (found '${value}').`
      );
    else if (rule.valuePosting === "No Code" && value !== "")
      out.push(
        `${rule.dimensionCode} ${value} must not be mentioned for G/L Account ${glAccountNo}.`
      );
  }
  return out;
}

export { AT };
