import type { GLEntryList, GLEntryTable } from "./glEntryTable";

/**
 * Plain data in and out of the posting engine. Captions are Business Central's, as rules.md spells them.
 * The engine is pure: no Office.js, no file or network I/O; adapters turn workbooks into these types.
 */

/** A calendar date as days since 1970-01-01 (UTC). Excel serial = DayNumber + 25569. */
export type DayNumber = number;

/**
 * Money as an integer count of minor units (10^-decimals of the Amount Rounding Precision, see money.ts).
 * Integers below 2^53 add exactly in a double; the run checks that bound (money.ts, assertExact).
 */
export type Money = number;

export const ITEM_LEDGER_ENTRY_TYPES = [
  "",
  "Purchase",
  "Sale",
  "Positive Adjmt.",
  "Negative Adjmt.",
  "Transfer",
  "Consumption",
  "Output",
  "Assembly Consumption",
  "Assembly Output",
] as const;
export type ItemLedgerEntryType = (typeof ITEM_LEDGER_ENTRY_TYPES)[number];

/** BC's enum 104 "Cost Entry Type" in ordinal order (0-5, 10). Total never posts (INVALID_COMBINATION). */
export const ENTRY_TYPES = [
  "Direct Cost",
  "Revaluation",
  "Rounding",
  "Indirect Cost",
  "Variance",
  "Total",
  "Direct Cost - Non Inventory",
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export const VARIANCE_TYPES = [
  "",
  "Purchase",
  "Material",
  "Capacity",
  "Capacity Overhead",
  "Manufacturing Overhead",
  "Subcontracted",
  "Material - Non Inventory",
] as const;
export type VarianceType = (typeof VARIANCE_TYPES)[number];

export const ORDER_TYPES = ["", "Production", "Transfer", "Service", "Assembly"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const SOURCE_TYPES = ["", "Customer", "Vendor", "Item"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const GL_ACCOUNT_TYPES = [
  "Posting",
  "Heading",
  "Total",
  "Begin-Total",
  "End-Total",
] as const;
export type GLAccountType = (typeof GL_ACCOUNT_TYPES)[number];

export const VALUE_POSTINGS = ["", "Code Mandatory", "Same Code", "No Code"] as const;
export type ValuePosting = (typeof VALUE_POSTINGS)[number];

export type PostingMethod = "per Entry" | "per Posting Group";

export interface ValueEntry {
  entryNo: number;
  itemNo: string;
  postingDate: DayNumber;
  itemLedgerEntryType: ItemLedgerEntryType;
  entryType: EntryType;
  varianceType: VarianceType;
  expectedCost: boolean;
  inventoriable: boolean;
  locationCode: string;
  inventoryPostingGroup: string;
  genBusPostingGroup: string;
  genProdPostingGroup: string;
  sourceType: SourceType;
  sourceNo: string;
  orderType: OrderType;
  orderNo: string;
  documentNo: string;
  externalDocumentNo: string;
  costAmountActual: Money;
  costAmountExpected: Money;
  costPostedToGL: Money;
  expectedCostPostedToGL: Money;
  costAmountActualACY: Money;
  costAmountExpectedACY: Money;
  costPostedToGLACY: Money;
  expCostPostedToGLACY: Money;
  dimensionSetId: number;
  globalDimension1Code: string;
  globalDimension2Code: string;
  itemLedgerEntryNo: number;
  description: string;
  /**
   * Copied to per Entry G/L entries (codeunit 5802 PostInvtPostBufInitGenJnlLine); '' when the input lacks them.
   * Optional so that hand-built entries need not name them; emptyValueEntry() and the reader set them.
   */
  jobNo?: string;
  jobTaskNo?: string;
  reasonCode?: string;
}

/** A value entry with every field blank or 0 (Inventoriable = Yes, as a blank cell reads). */
export function emptyValueEntry(): ValueEntry {
  return {
    entryNo: 0,
    itemNo: "",
    postingDate: 0,
    itemLedgerEntryType: "",
    entryType: "Direct Cost",
    varianceType: "",
    expectedCost: false,
    inventoriable: true,
    locationCode: "",
    inventoryPostingGroup: "",
    genBusPostingGroup: "",
    genProdPostingGroup: "",
    sourceType: "",
    sourceNo: "",
    orderType: "",
    orderNo: "",
    documentNo: "",
    externalDocumentNo: "",
    costAmountActual: 0,
    costAmountExpected: 0,
    costPostedToGL: 0,
    expectedCostPostedToGL: 0,
    costAmountActualACY: 0,
    costAmountExpectedACY: 0,
    costPostedToGLACY: 0,
    expCostPostedToGLACY: 0,
    dimensionSetId: 0,
    globalDimension1Code: "",
    globalDimension2Code: "",
    itemLedgerEntryNo: 0,
    description: "",
    // undefined (read as ''), not '': an entry of an input without these columns has no such values.
    jobNo: undefined,
    jobTaskNo: undefined,
    reasonCode: undefined,
  };
}

/** Keyed by (Location Code, Invt. Posting Group Code). accounts[accountType ordinal] = G/L account no. or ''. */
export interface InventoryPostingSetup {
  locationCode: string;
  invtPostingGroupCode: string;
  accounts: string[];
}

/** Keyed by (Gen. Bus. Posting Group, Gen. Prod. Posting Group). accounts as in InventoryPostingSetup. */
export interface GeneralPostingSetup {
  genBusPostingGroup: string;
  genProdPostingGroup: string;
  blocked: boolean;
  accounts: string[];
}

export interface Item {
  no: string;
  inventoryPostingGroup: string;
}

export interface GLAccount {
  no: string;
  name: string;
  accountType: GLAccountType;
  blocked: boolean;
}

export interface DefaultDimension {
  /** G/L account no. */
  no: string;
  dimensionCode: string;
  dimensionValueCode: string;
  valuePosting: ValuePosting;
}

/** rules.md section 8 (and the global dimension codes of the General Ledger Setup, for dimension checks). */
export interface Settings {
  expectedCostPostingToGL: boolean;
  allowPostingFrom: DayNumber | null;
  allowPostingTo: DayNumber | null;
  /** Decimal text, e.g. "0.01". */
  amountRoundingPrecision: string;
  automaticCostPosting: boolean;
  sourceCode: string;
  /** Currency code, '' = none (ACY columns ignored). */
  additionalReportingCurrency: string;
  includeNonInventoryCostInProduction: boolean;
  /** Dimension codes of Global Dimension 1 and 2 (General Ledger Setup); '' = unknown. */
  globalDimension1Code: string;
  globalDimension2Code: string;
}

export const DEFAULT_SETTINGS: Settings = {
  expectedCostPostingToGL: false,
  allowPostingFrom: null,
  allowPostingTo: null,
  amountRoundingPrecision: "0.01",
  automaticCostPosting: false,
  sourceCode: "INVTPCOST",
  additionalReportingCurrency: "",
  includeNonInventoryCostInProduction: false,
  globalDimension1Code: "",
  globalDimension2Code: "",
};

/** What already exists in the G/L of the workbook: numbering continues after it. */
export interface ExistingLedger {
  lastGLEntryNo: number;
  lastTransactionNo: number;
  lastRegisterNo: number;
}

export interface PostingInput {
  valueEntries: ValueEntry[];
  inventoryPostingSetup: InventoryPostingSetup[];
  generalPostingSetup: GeneralPostingSetup[];
  /** null when the workbook has no Items table. */
  items: Item[] | null;
  /** null when the workbook has no G/L Accounts table (accounts are then not checked). */
  glAccounts: GLAccount[] | null;
  defaultDimensions: DefaultDimension[];
  settings: Settings;
  existing: ExistingLedger;
  /** The User Setup table's rows (absent or null when the workbook has none): per-user allowed posting dates. */
  userSetup?: UserSetup[] | null;
}

/** A User Setup row (BC table 91): its posting window takes precedence over settings 2-3 for that user. */
export interface UserSetup {
  userId: string;
  allowPostingFrom: DayNumber | null;
  allowPostingTo: DayNumber | null;
}

export interface RunOptions {
  postingMethod: PostingMethod;
  /** The run's Document No. (per Posting Group: required; per Entry: must be blank). */
  documentNo: string;
  /** false = dry run: compute everything, write only the test report and Skipped Entries. */
  post: boolean;
  /** BC filter syntax subset (filters.ts); '' = no filter. */
  itemFilter: string;
  dateFilter: string;
  /** Creation date and time of the register (the engine never reads a clock). */
  now: { date: DayNumber; time: string };
  userId: string;
  /** Only these value entries take part (Automatic Cost Posting); the others are filtered out. */
  entryNos?: ReadonlySet<number>;
  /**
   * 'override' (a posting run, as BC): lines carry the entry's dimensions even where a Default Dimensions rule
   * rejects them, and the run counts them. 'enforce' (Automatic Cost Posting, rules.md section 8): a broken
   * rule is a problem of the entry (DIMENSION_RULE), which then stays unposted.
   */
  dimensionRules?: "override" | "enforce";
}

// ---------------------------------------------------------------------------------------------
// Results

/** Account types of rules.md section 1, by ordinal (accountTypes.ts has captions and setup fields). */
export type AccountTypeOrdinal = number;

export interface GLEntry {
  entryNo: number;
  postingDate: DayNumber;
  documentNo: string;
  externalDocumentNo: string;
  glAccountNo: string;
  /** From the G/L Accounts table when present, else ''. */
  glAccountName: string;
  description: string;
  amount: Money;
  additionalCurrencyAmount: Money;
  sourceCode: string;
  systemCreatedEntry: boolean;
  transactionNo: number;
  glRegisterNo: number;
  inventoryAccountType: AccountTypeOrdinal;
  balAccountType: AccountTypeOrdinal;
  locationCode: string;
  inventoryPostingGroup: string;
  genBusPostingGroup: string;
  genProdPostingGroup: string;
  dimensionSetId: number;
  globalDimension1Code: string;
  globalDimension2Code: string;
  /** per Entry: the value entry's Job No., Job Task No., Reason Code; Prod. Order No. = its Order No. for Order Type Production. per Posting Group: ''. */
  jobNo?: string;
  jobTaskNo?: string;
  reasonCode?: string;
  prodOrderNo?: string;
}

export interface GLItemLedgerRelation {
  glEntryNo: number;
  valueEntryNo: number;
  glRegisterNo: number;
}

/**
 * The G/L - Item Ledger Relation rows of a run, column-wise: a per Posting Group run over a million
 * entries has millions of them, and plain number arrays keep that cheap. Row i is
 * (glEntryNo[i], valueEntryNo[i], glRegisterNo).
 */
export interface GLItemLedgerRelations {
  glRegisterNo: number;
  glEntryNo: number[];
  valueEntryNo: number[];
}

export interface GLRegister {
  no: number;
  fromEntryNo: number;
  toEntryNo: number;
  creationDate: DayNumber;
  creationTime: string;
  sourceCode: string;
  userId: string;
  postingMethod: PostingMethod;
  documentNo: string;
  entriesPosted: number;
  entriesSkipped: number;
  /** Sum of debits (LCY). */
  amountPosted: Money;
  inputFingerprint: string;
}

/** postedParts bits: which pairs of an entry posted (rules.md section 3: what the posted columns record). */
export const POSTED_ACTUAL = 1;
export const POSTED_EXPECTED = 2;

/** New values of a posted entry's posted columns (rules.md section 3); valueEntryUpdates() derives them. */
export interface ValueEntryUpdate {
  /** Index into PostingInput.valueEntries. */
  index: number;
  costPostedToGL: Money;
  expectedCostPostedToGL: Money;
  costPostedToGLACY: Money;
  expCostPostedToGLACY: Money;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the one list of the codes; SkipReasonCode is derived from it
const SKIP_REASON_CODES = [
  "INVALID_COMBINATION",
  "EXPECTED_ON_WRONG_TYPE",
  "EXPECTED_COST_POSTING_OFF",
  "POSTING_DATE_NOT_ALLOWED",
  "INVENTORY_POSTING_SETUP_MISSING",
  "GENERAL_POSTING_SETUP_MISSING",
  "GENERAL_POSTING_SETUP_BLOCKED",
  "ACCOUNT_MISSING",
  "GL_ACCOUNT_NOT_FOUND",
  "GL_ACCOUNT_BLOCKED",
  "GL_ACCOUNT_NOT_POSTING",
  // Only with dimension rules enforced (Automatic Cost Posting); a posting run overrides them.
  "DIMENSION_RULE",
] as const;
export type SkipReasonCode = (typeof SKIP_REASON_CODES)[number];

/** One problem found for an entry or one of its lines. */
export interface Problem {
  code: SkipReasonCode;
  /** Readable text, in BC's wording where BC has one (report 1003); the test report shows it as is. */
  text: string;
  /** More context for the Skipped Entries reason (after text), where BC's sentence alone says too little. */
  detail?: string;
  /** What to change, naming the setup table, row and field. */
  howToFix: string;
  /** The setup row the problem names (it may be missing), for a link to it. */
  setupRow?: SetupRowRef;
}

/** A setup row by its key: Inventory Posting Setup (Location Code, Invt. Posting Group Code) or General Posting Setup. */
export interface SetupRowRef {
  table: "Inventory Posting Setup" | "General Posting Setup";
  columns: [string, string];
  values: [string, string];
}

export interface SkippedEntry {
  /** Index into PostingInput.valueEntries. */
  index: number;
  valueEntryNo: number;
  /** Inventory Posting Group as used (the entry's own). */
  reasonCode: SkipReasonCode;
  /** Every problem found, joined. */
  reason: string;
  howToFix: string;
  problems: Problem[];
  /** The cost not yet posted: actual difference plus expected difference (when expected cost posting is on). */
  costAmount: Money;
}

export type Outcome = "posted" | "alreadyPosted" | "ignored" | "skipped" | "filteredOut";

export interface OutcomeCounts {
  posted: number;
  alreadyPosted: number;
  ignored: number;
  skipped: number;
  filteredOut: number;
}

/** One line of the test report (rules.md section 7): a line that would post, with every warning. */
export interface TestReportLine {
  postingDate: DayNumber;
  documentNo: string;
  description: string;
  /** '' when it cannot be determined (missing setup or account). */
  glAccountNo: string;
  amount: Money;
  additionalCurrencyAmount: Money;
  /** The value entry; 0 for a merged per Posting Group line (as BC's test buffer has it): see valueEntryNos. */
  valueEntryNo: number;
  /** Every value entry the line comes from, in entry order. */
  valueEntryNos?: number[];
  /** null for an entry with no row in the account matrix. */
  inventoryAccountType: AccountTypeOrdinal | null;
  /** "BLUE,RESALE" (Inventory Posting Setup) or "DOMESTIC,RETAIL" (General Posting Setup), as the account type reads. */
  setupKey: string;
  warnings: string[];
}

/** The G/L entries of a result by position: its table when it has one, else its objects. */
export function glEntryList(r: Pick<PostingResult, "glEntries" | "glEntryTable">): GLEntryList {
  return r.glEntryTable ?? r.glEntries;
}

export interface PostingResult {
  options: RunOptions;
  /**
   * The G/L entries the run posts (for a dry run: would post; options.post tells adapters whether to write).
   * On an engine result these objects are made from glEntryTable on first use; what is written and checked
   * is the table (glEntryList()), so changing an object here changes nothing.
   */
  glEntries: GLEntry[];
  /** The same G/L entries as columns (the engine's results have it; hand-made results may not). */
  glEntryTable?: GLEntryTable;
  relations: GLItemLedgerRelations;
  /** null when nothing posts. */
  register: GLRegister | null;
  /**
   * Per value entry (index into PostingInput.valueEntries): which parts posted, POSTED_ACTUAL | POSTED_EXPECTED,
   * 0 when the entry did not post. One byte per entry instead of an object per posted entry; the new posted
   * column values follow from it (valueEntryUpdates() in post.ts).
   */
  postedParts: Uint8Array;
  skipped: SkippedEntry[];
  outcomes: Outcome[];
  counts: OutcomeCounts;
  totals: { debit: Money; credit: Money; debitACY: Money; creditACY: Money };
  /** LCY posted per account type ordinal, over every line posted (report 1002 sums these; see reportAmounts()). */
  amountByAccountType?: Money[];
  overriddenDimensionErrors: number;
}
