/**
 * glpost init (issue 12): the tables of a new workbook, from the input schema (workbook/schema.ts): every
 * input table empty with its columns, Settings with the defaults, and a README table saying what goes where,
 * which columns are required and how to get each table out of Business Central. The adapters write these
 * as replace writes into an empty workbook, so an .xlsx gets formatted Excel tables, a folder CSV files
 * and a .json file arrays (an empty JSON array has no columns: README lists them there).
 */
import { DEFAULT_SETTINGS } from "../engine/types";
import { findTable } from "../workbook/names";
import type {
  CellValue,
  ColumnSpec,
  OutputTableNames,
  ReplaceWrite,
  WorkbookPort,
} from "../workbook/port";
import {
  DEFAULT_DIMENSIONS,
  GENERAL_POSTING_SETUP,
  GL_ACCOUNTS,
  INPUT_TABLES,
  INVENTORY_POSTING_SETUP,
  ITEMS,
  SETTINGS,
  SETTINGS_TABLE,
  USER_SETUP,
  VALUE_ENTRIES,
  type InputColumn,
  type InputTableSchema,
  type RequiredWhen,
} from "../workbook/schema";

/** Where each table comes from in Business Central: the table no. (configuration package) and the page (Edit in Excel). */
const FROM_BC: ReadonlyMap<InputTableSchema, { table: string; page: string }> = new Map([
  [
    VALUE_ENTRIES,
    {
      table: "5802 Value Entry",
      page: "Value Entries (page 5802; it does not show Inventory Posting Group and the posting groups: use the configuration package, or show the hidden columns)",
    },
  ],
  [
    INVENTORY_POSTING_SETUP,
    { table: "5813 Inventory Posting Setup", page: "Inventory Posting Setup (page 5826)" },
  ],
  [
    GENERAL_POSTING_SETUP,
    { table: "252 General Posting Setup", page: "General Posting Setup (page 314)" },
  ],
  [ITEMS, { table: "27 Item", page: "Items (page 31)" }],
  [GL_ACCOUNTS, { table: "15 G/L Account", page: "Chart of Accounts (page 16)" }],
  [
    DEFAULT_DIMENSIONS,
    {
      table: "352 Default Dimension (rows of Table ID 15)",
      page: "Default Dimensions of a G/L account (page 540)",
    },
  ],
  [USER_SETUP, { table: "91 User Setup", page: "User Setup (page 119)" }],
]);

const WHAT: ReadonlyMap<InputTableSchema, string> = new Map([
  [
    VALUE_ENTRIES,
    "The value entries to post: one row per value entry. The run writes Cost Posted to G/L (and Expected Cost Posted to G/L) back into it.",
  ],
  [
    INVENTORY_POSTING_SETUP,
    "One row per Location Code and Invt. Posting Group Code: the inventory accounts.",
  ],
  [
    GENERAL_POSTING_SETUP,
    "One row per Gen. Bus. and Gen. Prod. Posting Group: the COGS, variance, applied and adjustment accounts.",
  ],
  [ITEMS, "Optional: No. and Inventory Posting Group of the items (the WIP account rule uses it)."],
  [
    GL_ACCOUNTS,
    "Optional: the chart of accounts; when present, accounts are checked and names shown beside numbers.",
  ],
  [DEFAULT_DIMENSIONS, "Optional: default dimensions of G/L accounts, checked by the test report."],
  [USER_SETUP, "Optional: a row for the posting user gives its allowed posting dates."],
]);

const WHEN: Record<RequiredWhen, string> = {
  expectedCost:
    "required when any entry has Expected Cost = Yes or Expected Cost Posting to G/L is Yes",
  variance: "required when any entry is a Variance entry",
  capacity: "required when any entry has a blank Item Ledger Entry Type (capacity)",
  acy: "required when an Additional Reporting Currency is set",
};

function format(c: InputColumn): ColumnSpec["format"] {
  return c.kind === "integer" || c.kind === "money" || c.kind === "date" || c.kind === "boolean"
    ? c.kind
    : "text";
}

