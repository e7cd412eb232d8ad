/**
 * The input tables of workbook.md as data: table names (with aliases), columns with their kind and whether
 * they are required, and key columns. read.ts walks these; nothing here reads a workbook.
 */
import { GENERAL_SETUP_FIELDS, INVENTORY_SETUP_FIELDS } from "../engine/accountTypes";
import {
  ENTRY_TYPES,
  GL_ACCOUNT_TYPES,
  ITEM_LEDGER_ENTRY_TYPES,
  ORDER_TYPES,
  SOURCE_TYPES,
  VALUE_POSTINGS,
  VARIANCE_TYPES,
  type Settings,
} from "../engine/types";
import { OptionMatcher } from "./names";

export type ColumnKind = "integer" | "money" | "date" | "boolean" | "text" | "code" | "option";

export interface InputColumn {
  /** Property of the record read.ts builds (for Value Entries: the ValueEntry field). */
  field: string;
  /** Caption as workbook.md spells it; matched loosely. */
  name: string;
  /** Other spellings found in BC exports or hand-made sheets (matched loosely, after the caption). */
  aliases?: readonly string[];
  kind: ColumnKind;
  /** The column must exist (a missing one is an input error). */
  required?: boolean;
  /** A blank cell is an input error (for required values such as Entry No., Posting Date). */
  valueRequired?: boolean;
  /** For kind 'option'. */
  options?: OptionMatcher<string>;
  /** For kind 'boolean': the value of a blank cell (default false). */
  blankIs?: boolean;
  /** Additional-currency columns: read only when Additional Reporting Currency is set. */
  acy?: boolean;
  /**
   * The column must exist only when this holds (a missing one is then an input error, never read as blank):
   * 'expectedCost' = any entry has Expected Cost = Yes, or Expected Cost Posting to G/L is on;
   * 'variance' = any entry's Entry Type is Variance; 'capacity' = any entry has a blank Item Ledger Entry Type;
   * 'acy' = an Additional Reporting Currency is set.
   */
  requiredWhen?: RequiredWhen;
  /** Why a required column matters (what reading it as blank would post): said in the input error. */
  why?: string;
}

export type RequiredWhen = "expectedCost" | "variance" | "capacity" | "acy";

export interface InputTableSchema {
  /** Caption (workbook.md): the name in errors. */
  name: string;
  aliases: readonly string[];
  required: boolean;
  columns: readonly InputColumn[];
  /** Fields that must be unique together (duplicates are input errors). */
  key?: readonly string[];
}

export const OPTIONS = {
  itemLedgerEntryType: new OptionMatcher(ITEM_LEDGER_ENTRY_TYPES),
  entryType: new OptionMatcher(ENTRY_TYPES),
  varianceType: new OptionMatcher(VARIANCE_TYPES),
  orderType: new OptionMatcher(ORDER_TYPES),
  sourceType: new OptionMatcher(SOURCE_TYPES),
  glAccountType: new OptionMatcher(GL_ACCOUNT_TYPES),
  valuePosting: new OptionMatcher(VALUE_POSTINGS),
};

// ---------------------------------------------------------------------------------------------
// Value Entries

/** The posted columns (rules.md section 3): read for the guard, written back by a posting run. */
export const POSTED_FIELDS = [
  "costPostedToGL",
  "expectedCostPostedToGL",
  "costPostedToGLACY",
  "expCostPostedToGLACY",
] as const;
export type PostedField = (typeof POSTED_FIELDS)[number];

const ACY_WHY =
  "an Additional Reporting Currency is set, so the ACY amounts post beside the LCY ones; read as blank, ACY cost would be missing or posted twice";

