/**
 * Acceptance (issue 7, "Read BC's shapes unedited"): the bike-chain example exported the ways Business Central
 * exports it, read unedited by `glpost post`, posts exactly the G/L entries the same data posts in the sample's
 * own shape (a CSV folder, itself checked against the spec's worked example by examples.test.ts):
 * - Edit in Excel / Open in Excel of the pages: sheets named by page caption holding an Excel table "Table1",
 *   or tables named by page; page captions (global dimensions as "Department Code" / "Project Code");
 * - a configuration package (RapidStart Export to Excel): first sheet by table caption, later ones
 *   "<table id> <caption>", package info in row 1, header in row 3 inside an Excel table, every value text;
 * - OData v4 responses: a folder of one response per table (page web services and API v2.0 accounts/items,
 *   entity sets in @odata.context, enums encoded `Direct_x0020_Cost`, @odata.etag), and one JSON object
 *   holding tables by entity set;
 * - a query-based ValueEntries response (no Entry Type, no posting groups) is refused naming what is missing.
 * The example has no dimensions, so each shape adds the same global dimensions (DEPARTMENT, PROJECT) and
 * Dimension Set IDs: the G/L entries must carry them too. Fixtures are built here from the example's CSV files
 * and BC's captions and field names (tables 5802, 5813, 252, 15, 27, 98, 313).
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { MemoryWorkbook } from "../workbook/memory";
import { readPostingInput } from "../../src/workbook/read";
import { formatInputError } from "../../src/workbook/inputErrors";
import { entitySetOf } from "../../src/files/jsonShapes";
import { ACCOUNT_TYPES } from "../../src/engine/accountTypes";
import { cents, csvRecords, EXAMPLES, readTable, tempDir, type Row } from "./formats";

async function glpost(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    tty: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A run that must be done (exit 0); otherwise fails with what glpost said. */
async function posted(...argv: string[]) {
  const r = await glpost(...argv);
  if (r.code !== 0) throw new Error(`glpost ${argv.join(" ")} exited ${r.code}:\n${r.stderr}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The example's data, with dimensions

const BIKE = path.join(EXAMPLES, "bike-chain");
const load = (table: string): Row[] => csvRecords(path.join(BIKE, `${table}.csv`));

/** Per value entry: Department, Project, Dimension Set ID (one set ID per combination). */
function dimsOf(entryNo: number): [string, string, string] {
  if (entryNo === 5 || entryNo === 6) return ["SALES", "TOURING", "22"];
  if (entryNo >= 10 && entryNo <= 13) return ["PROD", "PO101", "23"];
  if (entryNo === 14) return ["ADM", "", "24"];
  return ["PROD", "", "21"];
}

const VALUE_ENTRIES: Row[] = load("Value Entries").map((r) => {
  const [d1, d2, set] = dimsOf(Number(r["Entry No."]));
  return {
    ...r,
    "Global Dimension 1 Code": d1,
    "Global Dimension 2 Code": d2,
    "Dimension Set ID": set,
  };
});
const INVENTORY_POSTING_SETUP = load("Inventory Posting Setup");
const GENERAL_POSTING_SETUP = load("General Posting Setup");
const GL_ACCOUNTS = load("GL Accounts");
const ITEMS = load("Items");
/** The example's settings as one record (field -> value), plus the global dimensions. */
const SETTINGS: Record<string, string> = {
  ...Object.fromEntries(load("Settings").map((r) => [r["Setting"], r["Value"]])),
  "Global Dimension 1 Code": "DEPARTMENT",
  "Global Dimension 2 Code": "PROJECT",
};
const GL_SETUP_FIELDS = [
  "Allow Posting From",
  "Allow Posting To",
  "Global Dimension 1 Code",
  "Global Dimension 2 Code",
  "Amount Rounding Precision",
];
const INVENTORY_SETUP_FIELDS = ["Automatic Cost Posting", "Expected Cost Posting to G/L"];
const settingValue = (f: string) => SETTINGS[f] ?? (f === "Automatic Cost Posting" ? "No" : "");

const AMOUNT =
  /^(Cost Amount|Cost Posted|Expected Cost Posted|Standard Cost|Overhead Rate|Sales Amount|Valued Quantity|Amount Rounding)/;
const INTEGER = /^(Entry No\.|Dimension Set ID)$/;
const DATE = /Date$|^Allow Posting/;
const BOOLEAN = /^(Expected Cost|Blocked|Automatic Cost Posting|Expected Cost Posting to G\/L)$/;
const OPTION =
  /^(Item Ledger Entry Type|Entry Type|Variance Type|Source Type|Order Type|Account Type)$/;

/** A cell as Excel holds it after Edit in Excel: numbers, dates, booleans typed; text otherwise. */
function typed(column: string, v: string): ExcelJS.CellValue {
  if (v === "") return null;
  if (AMOUNT.test(column) || INTEGER.test(column)) return Number(v);
  if (DATE.test(column)) return new Date(`${v}T00:00:00Z`);
  if (BOOLEAN.test(column)) return /^yes$/i.test(v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The sample's shape: the expected side

const GL_FIELDS = [
  "Entry No.",
  "Posting Date",
  "Document No.",
  "G/L Account No.",
  "G/L Account Name",
  "Description",
  "Transaction No.",
  "Inventory Account Type",
  "Bal. Account Type",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Dimension Set ID",
  "Global Dimension 1 Code",
  "Global Dimension 2 Code",
];

/** G/L entries as comparable tuples: the fields above as text, the amount in cents. */
function glTuples(rows: Row[]): (string | number)[][] {
  return rows.map((r) => [...GL_FIELDS.map((f) => r[f] ?? ""), cents(r["Amount"])]);
}

function writeCsv(dir: string, name: string, rows: Row[]): void {
  const header = Object.keys(rows[0]);
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  fs.writeFileSync(
    path.join(dir, `${name}.csv`),
    [header.join(","), ...rows.map((r) => header.map((h) => q(r[h] ?? "")).join(","))].join("\n") +
      "\n"
  );
}

interface Outcome {
  gl: (string | number)[][];
  /** Cost Posted to G/L and Expected Cost Posted to G/L per Entry No., in cents. */
  posted: Map<string, [number, number]>;
}

const expectedRuns = new Map<string, Promise<Outcome>>();
/** The sample's shape (a CSV folder of the example plus the dimensions), posted with the given arguments. */
function expected(...args: string[]): Promise<Outcome> {
  const key = args.join(" ");
  if (!expectedRuns.has(key))
    expectedRuns.set(
      key,
      (async () => {
        const dir = tempDir("bc-expected-");
        writeCsv(dir, "Value Entries", VALUE_ENTRIES);
        writeCsv(dir, "Inventory Posting Setup", INVENTORY_POSTING_SETUP);
        writeCsv(dir, "General Posting Setup", GENERAL_POSTING_SETUP);
        writeCsv(dir, "GL Accounts", GL_ACCOUNTS);
        writeCsv(dir, "Items", ITEMS);
        writeCsv(
          dir,
          "Settings",
          Object.entries(SETTINGS).map(([Setting, Value]) => ({ Setting, Value }))
        );
        await posted("post", dir, ...args, "--json");
        const gl = glTuples(await readTable(dir, "csv", "G/L Entries"));
        const postedColumns = new Map(
          csvRecords(path.join(dir, "Value Entries.csv")).map((v) => [
            v["Entry No."],
            [cents(v["Cost Posted to G/L"]), cents(v["Expected Cost Posted to G/L"])] as [
              number,
              number,
            ],
          ])
        );
        return { gl, posted: postedColumns };
      })()
    );
  return expectedRuns.get(key)!;
}

test("the expected side carries the dimensions and posts the 34 documented G/L entries", async () => {
  const { gl } = await expected("--method", "entry");
  expect(gl).toHaveLength(34);
  const dim = (i: number) =>
    gl[i].slice(
      GL_FIELDS.indexOf("Dimension Set ID"),
      GL_FIELDS.indexOf("Global Dimension 2 Code") + 1
    );
  // Entry 5 (the shipped chain) is the first SALES/TOURING one: G/L entries 11 and 12.
  expect(dim(10)).toEqual(["22", "SALES", "TOURING"]);
  expect(dim(0)).toEqual(["21", "PROD", ""]);
});

// ---------------------------------------------------------------------------------------------
// Reading what a BC-shaped run wrote (independently of the adapters)

const loose = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "object" && "result" in v)
    return cellText((v as { result: ExcelJS.CellValue }).result);
  if (typeof v === "object" && "richText" in v)
    return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
  return String(v);
}

/** Records of the sheet named `sheet` (loosely), the header being the first row holding `firstColumn`. */
async function xlsxRecords(file: string, sheet: string, firstColumn: string): Promise<Row[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets.find((w) => loose(w.name) === loose(sheet));
  if (!ws) throw new Error(`no sheet ${sheet} in ${file}`);
  let headerRow = 0;
  for (let r = 1; r <= ws.rowCount && headerRow === 0; r++)
    ws.getRow(r).eachCell((c) => void (cellText(c.value) === firstColumn && (headerRow = r)));
  const header: string[] = [];
  ws.getRow(headerRow).eachCell(
    { includeEmpty: true },
    (c, col) => (header[col - 1] = cellText(c.value))
  );
  const out: Row[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const rec: Row = {};
    let any = false;
    header.forEach((h, i) => {
      const t = cellText(ws.getRow(r).getCell(i + 1).value);
      if (t !== "") any = true;
      rec[h] = t;
    });
    if (any) out.push(rec);
  }
  return out;
}

function jsonText(v: unknown): string {
  return v === null || v === undefined
    ? ""
    : typeof v === "boolean"
      ? v
        ? "Yes"
        : "No"
      : String(v);
}
const jsonRows = (records: Record<string, unknown>[]): Row[] =>
  records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonText(v)])));

/** Posted columns per Entry No. from records whose columns are named in any of BC's spellings. */
function postedOf(rows: Row[]): Map<string, [number, number]> {
  const col = (r: Row, name: string) =>
    r[Object.keys(r).find((k) => loose(k) === loose(name))!] ?? "";
  return new Map(
    rows.map((r) => [
      col(r, "Entry No."),
      [
        cents(col(r, "Cost Posted to G/L") || "0"),
        cents(col(r, "Expected Cost Posted to G/L") || "0"),
      ] as [number, number],
    ])
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Edit in Excel / Open in Excel of BC's pages

/** The Value Entries page (5802) columns as BC captions them; global dimensions under the dimensions' captions. */
const PAGE_CAPTION: Record<string, string> = {
  "Global Dimension 1 Code": "Department Code",
  "Global Dimension 2 Code": "Project Code",
};
const PAGE_VALUE_ENTRY_COLUMNS = [
  "Posting Date",
  "Item Ledger Entry Type",
  "Entry Type",
  "Variance Type",
  "Expected Cost",
  "Document No.",
  "Item No.",
  "Description",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Source Type",
  "Source No.",
  "Order Type",
  "Order No.",
  "Valued Quantity",
  "Cost Amount (Actual)",
  "Cost Posted to G/L",
  "Cost Amount (Expected)",
  "Expected Cost Posted to G/L",
  "Sales Amount (Actual)",
  "Global Dimension 1 Code",
  "Global Dimension 2 Code",
  "Dimension Set ID",
  "Entry No.",
];

interface SheetSpec {
  sheet: string;
  table?: string;
  header: string[];
  rows: ExcelJS.CellValue[][];
  /** Where the table starts (default A1) and what comes above it. */
  at?: string;
  above?: ExcelJS.CellValue[][];
}

async function writeXlsx(file: string, sheets: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.sheet);
    (s.above ?? []).forEach((row, r) =>
      row.forEach((v, c) => (ws.getCell(r + 1, c + 1).value = v))
    );
    ws.addTable({
      name: s.table ?? `T${sheets.indexOf(s) + 1}`,
      ref: s.at ?? "A1",
      headerRow: true,
      columns: s.header.map((name) => ({ name })),
      rows: s.rows,
    });
  }
  await wb.xlsx.writeFile(file);
}

/** A table of records under BC's captions (`caption` renames), cells made by `cell`. */
function sheetOf(
  sheet: string,
  table: string | undefined,
  rows: Row[],
  columns: string[],
  cell: (column: string, v: string) => ExcelJS.CellValue,
  caption: (c: string) => string = (c) => c
): SheetSpec {
  return {
    sheet,
    table,
    header: columns.map(caption),
    rows: rows.map((r) =>
      columns.map((c) =>
        cell(c, r[c] ?? (c === "Valued Quantity" || c === "Sales Amount (Actual)" ? "0" : ""))
      )
    ),
  };
}

/** BC's newer setup fields, on the pages under their unabbreviated captions (blank in the example). */
const NEW_INVENTORY_FIELDS = ["Material Non-Inventory Variance Account"];
const NEW_GENERAL_FIELDS = ["Direct Cost Non-Inventory Applied Account"];

function pageWorkbook(
  tableName: (page: string, i: number) => string | undefined,
  sheetName: (page: string, i: number) => string,
  setupCaption: (c: string) => string = (c) => c
): SheetSpec[] {
  const ipsColumns = [...Object.keys(INVENTORY_POSTING_SETUP[0]), ...NEW_INVENTORY_FIELDS];
  const gpsColumns = [...Object.keys(GENERAL_POSTING_SETUP[0]), ...NEW_GENERAL_FIELDS];
  const pages: [string, Row[], string[], ((c: string) => string)?][] = [
    ["Value Entries", VALUE_ENTRIES, PAGE_VALUE_ENTRY_COLUMNS, (c) => PAGE_CAPTION[c] ?? c],
    ["Inventory Posting Setup", INVENTORY_POSTING_SETUP, ipsColumns, setupCaption],
    ["General Posting Setup", GENERAL_POSTING_SETUP, gpsColumns, setupCaption],
    [
      "Chart of Accounts",
      GL_ACCOUNTS.map((a) => ({
        ...a,
        "Income/Balance": a["No."] < "6000" ? "Balance Sheet" : "Income Statement",
        "Direct Posting": "Yes",
      })),
      ["No.", "Name", "Income/Balance", "Account Type", "Direct Posting", "Blocked"],
    ],
    [
      "Items",
      ITEMS,
      ["No.", "Description", "Inventory Posting Group", "Costing Method", "Standard Cost"],
    ],
    ["General Ledger Setup", [SETTINGS], GL_SETUP_FIELDS],
    ["Inventory Setup", [{ "Automatic Cost Posting": "No", ...SETTINGS }], INVENTORY_SETUP_FIELDS],
  ];
  return pages.map(([page, rows, columns, caption], i) =>
    sheetOf(sheetName(page, i), tableName(page, i), rows, columns, typed, caption)
  );
}

describe("Edit in Excel / Open in Excel of the pages", () => {
  test('sheets named by page caption, each holding an Excel table "TableN", global dimensions as "Department Code"', async () => {
    const file = path.join(tempDir("bc-edit-"), "Value Entries.xlsx");
    await writeXlsx(
      file,
      pageWorkbook(
        (_p, i) => `Table${i + 1}`,
        (p) => p
      )
    );
    await posted("post", file, "--method", "entry", "--json");
    const want = await expected("--method", "entry");
    expect(glTuples(await xlsxRecords(file, "GL Entries", "Entry No."))).toEqual(want.gl);
    expect(postedOf(await xlsxRecords(file, "Value Entries", "Posting Date"))).toEqual(want.posted);
  });

  test("per Posting Group too (the dimensions split the groups the same way)", async () => {
    const file = path.join(tempDir("bc-edit-"), "Value Entries.xlsx");
    await writeXlsx(
      file,
      pageWorkbook(
        (_p, i) => `Table${i + 1}`,
        (p) => p
      )
    );
    await posted("post", file, "--document-no", "INVT-2026-01", "--json");
    const want = await expected("--document-no", "INVT-2026-01");
    expect(want.gl.length).toBeGreaterThan(10);
    expect(glTuples(await xlsxRecords(file, "GL Entries", "Entry No."))).toEqual(want.gl);
  });

  test("tables named by page on sheets of other names, setup columns under unabbreviated captions", async () => {
    const unabbreviated: Record<string, string> = {
      "Invt. Accrual Acc. (Interim)": "Inventory Accrual Account (Interim)",
      "Inventory Adjmt. Account": "Inventory Adjustment Account",
      "Cap. Overhead Variance Account": "Capacity Overhead Variance Account",
      "Mfg. Overhead Variance Account": "Manufacturing Overhead Variance Account",
      "Invt. Posting Group Code": "Inventory Posting Group Code",
      "Gen. Bus. Posting Group": "General Business Posting Group",
      "Gen. Prod. Posting Group": "General Product Posting Group",
    };
    const file = path.join(tempDir("bc-open-"), "export.xlsx");
    await writeXlsx(
      file,
      pageWorkbook(
        (p) => p.replace(/ /g, "_"),
        (_p, i) => `Sheet${i + 1}`,
        (c) => unabbreviated[c] ?? c
      )
    );
    await posted("post", file, "--method", "entry", "--json");
    const want = await expected("--method", "entry");
    expect(glTuples(await xlsxRecords(file, "GL Entries", "Entry No."))).toEqual(want.gl);
  });

  test('without the settings\' global dimensions, "Department Code" is not a global dimension (nothing is guessed)', async () => {
    const file = path.join(tempDir("bc-edit-"), "Value Entries.xlsx");
    const sheets = pageWorkbook(
      (_p, i) => `Table${i + 1}`,
      (p) => p
    ).map((s) =>
      s.sheet === "General Ledger Setup"
        ? {
            ...s,
            header: s.header.filter((h) => !/Global Dimension/.test(h)),
            rows: s.rows.map((r) => r.filter((_v, i) => !/Global Dimension/.test(s.header[i]))),
          }
        : s
    );
    await writeXlsx(file, sheets);
    await posted("post", file, "--method", "entry", "--json");
    const gl = await xlsxRecords(file, "GL Entries", "Entry No.");
    expect(gl).toHaveLength(34);
    expect(
      gl.every((g) => g["Global Dimension 1 Code"] === "" && g["Global Dimension 2 Code"] === "")
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Configuration package (RapidStart Export to Excel)

/** Every value as text, as the package writes it: ISO dates, Yes/No, amounts as plain decimals, " " for a blank option. */
function packageText(column: string, v: string): string {
  if (v === "" && OPTION.test(column)) return " ";
  return v;
}

/** One package sheet: row 1 package code, table caption, table id; the header in row 3 inside an Excel table. */
function packageSheet(
  sheet: string,
  id: number,
  caption: string,
  rows: Row[],
  columns: string[],
  n: number
): SheetSpec {
  // Field captions: the Value Entry's global dimension fields take their dimensions' captions (CaptionClass).
  const base = sheetOf(sheet, `Table${3 * n + 5}`, rows, columns, packageText, (c) =>
    id === 5802 ? (PAGE_CAPTION[c] ?? c) : c
  );
  return { ...base, at: "A3", above: [["GLPOST", caption, String(id)]] };
}

describe("configuration package", () => {
  test('sheets "Value Entry", "5813 Inventory Posting Setup", "15 GL Account", ...: header in row 3, values as text', async () => {
    const veColumns = [
      "Entry No.",
      "Item No.",
      "Posting Date",
      "Item Ledger Entry Type",
      "Source No.",
      "Document No.",
      "Description",
      "Location Code",
      "Inventory Posting Group",
      "Source Type",
      "Cost Posted to G/L",
      "Global Dimension 1 Code",
      "Global Dimension 2 Code",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Entry Type",
      "Variance Type",
      "Expected Cost",
      "Cost Amount (Expected)",
      "Cost Amount (Actual)",
      "Expected Cost Posted to G/L",
      "Order Type",
      "Order No.",
      "Dimension Set ID",
    ];
    const file = path.join(tempDir("bc-package-"), "GLPOST.xlsx");
    await writeXlsx(file, [
      packageSheet("Value Entry", 5802, "Value Entry", VALUE_ENTRIES, veColumns, 0),
      packageSheet(
        "5813 Inventory Posting Setup",
        5813,
        "Inventory Posting Setup",
        INVENTORY_POSTING_SETUP,
        [...Object.keys(INVENTORY_POSTING_SETUP[0]), ...NEW_INVENTORY_FIELDS],
        1
      ),
      packageSheet(
        "252 General Posting Setup",
        252,
        "General Posting Setup",
        GENERAL_POSTING_SETUP,
        [...Object.keys(GENERAL_POSTING_SETUP[0]), ...NEW_GENERAL_FIELDS],
        2
      ),
      // BC drops the "/" a sheet name cannot hold: "G/L Account" -> "GL Account".
      packageSheet(
        "15 GL Account",
        15,
        "G/L Account",
        GL_ACCOUNTS,
        ["No.", "Name", "Account Type", "Blocked"],
        3
      ),
      packageSheet(
        "27 Item",
        27,
        "Item",
        ITEMS,
        ["No.", "Description", "Inventory Posting Group"],
        4
      ),
      packageSheet(
        "98 General Ledger Setup",
        98,
        "General Ledger Setup",
        [SETTINGS],
        GL_SETUP_FIELDS,
        5
      ),
      packageSheet(
        "313 Inventory Setup",
        313,
        "Inventory Setup",
        [{ "Automatic Cost Posting": "No", ...SETTINGS }],
        INVENTORY_SETUP_FIELDS,
        6
      ),
    ]);
    await posted("post", file, "--method", "entry", "--json");
    const want = await expected("--method", "entry");
    expect(glTuples(await xlsxRecords(file, "GL Entries", "Entry No."))).toEqual(want.gl);
    expect(postedOf(await xlsxRecords(file, "Value Entry", "Entry No."))).toEqual(want.posted);
    // The package info above the table is left as it was.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect([1, 2, 3].map((c) => wb.getWorksheet("Value Entry")!.getCell(1, c).value)).toEqual([
      "GLPOST",
      "Value Entry",
      "5802",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. OData v4 JSON

/** A caption as BC's OData names a page field (ExternalizeODataObjectName): "Cost Amount (Actual)" -> "Cost_Amount_Actual". */
function odataName(caption: string): string {
  return caption
    .replace(/[ \\/".()\-:]/g, "_")
    .replace(/_+/g, "_")
    .replace(/_$/, "");
}

/** An enum value as OData encodes it: "Direct Cost" -> "Direct_x0020_Cost", blank -> "_x0020_". */
function odataEnum(v: string): string {
  return v === "" ? "_x0020_" : v.replace(/ /g, "_x0020_").replace(/\./g, "_x002E_");
}

function odataValue(column: string, v: string): unknown {
  if (OPTION.test(column)) return odataEnum(v);
  if (AMOUNT.test(column) || INTEGER.test(column)) return v === "" ? 0 : Number(v);
  if (BOOLEAN.test(column)) return /^yes$/i.test(v);
  return v;
}

const BASE =
  "https://api.businesscentral.dynamics.com/v2.0/8f5c4e1a-0000-4000-8000-000000000000/Production/ODataV4/$metadata#Company('CRONUS%20International%20Ltd.')";
const API =
  "https://api.businesscentral.dynamics.com/v2.0/8f5c4e1a-0000-4000-8000-000000000000/Production/api/v2.0/$metadata#companies(9c4f2ddc-9e75-ea11-bbf0-000d3a38a583)";
const etag = (i: number) => `W/"JzE5OzEyMzQ1Njc4OTAxMjM0NTY3ODk${i}OzAwOyc="`;

/** Page web service records: field names as OData gives them, an etag first. */
function pageRecords(rows: Row[], columns: string[]): Record<string, unknown>[] {
  return rows.map((r, i) => ({
    "@odata.etag": etag(i),
    ...Object.fromEntries(columns.map((c) => [odataName(c), odataValue(c, r[c] ?? "")])),
  }));
}

const VE_COLUMNS = Object.keys(VALUE_ENTRIES[0]);
const ODATA = {
  valueEntries: () => ({
    "@odata.context": `${BASE}/ValueEntries`,
    value: pageRecords(VALUE_ENTRIES, VE_COLUMNS),
  }),
  inventoryPostingSetup: () => ({
    "@odata.context": `${BASE}/Inventory_Posting_Setup`,
    value: pageRecords(INVENTORY_POSTING_SETUP, [
      ...Object.keys(INVENTORY_POSTING_SETUP[0]),
      "Mat. Non-Inv. Variance Acc.",
    ]),
  }),
  generalPostingSetup: () => ({
    "@odata.context": `${BASE}/GeneralPostingSetup`,
    value: pageRecords(GENERAL_POSTING_SETUP, [
      ...Object.keys(GENERAL_POSTING_SETUP[0]),
      "Direct Cost Non-Inv. App. Acc.",
    ]),
  }),
  // API v2.0: number and displayName for No. and Name.
  accounts: () => ({
    "@odata.context": `${API}/accounts`,
    value: GL_ACCOUNTS.map((a, i) => ({
      "@odata.etag": etag(i),
      id: `0000000${i}-0000-4000-8000-000000000000`,
      number: a["No."],
      displayName: a["Name"],
      category: "Assets",
      subCategory: "",
      blocked: a["Blocked"] === "Yes",
      accountType: a["Account Type"],
      directPosting: true,
      lastModifiedDateTime: "2026-01-02T10:00:00Z",
    })),
  }),
  items: () => ({
    "@odata.context": `${API}/items`,
    value: ITEMS.map((it, i) => ({
      "@odata.etag": etag(i),
      id: `1000000${i}-0000-4000-8000-000000000000`,
      number: it["No."],
      displayName: it["Description"],
      type: "Inventory",
      inventoryPostingGroupId: `2000000${i}-0000-4000-8000-000000000000`,
      inventoryPostingGroupCode: it["Inventory Posting Group"],
      generalProductPostingGroupCode: it["Gen. Prod. Posting Group"],
      unitCost: Number(it["Standard Cost"]),
    })),
  }),
  // One-record setups as single entities.
  generalLedgerSetup: () => ({
    "@odata.context": `${BASE}/GeneralLedgerSetup/$entity`,
    "@odata.etag": etag(9),
    Primary_Key: "",
    ...Object.fromEntries(
      GL_SETUP_FIELDS.map((f) => [odataName(f), odataValue(f, settingValue(f))])
    ),
    Additional_Reporting_Currency: "",
  }),
  inventorySetup: () => ({
    "@odata.context": `${BASE}/InventorySetup/$entity`,
    "@odata.etag": etag(8),
    Primary_Key: "",
    ...Object.fromEntries(
      INVENTORY_SETUP_FIELDS.map((f) => [odataName(f), odataValue(f, settingValue(f))])
    ),
  }),
};

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

describe("OData v4 JSON", () => {
  test("entity sets from @odata.context", () => {
    expect(entitySetOf(`${BASE}/ValueEntries`)).toBe("ValueEntries");
    expect(entitySetOf(`${API}/accounts`)).toBe("accounts");
    expect(entitySetOf("https://x/ODataV4/$metadata#ValueEntries(Entry_No,Posting_Date)")).toBe(
      "ValueEntries"
    );
    expect(entitySetOf(`${BASE}/GeneralLedgerSetup/$entity`)).toBe("GeneralLedgerSetup");
    expect(entitySetOf("https://x/ODataV4/$metadata#Company('A/B')/G_L_Account")).toBe(
      "G_L_Account"
    );
    expect(entitySetOf("https://x/$metadata#Collection(Edm.String)")).toBeNull();
    expect(entitySetOf("no context")).toBeNull();
  });

  test("a folder of responses, one per table, posts like a CSV folder; each file keeps its shape, new tables are new files", async () => {
    const dir = tempDir("bc-odata-");
    writeJson(path.join(dir, "ValueEntries.json"), ODATA.valueEntries());
    writeJson(path.join(dir, "InventoryPostingSetup.json"), ODATA.inventoryPostingSetup());
    writeJson(path.join(dir, "GeneralPostingSetup.json"), ODATA.generalPostingSetup());
    writeJson(path.join(dir, "accounts.json"), ODATA.accounts());
    writeJson(path.join(dir, "items.json"), ODATA.items());
    writeJson(path.join(dir, "GeneralLedgerSetup.json"), ODATA.generalLedgerSetup());
    writeJson(path.join(dir, "InventorySetup.json"), ODATA.inventorySetup());
    const before = JSON.parse(fs.readFileSync(path.join(dir, "ValueEntries.json"), "utf8"));
    const setupBytes = fs.readFileSync(path.join(dir, "GeneralPostingSetup.json"));

    await posted("post", dir, "--method", "entry", "--json");
    const want = await expected("--method", "entry");
    const glFile = JSON.parse(fs.readFileSync(path.join(dir, "GL Entries.json"), "utf8"));
    expect(Object.keys(glFile)).toEqual(["value"]);
    expect(glTuples(jsonRows(glFile.value))).toEqual(want.gl);
    expect(fs.existsSync(path.join(dir, "GL Registers.json"))).toBe(true);

    // Value Entries: the response's shape, etags and every other field kept; only the posted columns changed.
    const after = JSON.parse(fs.readFileSync(path.join(dir, "ValueEntries.json"), "utf8"));
    expect(Object.keys(after)).toEqual(["@odata.context", "value"]);
    expect(after["@odata.context"]).toBe(before["@odata.context"]);
    expect(postedOf(jsonRows(after.value))).toEqual(want.posted);
    expect(
      after.value.map((v: Record<string, unknown>) => ({
        ...v,
        Cost_Posted_to_G_L: 0,
        Expected_Cost_Posted_to_G_L: 0,
      }))
    ).toEqual(before.value);
    expect(Object.keys(after.value[0])).toEqual(Object.keys(before.value[0]));
    expect(fs.readFileSync(path.join(dir, "GeneralPostingSetup.json"))).toEqual(setupBytes);

    const again = await glpost("post", dir, "--method", "entry", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      glEntries: 0,
      entries: { posted: 0, alreadyPosted: 14 },
    });
  });

  test("one JSON object holding tables by entity set, some as responses; written back in the same shape", async () => {
    const file = path.join(tempDir("bc-odata-"), "cronus.json");
    const chart = pageRecords(GL_ACCOUNTS, ["No.", "Name", "Account Type", "Blocked"]);
    writeJson(file, {
      ValueEntries: ODATA.valueEntries(),
      Inventory_Posting_Setup: ODATA.inventoryPostingSetup(),
      GeneralPostingSetup: ODATA.generalPostingSetup().value,
      Chart_of_Accounts: chart,
      items: ODATA.items(),
      GeneralLedgerSetup: ODATA.generalLedgerSetup(),
      InventorySetup: ODATA.inventorySetup(),
    });
    await posted("post", file, "--method", "entry", "--json");
    const want = await expected("--method", "entry");
    const out = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(Object.keys(out.ValueEntries)).toEqual(["@odata.context", "value"]);
    expect(out.GeneralLedgerSetup["@odata.context"]).toMatch(/\$entity$/);
    expect(out.Chart_of_Accounts).toEqual(chart);
    expect(glTuples(jsonRows(out["G/L Entries"]))).toEqual(want.gl);
    expect(postedOf(jsonRows(out.ValueEntries.value))).toEqual(want.posted);
  });

  test("a query-based ValueEntries response (no Entry Type, no posting groups) is refused naming what is missing; nothing is written", async () => {
    const dir = tempDir("bc-query-");
    // BC's query 5802-like web service / analytics API: cost, but not where it posts.
    const query = {
      "@odata.context": `${BASE}/ValueEntries`,
      value: VALUE_ENTRIES.map((v, i) => ({
        "@odata.etag": etag(i),
        Entry_No: Number(v["Entry No."]),
        Item_No: v["Item No."],
        Posting_Date: v["Posting Date"],
        Item_Ledger_Entry_Type: odataEnum(v["Item Ledger Entry Type"]),
        Item_Ledger_Entry_No: i + 1,
        Document_No: v["Document No."],
        Cost_Amount_Actual: Number(v["Cost Amount (Actual)"]),
        Sales_Amount_Actual: 0,
        Cost_Posted_to_G_L: 0,
      })),
    };
    writeJson(path.join(dir, "ValueEntries.json"), query);
    writeJson(path.join(dir, "InventoryPostingSetup.json"), ODATA.inventoryPostingSetup());
    writeJson(path.join(dir, "GeneralPostingSetup.json"), ODATA.generalPostingSetup());
    const files = () =>
      new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const before = files();
    const r = await glpost("post", dir, "--method", "entry", "--json");
    expect(r.code).toBe(1);
    const errors: { table: string; column?: string; text: string }[] = JSON.parse(
      r.stdout
    ).inputErrors;
    const text = errors.map((e) => e.text).join("\n");
    for (const missing of [
      "Entry Type",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
    ])
      expect(text).toContain(missing);
    expect(errors.every((e) => e.table === "Value Entries")).toBe(true);
    expect(files()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. BC's unabbreviated captions: one alias table

describe("BC's captions of the setup fields", () => {
  test("every account field of both setups under its unabbreviated caption reads into the right account type", async () => {
    const caption: Record<string, string> = {
      "Inventory Account (Interim)": "Inventory Account (Interim)",
      "Invt. Accrual Acc. (Interim)": "Inventory Accrual Account (Interim)",
      "Inventory Account": "Inventory Account",
      "WIP Account": "WIP Account",
      "Inventory Adjmt. Account": "Inventory Adjustment Account",
      "Direct Cost Applied Account": "Direct Cost Applied Account",
      "Overhead Applied Account": "Overhead Applied Account",
      "Purchase Variance Account": "Purchase Variance Account",
      "COGS Account": "COGS Account",
      "COGS Account (Interim)": "COGS Account (Interim)",
      "Material Variance Account": "Material Variance Account",
      "Capacity Variance Account": "Capacity Variance Account",
      "Subcontracted Variance Account": "Subcontracted Variance Account",
      "Cap. Overhead Variance Account": "Capacity Overhead Variance Account",
      "Mfg. Overhead Variance Account": "Manufacturing Overhead Variance Account",
      "Direct Cost Non-Inv. App. Acc.": "Direct Cost Non-Inventory Applied Account",
      "Mat. Non-Inv. Variance Acc.": "Material Non-Inventory Variance Account",
    };
    // Account no. 1000 + ordinal, so each field's value says which account type it landed in.
    const inv = ACCOUNT_TYPES.filter((a) => a.setupTable === "Inventory Posting Setup");
    const gen = ACCOUNT_TYPES.filter((a) => a.setupTable === "General Posting Setup");
    const ve = [
      "Entry No.",
      "Posting Date",
      "Item Ledger Entry Type",
      "Entry Type",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Cost Amount (Actual)",
      "Cost Posted to G/L",
    ];
    const port = new MemoryWorkbook({
      "Value Entries": MemoryWorkbook.table(ve, [
        1,
        "2026-01-05",
        "Purchase",
        "Direct Cost",
        "BLUE",
        "RAW MAT",
        "DOMESTIC",
        "RAW MAT",
        10,
        0,
      ]),
      "Inventory Posting Setup": MemoryWorkbook.table(
        ["Location Code", "Inventory Posting Group Code", ...inv.map((a) => caption[a.setupField])],
        ["BLUE", "RAW MAT", ...inv.map((a) => String(1000 + a.ordinal))]
      ),
      "General Posting Setup": MemoryWorkbook.table(
        [
          "General Business Posting Group",
          "General Product Posting Group",
          ...gen.map((a) => caption[a.setupField]),
        ],
        ["DOMESTIC", "RAW MAT", ...gen.map((a) => String(1000 + a.ordinal))]
      ),
    });
    const read = await readPostingInput(port);
    expect(read.errors.map(formatInputError)).toEqual([]);
    const accounts = read.input!.inventoryPostingSetup[0].accounts.map((a, i) =>
      a === "" ? read.input!.generalPostingSetup[0].accounts[i] : a
    );
    expect(accounts).toEqual(ACCOUNT_TYPES.map((a) => String(1000 + a.ordinal)));
    expect(read.input!.inventoryPostingSetup[0].invtPostingGroupCode).toBe("RAW MAT");
    expect(read.input!.generalPostingSetup[0].genBusPostingGroup).toBe("DOMESTIC");
  });

  test("API camelCase field names (costAmountActual, dimensionSetID, globalDimension1Code) read as the captions", async () => {
    const ve = [
      "entryNo",
      "postingDate",
      "itemLedgerEntryType",
      "entryType",
      "locationCode",
      "inventoryPostingGroup",
      "genBusPostingGroup",
      "genProdPostingGroup",
      "costAmountActual",
      "costPostedToGL",
      "dimensionSetID",
      "globalDimension1Code",
    ];
    const port = new MemoryWorkbook({
      valueEntries: MemoryWorkbook.table(ve, [
        7,
        "2026-01-05",
        "Positive_x0020_Adjmt_x002E_",
        "Direct_x0020_Cost",
        "BLUE",
        "RAW MAT",
        "",
        "RAW MAT",
        12.5,
        2.5,
        21,
        "PROD",
      ]),
      inventoryPostingSetups: MemoryWorkbook.table(
        ["locationCode", "invtPostingGroupCode", "inventoryAccount"],
        ["BLUE", "RAW MAT", "2130"]
      ),
      generalPostingSetups: MemoryWorkbook.table(
        ["genBusPostingGroup", "genProdPostingGroup", "inventoryAdjmtAccount"],
        ["", "RAW MAT", "7170"]
      ),
    });
    const read = await readPostingInput(port);
    expect(read.errors.map(formatInputError)).toEqual([]);
    const e = read.input!.valueEntries[0];
    expect([
      e.entryNo,
      e.itemLedgerEntryType,
      e.entryType,
      e.costAmountActual,
      e.costPostedToGL,
      e.dimensionSetId,
      e.globalDimension1Code,
    ]).toEqual([7, "Positive Adjmt.", "Direct Cost", 1250, 250, 21, "PROD"]);
  });

  test("a dimension caption that is another column's name is not taken for the global dimension", async () => {
    const ve = [
      "Entry No.",
      "Posting Date",
      "Item Ledger Entry Type",
      "Entry Type",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Cost Amount (Actual)",
      "Cost Posted to G/L",
      "Area Code",
    ];
    const port = new MemoryWorkbook({
      Settings: MemoryWorkbook.table(
        ["Setting", "Value"],
        ["Global Dimension 1 Code", "LOCATION"],
        ["Global Dimension 2 Code", "AREA"]
      ),
      "Value Entries": MemoryWorkbook.table(ve, [
        1,
        "2026-01-05",
        "Purchase",
        "Direct Cost",
        "BLUE",
        "RAW MAT",
        "DOMESTIC",
        "RAW MAT",
        10,
        0,
        "NORTH",
      ]),
      "Inventory Posting Setup": MemoryWorkbook.table(
        ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
        ["BLUE", "RAW MAT", "2130"]
      ),
      "General Posting Setup": MemoryWorkbook.table(
        ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "Direct Cost Applied Account"],
        ["DOMESTIC", "RAW MAT", "7191"]
      ),
    });
    const read = await readPostingInput(port);
    expect(read.errors.map(formatInputError)).toEqual([]);
    const e = read.input!.valueEntries[0];
    expect([e.locationCode, e.globalDimension1Code, e.globalDimension2Code]).toEqual([
      "BLUE",
      "",
      "NORTH",
    ]);
  });
});