/** The names a new input table takes: sheet and CSV names without '/', the table name without spaces. */
function tableNames(name: string): OutputTableNames {
  const plain = name.replace(/\//g, "");
  return {
    name,
    sheetName: plain,
    excelTableName: plain.replace(/[^A-Za-z0-9]/g, ""),
    csvName: plain,
  };
}

const README_TABLE_NAMES: OutputTableNames = {
  name: "README",
  sheetName: "README",
  excelTableName: "README",
  csvName: "README",
};
const README_COLUMNS: ColumnSpec[] = [
  { name: "Table", format: "text" },
  { name: "Column", format: "text" },
  { name: "Required", format: "text" },
  { name: "What goes here", format: "text" },
];

function required(t: InputTableSchema, c: InputColumn): string {
  if (c.required) return c.valueRequired ? "Yes (every row needs a value)" : "Yes";
  if (c.requiredWhen) return `When: ${WHEN[c.requiredWhen]}`;
  return "";
}

/** The README rows: how to start, then one row per table (where it comes from) and one per column. */
function readmeRows(): CellValue[][] {
  const rows: CellValue[][] = [
    [
      "",
      "",
      "",
      "Paste your Business Central data into the tables of this workbook, then run: glpost check <this workbook> --method entry (the test report), and glpost post <this workbook> --method entry (or --document-no <no> to post per Posting Group).",
    ],
    [
      "",
      "",
      "",
      "Get each table out of Business Central with a configuration package (Configuration Packages, add the table no. below, Export to Excel) or with Edit in Excel on its page (show the hidden columns first: Personalize, add the columns marked Required).",
    ],
    [
      "",
      "",
      "",
      "Column names match loosely (Cost Amount (Actual), Cost_Amount_Actual and costAmountActual are one column); extra columns are kept. A missing required column is an input error that names it.",
    ],
    [
      "",
      "",
      "",
      "Required tables: Value Entries, Inventory Posting Setup, General Posting Setup. The others are optional. The run adds G/L Entries, G/L - Item Ledger Relation, G/L Registers, Skipped Entries and Run Summary.",
    ],
  ];
  for (const t of INPUT_TABLES) {
    const bc = FROM_BC.get(t)!;
    rows.push([
      t.name,
      "",
      t.required ? "Required table" : "Optional table",
      `${WHAT.get(t)} From Business Central: table ${bc.table} (configuration package), or Edit in Excel on ${bc.page}.`,
    ]);
    for (const c of t.columns)
      rows.push([t.name, c.name, required(t, c), c.why ? `Needed because ${c.why}.` : ""]);
  }
  rows.push([
    SETTINGS_TABLE.name,
    "",
    "Optional table",
    "Setting and Value: the posting settings with their defaults (Inventory Setup table 313, General Ledger Setup table 98, Source Code Setup). Date Order: dmy, mdy, ymd or blank (auto) for slashed dates.",
  ]);
  return rows;
}

/** The Settings rows with the defaults (rules.md section 8) as the Settings reader reads them back. */
function defaultSettingsRows(): CellValue[][] {
  const rows: CellValue[][] = SETTINGS.map((s): CellValue[] => {
    const v = DEFAULT_SETTINGS[s.key];
    return [s.name, typeof v === "boolean" ? (v ? "Yes" : "No") : v === null ? null : String(v)];
  });
  rows.push(["Date Order", "auto"]);
  return rows;
}

/** An input table with its columns and no rows. */
function emptyTableWrite(t: InputTableSchema): ReplaceWrite {
  return {
    kind: "replace",
    names: tableNames(t.name),
    columns: t.columns.map((c) => ({ name: c.name, format: format(c) })),
    rows: [],
  };
}

/** The writes that make a new workbook: the input tables (no rows), Settings, README. */
export function initWrites(): ReplaceWrite[] {
  const writes: ReplaceWrite[] = INPUT_TABLES.map(emptyTableWrite);
  writes.push({
    kind: "replace",
    names: tableNames(SETTINGS_TABLE.name),
    columns: [
      { name: SETTINGS_TABLE.settingColumn.name, format: "text" },
      { name: SETTINGS_TABLE.valueColumn.name, format: "text" },
    ],
    rows: defaultSettingsRows(),
  });
  writes.push({
    kind: "replace",
    names: README_TABLE_NAMES,
    columns: README_COLUMNS,
    rows: readmeRows(),
  });
  return writes;
}

/**
 * The required input tables a workbook lacks, created empty with their columns (the task pane's "Create the
 * missing tables", instead of errors that lead nowhere). Returns the captions created; nothing when none is missing.
 */
export async function createMissingTables(port: WorkbookPort): Promise<string[]> {
  const tables = await port.listTables();
  const missing = INPUT_TABLES.filter(
    (t) => t.required && findTable(tables, t.name, t.aliases) === undefined
  );
  if (missing.length > 0) await port.write(missing.map(emptyTableWrite), null);
  return missing.map((t) => t.name);
}