export const VALUE_ENTRIES: InputTableSchema = {
  name: "Value Entries",
  aliases: ["Value Entry", "ValueEntries"],
  required: true,
  key: ["entryNo"],
  columns: [
    { field: "entryNo", name: "Entry No.", kind: "integer", required: true, valueRequired: true },
    { field: "itemNo", name: "Item No.", kind: "code" },
    {
      field: "postingDate",
      name: "Posting Date",
      kind: "date",
      required: true,
      valueRequired: true,
    },
    {
      field: "itemLedgerEntryType",
      name: "Item Ledger Entry Type",
      kind: "option",
      required: true,
      options: OPTIONS.itemLedgerEntryType,
    },
    {
      field: "entryType",
      name: "Entry Type",
      kind: "option",
      required: true,
      options: OPTIONS.entryType,
    },
    {
      field: "varianceType",
      name: "Variance Type",
      kind: "option",
      options: OPTIONS.varianceType,
      requiredWhen: "variance",
      why: "it decides which variance account a Variance entry posts to; read as blank, every Variance entry would be skipped or posted to the wrong account",
    },
    { field: "expectedCost", name: "Expected Cost", kind: "boolean" },
    { field: "inventoriable", name: "Inventoriable", kind: "boolean", blankIs: true },
    {
      field: "locationCode",
      name: "Location Code",
      kind: "code",
      required: true,
      why: "it picks the Inventory Posting Setup row; read as blank, every entry would post to the blank-location setup row",
    },
    {
      field: "inventoryPostingGroup",
      name: "Inventory Posting Group",
      aliases: ["Invt. Posting Group", "Invt. Posting Group Code"],
      kind: "code",
      required: true,
      why: "it picks the Inventory Posting Setup row (BC's Value Entries page does not show it: export the Value Entry table with a configuration package)",
    },
    {
      field: "genBusPostingGroup",
      name: "Gen. Bus. Posting Group",
      kind: "code",
      required: true,
      why: "it picks the General Posting Setup row; read as blank, cost would post to the accounts of the blank business group",
    },
    {
      field: "genProdPostingGroup",
      name: "Gen. Prod. Posting Group",
      kind: "code",
      required: true,
      why: "it picks the General Posting Setup row; read as blank, cost would post to the accounts of the blank product group",
    },
    { field: "sourceType", name: "Source Type", kind: "option", options: OPTIONS.sourceType },
    { field: "sourceNo", name: "Source No.", kind: "code" },
    {
      field: "orderType",
      name: "Order Type",
      kind: "option",
      options: OPTIONS.orderType,
      requiredWhen: "capacity",
      why: "for capacity entries (blank Item Ledger Entry Type) it decides between the production accounts (WIP Inventory) and the assembly ones (Inventory Adjmt.)",
    },
    { field: "orderNo", name: "Order No.", kind: "code" },
    // Copied to per Entry G/L entries, as codeunit 5802 does (rules.md section 6). BC 29 captions the Job
    // fields "Project No." / "Project Task No." (Value Entry table 5802, fields 1000-1001).
    { field: "jobNo", name: "Project No.", aliases: ["Job No."], kind: "code" },
    { field: "jobTaskNo", name: "Project Task No.", aliases: ["Job Task No."], kind: "code" },
    { field: "reasonCode", name: "Reason Code", kind: "code" },
    { field: "documentNo", name: "Document No.", kind: "code" },
    { field: "externalDocumentNo", name: "External Document No.", kind: "code" },
    {
      field: "costAmountActual",
      name: "Cost Amount (Actual)",
      kind: "money",
      required: true,
      why: "it is the cost that posts",
    },
    {
      field: "costAmountExpected",
      name: "Cost Amount (Expected)",
      kind: "money",
      requiredWhen: "expectedCost",
      why: "it is the expected cost that posts to the interim accounts (entries with Expected Cost = Yes, or Expected Cost Posting to G/L on)",
    },
    {
      field: "costPostedToGL",
      name: "Cost Posted to G/L",
      kind: "money",
      required: true,
      why: "it says how much of the cost is already posted; read as blank, cost already posted would post again",
    },
    {
      field: "expectedCostPostedToGL",
      name: "Expected Cost Posted to G/L",
      kind: "money",
      requiredWhen: "expectedCost",
      why: "it says how much expected cost is already posted; read as blank, expected cost already posted would post again",
    },
    {
      field: "costAmountActualACY",
      name: "Cost Amount (Actual) (ACY)",
      kind: "money",
      acy: true,
      requiredWhen: "acy",
      why: ACY_WHY,
    },
    {
      field: "costAmountExpectedACY",
      name: "Cost Amount (Expected) (ACY)",
      kind: "money",
      acy: true,
      requiredWhen: "acy",
      why: ACY_WHY,
    },
    {
      field: "costPostedToGLACY",
      name: "Cost Posted to G/L (ACY)",
      kind: "money",
      acy: true,
      requiredWhen: "acy",
      why: ACY_WHY,
    },
    {
      field: "expCostPostedToGLACY",
      name: "Exp. Cost Posted to G/L (ACY)",
      aliases: ["Expected Cost Posted to G/L (ACY)"],
      kind: "money",
      acy: true,
      requiredWhen: "acy",
      why: ACY_WHY,
    },
    { field: "dimensionSetId", name: "Dimension Set ID", kind: "integer" },
    { field: "globalDimension1Code", name: "Global Dimension 1 Code", kind: "code" },
    { field: "globalDimension2Code", name: "Global Dimension 2 Code", kind: "code" },
    { field: "itemLedgerEntryNo", name: "Item Ledger Entry No.", kind: "integer" },
    { field: "description", name: "Description", kind: "text" },
  ],
};

/** The Value Entries column of a posted field (its caption is the name written for a new column). */
export function postedColumn(field: PostedField): InputColumn {
  return VALUE_ENTRIES.columns.find((c) => c.field === field)!;
}

// ---------------------------------------------------------------------------------------------
// Posting setups

/** Field name of an account column in a setup record: accounts[ordinal]. */
export const accountField = (ordinal: number): string => `account${ordinal}`;

export const INVENTORY_POSTING_SETUP: InputTableSchema = {
  name: "Inventory Posting Setup",
  aliases: ["Inventory Posting Setups", "Invt. Posting Setup"],
  required: true,
  key: ["locationCode", "invtPostingGroupCode"],
  columns: [
    { field: "locationCode", name: "Location Code", kind: "code", required: true },
    {
      field: "invtPostingGroupCode",
      name: "Invt. Posting Group Code",
      aliases: ["Inventory Posting Group Code", "Inventory Posting Group", "Invt. Posting Group"],
      kind: "code",
      required: true,
    },
    ...INVENTORY_SETUP_FIELDS.map((a): InputColumn => ({
      field: accountField(a.ordinal),
      name: a.setupField,
      kind: "code",
    })),
  ],
};

export const GENERAL_POSTING_SETUP: InputTableSchema = {
  name: "General Posting Setup",
  aliases: ["General Posting Setups", "Gen. Posting Setup"],
  required: true,
  key: ["genBusPostingGroup", "genProdPostingGroup"],
  columns: [
    { field: "genBusPostingGroup", name: "Gen. Bus. Posting Group", kind: "code", required: true },
    {
      field: "genProdPostingGroup",
      name: "Gen. Prod. Posting Group",
      kind: "code",
      required: true,
    },
    { field: "blocked", name: "Blocked", kind: "boolean" },
    ...GENERAL_SETUP_FIELDS.map((a): InputColumn => ({
      field: accountField(a.ordinal),
      name: a.setupField,
      kind: "code",
    })),
  ],
};

// ---------------------------------------------------------------------------------------------
// Optional tables

export const ITEMS: InputTableSchema = {
  name: "Items",
  aliases: ["Item"],
  required: false,
  key: ["no"],
  columns: [
    {
      field: "no",
      name: "No.",
      aliases: ["Item No."],
      kind: "code",
      required: true,
      valueRequired: true,
    },
    {
      field: "inventoryPostingGroup",
      name: "Inventory Posting Group",
      aliases: ["Invt. Posting Group"],
      kind: "code",
    },
  ],
};

export const GL_ACCOUNTS: InputTableSchema = {
  name: "G/L Accounts",
  // "accounts": BC's API v2.0 entity set (an OData response names its table by entity set).
  aliases: ["G/L Account", "Chart of Accounts", "accounts"],
  required: false,
  key: ["no"],
  columns: [
    {
      field: "no",
      name: "No.",
      aliases: ["G/L Account No."],
      kind: "code",
      required: true,
      valueRequired: true,
    },
    { field: "name", name: "Name", aliases: ["G/L Account Name"], kind: "text" },
    // Blank reads as Posting (rules.md section 4): read.ts maps the blank option.
    {
      field: "accountType",
      name: "Account Type",
      kind: "option",
      options: new OptionMatcher(["", ...GL_ACCOUNT_TYPES]),
    },
    { field: "blocked", name: "Blocked", kind: "boolean" },
  ],
};

export const DEFAULT_DIMENSIONS: InputTableSchema = {
  name: "Default Dimensions",
  aliases: ["Default Dimension"],
  required: false,
  key: ["no", "dimensionCode"],
  columns: [
    // A BC export holds default dimensions of every table: only Table ID 15 (G/L Account) or blank is read.
    { field: "tableId", name: "Table ID", kind: "integer" },
    { field: "no", name: "No.", aliases: ["G/L Account No."], kind: "code", required: true },
    {
      field: "dimensionCode",
      name: "Dimension Code",
      kind: "code",
      required: true,
      valueRequired: true,
    },
    { field: "dimensionValueCode", name: "Dimension Value Code", kind: "code" },
    { field: "valuePosting", name: "Value Posting", kind: "option", options: OPTIONS.valuePosting },
  ],
};

/** BC's User Setup (table 91): a row for the run's user gives its allowed posting dates (rules.md section 8). */
export const USER_SETUP: InputTableSchema = {
  name: "User Setup",
  aliases: ["User Setups", "91 User Setup"],
  required: false,
  key: ["userId"],
  columns: [
    {
      field: "userId",
      name: "User ID",
      aliases: ["User Name"],
      kind: "code",
      required: true,
      valueRequired: true,
    },
    { field: "allowPostingFrom", name: "Allow Posting From", kind: "date" },
    { field: "allowPostingTo", name: "Allow Posting To", kind: "date" },
  ],
};

/** BC's table no. of G/L Account (Default Dimensions "Table ID"). */
export const GL_ACCOUNT_TABLE_ID = 15;

// ---------------------------------------------------------------------------------------------
// Settings (rules.md section 8)

export type SettingKind = "boolean" | "date" | "precision" | "code";

export interface SettingSpec {
  key: keyof Settings;
  name: string;
  aliases?: readonly string[];
  kind: SettingKind;
}

export const SETTINGS: readonly SettingSpec[] = [
  { key: "expectedCostPostingToGL", name: "Expected Cost Posting to G/L", kind: "boolean" },
  { key: "allowPostingFrom", name: "Allow Posting From", kind: "date" },
  { key: "allowPostingTo", name: "Allow Posting To", kind: "date" },
  { key: "amountRoundingPrecision", name: "Amount Rounding Precision", kind: "precision" },
  { key: "automaticCostPosting", name: "Automatic Cost Posting", kind: "boolean" },
  // Source Code Setup calls the field "Inventory Post Cost".
  { key: "sourceCode", name: "Source Code", aliases: ["Inventory Post Cost"], kind: "code" },
  { key: "additionalReportingCurrency", name: "Additional Reporting Currency", kind: "code" },
  {
    key: "includeNonInventoryCostInProduction",
    name: "Include Non-Inventory Cost in Production",
    aliases: ["Include Non-Inventory Cost to Production", "Inc. Non. Inv. Cost To Prod"],
    kind: "boolean",
  },
  { key: "globalDimension1Code", name: "Global Dimension 1 Code", kind: "code" },
  { key: "globalDimension2Code", name: "Global Dimension 2 Code", kind: "code" },
];

/** The two-column Settings table. */
export const SETTINGS_TABLE = {
  name: "Settings",
  aliases: ["Setting"] as readonly string[],
  settingColumn: {
    name: "Setting",
    aliases: ["Name", "Field", "Setting Name"] as readonly string[],
  },
  valueColumn: { name: "Value", aliases: ["Setting Value"] as readonly string[] },
};

/** One-record BC setup exports (fields as columns); both are read when present. */
export const SETUP_RECORD_TABLES = [
  { name: "Inventory Setup", aliases: [] as readonly string[] },
  {
    name: "General Ledger Setup",
    aliases: ["G/L Setup", "General Ledger Setups"] as readonly string[],
  },
] as const;

/** All input tables in reading order (after the settings). */
export const INPUT_TABLES: readonly InputTableSchema[] = [
  VALUE_ENTRIES,
  INVENTORY_POSTING_SETUP,
  GENERAL_POSTING_SETUP,
  ITEMS,
  GL_ACCOUNTS,
  DEFAULT_DIMENSIONS,
  USER_SETUP,
];
