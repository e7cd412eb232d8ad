import * as path from "path";
import { AT } from "../../src/engine/accountTypes";
import { isoToDay } from "../../src/engine/dates";
import { CsvFolderWorkbook } from "../../src/files/csv";
import { MemoryWorkbook } from "./memory";
import { looseName } from "../../src/workbook/names";
import type { CellValue } from "../../src/workbook/port";
import { formatInputError, type InputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { makeWriteGuard } from "../../src/workbook/readContext";

const FIXTURES = path.join(__dirname, "..", "fixtures", "examples");
const day = (iso: string) => isoToDay(iso)!;
const T = MemoryWorkbook.table;

/** Columns every Value Entries table must have (schema: their absence changes what posts). */
const ALWAYS_REQUIRED = [
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Cost Amount (Actual)",
  "Cost Posted to G/L",
];

const ACY_COLUMNS = [
  "Cost Amount (Actual) (ACY)",
  "Cost Amount (Expected) (ACY)",
  "Cost Posted to G/L (ACY)",
  "Exp. Cost Posted to G/L (ACY)",
];

/** A Value Entries table; the always-required columns the test leaves out are added with blank cells. */
function VE(header: string[], ...rows: CellValue[][]): ReturnType<typeof T> {
  const have = new Set(header.map(looseName));
  const add = ALWAYS_REQUIRED.filter((c) => !have.has(looseName(c)));
  return T([...header, ...add], ...rows.map((r) => [...r, ...add.map(() => null)]));
}

/** The minimal valid workbook, with extra tables or replacements. */
function workbook(tables: Record<string, ReturnType<typeof T>> = {}): MemoryWorkbook {
  const all: Record<string, ReturnType<typeof T>> = {
    "Value Entries": VE(
      [
        "Entry No.",
        "Posting Date",
        "Item Ledger Entry Type",
        "Entry Type",
        "Cost Amount (Actual)",
        "Cost Posted to G/L",
      ],
      [1, "2026-01-05", "Purchase", "Direct Cost", "70", "0"]
    ),
    "Inventory Posting Setup": T(
      ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
      ["BLUE", "RESALE", "2130"]
    ),
    "General Posting Setup": T(
      ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "Direct Cost Applied Account"],
      ["DOMESTIC", "RETAIL", "7291"]
    ),
    ...tables,
  };
  // A table given as undefined is left out.
  return new MemoryWorkbook(
    Object.fromEntries(Object.entries(all).filter(([, t]) => t !== undefined))
  );
}

describe("readPostingInput on the bike-chain example (CSV folder)", () => {
  let result: Awaited<ReturnType<typeof readPostingInput>>;
  beforeAll(async () => {
    result = await readPostingInput(
      await CsvFolderWorkbook.open(path.join(FIXTURES, "bike-chain"))
    );
  });

  test("no input errors", () => {
    expect(result.errors.map(formatInputError)).toEqual([]);
    expect(result.input).not.toBeNull();
  });

  test("settings from the two-column Settings table", () => {
    const s = result.input!.settings;
    expect(s.expectedCostPostingToGL).toBe(true);
    expect(s.allowPostingFrom).toBe(day("2026-01-01"));
    expect(s.allowPostingTo).toBe(day("2026-01-31"));
    expect(s.amountRoundingPrecision).toBe("0.01");
    expect(s.sourceCode).toBe("INVTPCOST");
    expect(s.additionalReportingCurrency).toBe("");
    expect(result.context.scale.decimals).toBe(2);
  });

  test("value entry 1 field by field (CSV line 2)", () => {
    // 1,2026-01-05,LINK,Purchase,Direct Cost,,Yes,BLUE,RAW MAT,DOMESTIC,RAW MAT,Vendor,10000,,,PR-1001,0,150,0,0,Receive 150 links at standard cost 1.00
    expect(result.input!.valueEntries[0]).toEqual({
      entryNo: 1,
      itemNo: "LINK",
      postingDate: day("2026-01-05"),
      itemLedgerEntryType: "Purchase",
      entryType: "Direct Cost",
      varianceType: "",
      expectedCost: true,
      inventoriable: true,
      locationCode: "BLUE",
      inventoryPostingGroup: "RAW MAT",
      genBusPostingGroup: "DOMESTIC",
      genProdPostingGroup: "RAW MAT",
      sourceType: "Vendor",
      sourceNo: "10000",
      orderType: "",
      orderNo: "",
      documentNo: "PR-1001",
      externalDocumentNo: "",
      costAmountActual: 0,
      costAmountExpected: 15000,
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
      description: "Receive 150 links at standard cost 1.00",
    });
  });

  test("value entries 4, 8 and 13 (variance, capacity, material variance)", () => {
    const ve = result.input!.valueEntries;
    expect(ve).toHaveLength(14);
    expect(ve.map((e) => e.entryNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // 4,2026-01-08,LINK,Purchase,Variance,Purchase,No,...,PI-1001,-18,0,0,0,...
    expect(ve[3]).toMatchObject({
      entryType: "Variance",
      varianceType: "Purchase",
      expectedCost: false,
      costAmountActual: -1800,
      documentNo: "PI-1001",
    });
    // 8,2026-01-14,,,Direct Cost,,No,,,,MANUFACT,Item,CHAIN,Production,PO-101,PO-101,120,0,0,0,...
    expect(ve[7]).toMatchObject({
      itemNo: "",
      itemLedgerEntryType: "",
      entryType: "Direct Cost",
      locationCode: "",
      inventoryPostingGroup: "",
      genBusPostingGroup: "",
      genProdPostingGroup: "MANUFACT",
      sourceType: "Item",
      sourceNo: "CHAIN",
      orderType: "Production",
      orderNo: "PO-101",
      costAmountActual: 12000,
      postingDate: day("2026-01-14"),
    });
    // 11,2026-01-20,CHAIN,Output,Direct Cost,,No,BLUE,FINISHED,,RETAIL,...,282,-150,0,0
    expect(ve[10]).toMatchObject({
      itemLedgerEntryType: "Output",
      costAmountActual: 28200,
      costAmountExpected: -15000,
    });
    expect(ve[12]).toMatchObject({
      entryType: "Variance",
      varianceType: "Material",
      costAmountActual: -15700,
    });
    expect(ve[13]).toMatchObject({
      entryType: "Revaluation",
      documentNo: "REVAL-01",
      costAmountActual: -1000,
      orderType: "",
    });
  });

  test("posting setups with accounts by ordinal", () => {
    const inv = result.input!.inventoryPostingSetup;
    expect(inv).toHaveLength(3);
    const blueRaw = inv[0];
    expect(blueRaw.locationCode).toBe("BLUE");
    expect(blueRaw.invtPostingGroupCode).toBe("RAW MAT");
    expect(blueRaw.accounts[AT["Inventory"]]).toBe("2130");
    expect(blueRaw.accounts[AT["Inventory (Interim)"]]).toBe("2131");
    expect(blueRaw.accounts[AT["WIP Inventory"]]).toBe("2140");
    expect(blueRaw.accounts[AT["Mfg. Overhead Variance"]]).toBe("7894");
    expect(blueRaw.accounts[AT["Material - Non Inventory Variance"]]).toBe("");
    expect(blueRaw.accounts).toHaveLength(17);
    expect(inv[2]).toMatchObject({ locationCode: "", invtPostingGroupCode: "FINISHED" });

    const gen = result.input!.generalPostingSetup;
    expect(gen).toHaveLength(5);
    const manufact = gen[4];
    // ,MANUFACT,No,,,7770,,7791,7792,
    expect(manufact).toMatchObject({
      genBusPostingGroup: "",
      genProdPostingGroup: "MANUFACT",
      blocked: false,
    });
    expect(manufact.accounts[AT["Inventory Adjmt."]]).toBe("7770");
    expect(manufact.accounts[AT["Direct Cost Applied"]]).toBe("7791");
    expect(manufact.accounts[AT["Overhead Applied"]]).toBe("7792");
    expect(manufact.accounts[AT["COGS"]]).toBe("");
    expect(manufact.accounts[AT["Purchase Variance"]]).toBe("");
    expect(gen[1].accounts[AT["COGS"]]).toBe("7290");
  });

  test("optional tables", () => {
    expect(result.input!.items).toEqual([
      { no: "LINK", inventoryPostingGroup: "RAW MAT" },
      { no: "CHAIN", inventoryPostingGroup: "FINISHED" },
    ]);
    const accounts = result.input!.glAccounts!;
    expect(accounts).toHaveLength(26);
    expect(accounts[0]).toEqual({
      no: "2120",
      name: "Finished Goods",
      accountType: "Posting",
      blocked: false,
    });
    expect(result.input!.defaultDimensions).toEqual([]);
    expect(result.input!.existing).toEqual({
      lastGLEntryNo: 0,
      lastTransactionNo: 0,
      lastRegisterNo: 0,
    });
  });

  test("context for writing", () => {
    const ctx = result.context;
    expect(ctx.tables.valueEntries).toEqual({ name: "Value Entries", kind: "csv" });
    expect(ctx.tables.settings?.name).toBe("Settings");
    expect(ctx.outputs).toEqual({});
    expect(ctx.valueEntryRows).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(ctx.postedColumns).toEqual([
      { field: "costPostedToGL", header: "Cost Posted to G/L", index: 18 },
      { field: "expectedCostPostedToGL", header: "Expected Cost Posted to G/L", index: 19 },
    ]);
    expect(ctx.postedValues[0]).toEqual(["0", "0"]);
    const guard = makeWriteGuard(ctx)!;
    expect(guard.postedColumns).toEqual(["Cost Posted to G/L", "Expected Cost Posted to G/L"]);
    expect(guard.postedValues).toHaveLength(14);
    expect(guard.lastRegisterNo).toBe(0);
  });
});

describe("readPostingInput on the fifo-purchase-sale example", () => {
  test("entries, defaults and the posted columns found", async () => {
    const r = await readPostingInput(
      await CsvFolderWorkbook.open(path.join(FIXTURES, "fifo-purchase-sale"))
    );
    expect(r.errors).toEqual([]);
    const input = r.input!;
    expect(input.settings.expectedCostPostingToGL).toBe(false);
    expect(input.items).toBeNull();
    expect(input.glAccounts).toBeNull();
    // 3,2020-01-15,1000,Sale,Direct Cost,No,BLUE,RESALE,DOMESTIC,RETAIL,20000,103001,-80,0
    expect(input.valueEntries[2]).toMatchObject({
      entryNo: 3,
      postingDate: day("2020-01-15"),
      itemNo: "1000",
      itemLedgerEntryType: "Sale",
      entryType: "Direct Cost",
      expectedCost: false,
      locationCode: "BLUE",
      inventoryPostingGroup: "RESALE",
      sourceNo: "20000",
      sourceType: "",
      documentNo: "103001",
      costAmountActual: -8000,
      costAmountExpected: 0,
      costPostedToGL: 0,
    });
    expect(input.inventoryPostingSetup).toEqual([
      {
        locationCode: "BLUE",
        invtPostingGroupCode: "RESALE",
        accounts: ["2131", "", "2130", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
      },
    ]);
    expect(input.generalPostingSetup[0].blocked).toBe(false);
    expect(r.context.postedColumns.map((p) => p.header)).toEqual(["Cost Posted to G/L"]);
  });
});

describe("input errors", () => {
  test("every error at once, with table, row, column and value", async () => {
    const wb = new MemoryWorkbook({
      "Value Entries": VE(
        [
          "Entry No.",
          "Posting Date",
          "Item Ledger Entry Type",
          "Entry Type",
          "Cost Amount (Actual)",
          "Notes",
        ],
        [1, "2026-01-05", "Purchase", "Direct Cost", "12a", null],
        [2, "2026-02-30", "Purchase", "Direct Cost", 5, null],
        [3, "2026-01-05", "Purchases", "Direct Cost", 5, null],
        [null, null, null, null, null, null],
        [1, "2026-01-05", "Sale", "Direct Cost", 5, null],
        [4, "2026-01-05", "Sale", "Direct Cost", "1.005", null],
        [5, "2026-01-05", "Sale", "Direct Cost", "(18.00)", "text in an unknown column is fine"]
      ),
      "Inventory Posting Setup": T(["Location Code", "Inventory Account"], ["BLUE", "2130"]),
      "General Posting Setup": T(
        ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "Blocked"],
        ["DOMESTIC", "RETAIL", "No"],
        ["domestic", "RETAIL", "No"],
        ["DOMESTIC", "RAW MAT", "perhaps"]
      ),
      "G/L Accounts": T(["No.", "Name"], ["2130", "Raw"], ["2130", "Raw again"]),
      Items: T(
        ["No.", "Inventory Posting Group"],
        ["LINK", "RAW MAT"],
        [null, "RAW MAT"],
        ["LINK", "X"]
      ),
    });
    const r = await readPostingInput(wb);
    expect(r.input).toBeNull();
    const texts = r.errors.map(formatInputError);
    expect(texts).toEqual([
      'Value Entries, row 2, column "Cost Amount (Actual)": "12a" is not a number',
      'Value Entries, row 3, column "Posting Date": "2026-02-30" is not a date (no such day)',
      'Value Entries, row 4, column "Item Ledger Entry Type": "Purchases" is not one of (blank), Purchase, Sale, Positive Adjmt., Negative Adjmt., Transfer, Consumption, Output, Assembly Consumption, Assembly Output',
      'Value Entries, row 6, column "Entry No.": "1" appears more than once (first in row 2); Entry No. must be unique.',
      'Value Entries, row 7, column "Cost Amount (Actual)": "1.005" needs rounding to the Amount Rounding Precision 0.01',
      'Inventory Posting Setup, column "Invt. Posting Group Code": The required column "Invt. Posting Group Code" is missing.',
      'General Posting Setup, row 3: the key Gen. Bus. Posting Group "DOMESTIC" and Gen. Prod. Posting Group "RETAIL" appears more than once (first in row 2); each combination must be unique.',
      'General Posting Setup, row 4, column "Blocked": "perhaps" is not Yes or No',
      'Items, row 3, column "No.": a value is required (the cell is blank)',
      'Items, row 4, column "No.": "LINK" appears more than once (first in row 2); No. must be unique.',
      'G/L Accounts, row 3, column "No.": "2130" appears more than once (first in row 2); No. must be unique.',
    ]);
    const e = r.errors[0];
    expect(e).toEqual<InputError>({
      table: "Value Entries",
      row: 2,
      column: "Cost Amount (Actual)",
      value: "12a",
      message: '"12a" is not a number',
    });
    expect(r.errors[5]).toEqual({
      table: "Inventory Posting Setup",
      column: "Invt. Posting Group Code",
      message: 'The required column "Invt. Posting Group Code" is missing.',
    });
    // The blank row (sheet row 5) was skipped silently, and the mapping skips it.
    expect(r.context.valueEntryRows).toEqual([0, 1, 2, 4, 5, 6]);
  });

  test("missing required tables and columns", async () => {
    const wb = new MemoryWorkbook({
      ValueEntries: T(["Entry_No", "Item Ledger Entry Type"], [1, "Sale"]),
    });
    const r = await readPostingInput(wb);
    expect(r.input).toBeNull();
    expect(r.errors.map(formatInputError)).toEqual([
      'Value Entries, column "Posting Date": The required column "Posting Date" is missing.',
      'Value Entries, column "Entry Type": The required column "Entry Type" is missing.',
      ...ALWAYS_REQUIRED.map((c) =>
        expect.stringContaining(
          `Value Entries, column "${c}": The required column "${c}" is missing: `
        )
      ),
      expect.stringContaining("Value Entries: this table has no Entry Type and no posting groups"),
      'Inventory Posting Setup: The required table "Inventory Posting Setup" is missing (no table, sheet or file of that name).',
      'General Posting Setup: The required table "General Posting Setup" is missing (no table, sheet or file of that name).',
    ]);
    expect(r.errors[2].message).toContain(
      "it picks the Inventory Posting Setup row; read as blank, every entry would post to the blank-location setup row"
    );
    expect(r.errors[10].row).toBeUndefined();
    expect(r.errors[10].column).toBeUndefined();
  });

  test("Value Entries missing, and two tables with the same loose name", async () => {
    const r = await readPostingInput(
      workbook({
        "Value Entries": undefined as never,
        Items: T(["No."], ["A"]),
        items: T(["No."], ["B"]),
      })
    );
    const texts = r.errors.map(formatInputError);
    expect(texts).toContain(
      'Value Entries: The required table "Value Entries" is missing (no table, sheet or file of that name).'
    );
    expect(texts).toContain(
      'Items: More than one table matches "Items": "Items", "items". Rename or remove the extra ones.'
    );
  });

  test("a required value that is blank", async () => {
    const r = await readPostingInput(
      workbook({
        "Value Entries": VE(
          ["Entry No.", "Posting Date", "Item Ledger Entry Type", "Entry Type"],
          [null, "2026-01-05", "Sale", "Direct Cost"],
          [2, null, "Sale", null]
        ),
      })
    );
    expect(r.errors.map(formatInputError)).toEqual([
      'Value Entries, row 2, column "Entry No.": a value is required (the cell is blank)',
      'Value Entries, row 3, column "Posting Date": a date is required (the cell is blank)',
      'Value Entries, row 3, column "Entry Type": the cell is blank; expected one of Direct Cost, Revaluation, Rounding, Indirect Cost, Variance, Total, Direct Cost - Non Inventory',
    ]);
  });

  test("duplicate key in Inventory Posting Setup (codes compare upper-cased)", async () => {
    const r = await readPostingInput(
      workbook({
        "Inventory Posting Setup": T(
          ["Location Code", "Invt. Posting Group Code"],
          ["BLUE", "RESALE"],
          [null, "RESALE"],
          ["blue", "resale"]
        ),
      })
    );
    expect(r.errors).toEqual([
      {
        table: "Inventory Posting Setup",
        row: 4,
        value: "BLUE,RESALE",
        message:
          'the key Location Code "BLUE" and Invt. Posting Group Code "RESALE" appears more than once (first in row 2); each combination must be unique.',
      },
    ]);
  });
});

describe("settings", () => {
  test("one-record Inventory Setup and General Ledger Setup, Settings table overrides", async () => {
    const r = await readPostingInput(
      workbook({
        "Inventory Setup": T(
          [
            "Primary Key",
            "Automatic Cost Posting",
            "Expected Cost Posting to G/L",
            "Automatic Cost Adjustment",
          ],
          [null, "No", "Yes", "Always"]
        ),
        "General Ledger Setup": T(
          [
            "Allow Posting From",
            "Allow Posting To",
            "Amount Rounding Precision",
            "Additional Reporting Currency",
            "Global Dimension 1 Code",
            "Global_Dimension_2_Code",
          ],
          [46023, "2026-12-31", 0.01, "eur", "DEPARTMENT", "PROJECT"]
        ),
        Settings: T(
          ["Setting", "Value"],
          ["Allow Posting To", "2026-06-30"],
          ["source code", "myinvt"]
        ),
        // Expected cost posting and an ACY are on: their columns must exist.
        "Value Entries": VE(
          [
            "Entry No.",
            "Posting Date",
            "Item Ledger Entry Type",
            "Entry Type",
            "Cost Amount (Expected)",
            "Expected Cost Posted to G/L",
            ...ACY_COLUMNS,
          ],
          [1, "2026-01-05", "Purchase", "Direct Cost", null, null, null, null, null, null]
        ),
      })
    );
    expect(r.errors).toEqual([]);
    expect(r.input!.settings).toEqual({
      expectedCostPostingToGL: true,
      allowPostingFrom: day("2026-01-01"),
      allowPostingTo: day("2026-06-30"),
      amountRoundingPrecision: "0.01",
      automaticCostPosting: false,
      sourceCode: "MYINVT",
      additionalReportingCurrency: "EUR",
      includeNonInventoryCostInProduction: false,
      globalDimension1Code: "DEPARTMENT",
      globalDimension2Code: "PROJECT",
    });
    expect(r.context.acy).toBe(true);
    expect(r.context.tables.inventorySetup?.name).toBe("Inventory Setup");
  });

  test('an invalid precision is an input error and does not turn every amount into "needs rounding"', async () => {
    const r = await readPostingInput(
      workbook({
        Settings: T(
          ["Setting", "Value"],
          ["Amount Rounding Precision", "abc"],
          ["Expected Cost Posting", "Yes"],
          ["Allow Posting From", "01/31/2026"]
        ),
        "Value Entries": VE(
          [
            "Entry No.",
            "Posting Date",
            "Item Ledger Entry Type",
            "Entry Type",
            "Cost Amount (Actual)",
          ],
          [1, "2026-01-05", "Sale", "Direct Cost", "1.005"]
        ),
      })
    );
    expect(r.errors.map(formatInputError)).toEqual([
      'Settings, row 2, column "Value": Amount Rounding Precision: "abc" is not a valid Amount Rounding Precision (a positive decimal with at most 9 decimals, such as 0.01)',
      'Settings, row 3, column "Setting": "Expected Cost Posting" is not a known setting; the settings are Expected Cost Posting to G/L, Allow Posting From, Allow Posting To, Amount Rounding Precision, Automatic Cost Posting, Source Code, Additional Reporting Currency, Include Non-Inventory Cost in Production, Global Dimension 1 Code, Global Dimension 2 Code, Date Order.',
      // "01/31/2026" reads only month-first (there is no month 31), so it decides and is no error.
    ]);
  });

  test("a precision of 1 reads amounts in whole units", async () => {
    const r = await readPostingInput(
      workbook({
        Settings: T(["Setting", "Value"], ["Amount Rounding Precision", 1]),
        "Value Entries": VE(
          [
            "Entry No.",
            "Posting Date",
            "Item Ledger Entry Type",
            "Entry Type",
            "Cost Amount (Actual)",
          ],
          [1, 46027, "Sale", "Direct Cost", "-80"]
        ),
      })
    );
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries[0].costAmountActual).toBe(-80);
    expect(r.input!.valueEntries[0].postingDate).toBe(46027 - 25569);
    expect(r.context.scale.decimals).toBe(0);
  });

  test("ACY columns are read only with an Additional Reporting Currency", async () => {
    const ve = VE(
      [
        "Entry No.",
        "Posting Date",
        "Item Ledger Entry Type",
        "Entry Type",
        "Cost Amount (Actual)",
        "Cost Amount (Actual) (ACY)",
        "Cost Posted to G/L",
        "Cost Posted to G/L (ACY)",
        "Exp_Cost_Posted_to_G_L_ACY",
      ],
      [1, "2026-01-05", "Sale", "Direct Cost", "10", "bad", "0", "1", "2"]
    );
    const off = await readPostingInput(workbook({ "Value Entries": ve }));
    expect(off.errors).toEqual([]);
    expect(off.input!.valueEntries[0].costAmountActualACY).toBe(0);
    expect(off.context.postedColumns.map((p) => p.field)).toEqual(["costPostedToGL"]);

    const on = await readPostingInput(
      workbook({
        "Value Entries": ve,
        Settings: T(["Setting", "Value"], ["Additional Reporting Currency", "EUR"]),
      })
    );
    expect(on.errors.map(formatInputError)).toEqual([
      // With an ACY every ACY column must exist; this table lacks one.
      expect.stringContaining(
        'Value Entries, column "Cost Amount (Expected) (ACY)": The required column "Cost Amount (Expected) (ACY)" is missing: an Additional Reporting Currency is set'
      ),
      'Value Entries, row 2, column "Cost Amount (Actual) (ACY)": "bad" is not a number',
    ]);
    expect(on.context.postedColumns.map((p) => [p.field, p.header])).toEqual([
      ["costPostedToGL", "Cost Posted to G/L"],
      ["costPostedToGLACY", "Cost Posted to G/L (ACY)"],
      ["expCostPostedToGLACY", "Exp_Cost_Posted_to_G_L_ACY"],
    ]);
  });
});

describe("other tables and forgiving reads", () => {
  test("BC export spellings, options with _blank_, default dimensions of G/L accounts only, blank Account Type", async () => {
    const r = await readPostingInput(
      workbook({
        "Value Entries": VE(
          [
            "Entry_No",
            "Posting_Date",
            "Item_Ledger_Entry_Type",
            "Entry_Type",
            "Variance_Type",
            "Order_Type",
            "Inventoriable",
            "Expected_Cost",
            "Cost_Amount_Actual",
            "Dimension_Set_ID",
            "Global_Dimension_1_Code",
            "Cost_Amount_Expected",
            "Expected_Cost_Posted_to_G_L",
          ],
          [
            "7",
            "2026-01-05T00:00:00",
            "_blank_",
            "Direct_Cost",
            " ",
            "Production",
            "No",
            "X",
            "1,234.50",
            "12",
            "sales",
            null,
            null,
          ]
        ),
        "G/L Accounts": T(
          ["No.", "Name", "Account Type", "Blocked"],
          ["1000", "Assets", "Heading", null],
          ["2130", "Raw", null, "Yes"],
          ["2140", "WIP", "Begin_Total", "FALSE"]
        ),
        "Default Dimensions": T(
          ["Table ID", "No.", "Dimension Code", "Dimension Value Code", "Value Posting"],
          [15, "2130", "DEPARTMENT", "SALES", "Same Code"],
          [27, "LINK", "DEPARTMENT", null, "Code Mandatory"],
          [15, "2140", "PROJECT", null, "_blank_"]
        ),
      })
    );
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries[0]).toMatchObject({
      entryNo: 7,
      postingDate: day("2026-01-05"),
      itemLedgerEntryType: "",
      entryType: "Direct Cost",
      varianceType: "",
      orderType: "Production",
      inventoriable: false,
      expectedCost: true,
      costAmountActual: 123450,
      dimensionSetId: 12,
      globalDimension1Code: "SALES",
    });
    expect(r.input!.glAccounts).toEqual([
      { no: "1000", name: "Assets", accountType: "Heading", blocked: false },
      { no: "2130", name: "Raw", accountType: "Posting", blocked: true },
      { no: "2140", name: "WIP", accountType: "Begin-Total", blocked: false },
    ]);
    expect(r.input!.defaultDimensions).toEqual([
      {
        no: "2130",
        dimensionCode: "DEPARTMENT",
        dimensionValueCode: "SALES",
        valuePosting: "Same Code",
      },
      { no: "2140", dimensionCode: "PROJECT", dimensionValueCode: "", valuePosting: "" },
    ]);
  });

  test("existing G/L entries, registers and relations give the numbering", async () => {
    const r = await readPostingInput(
      workbook({
        GLEntries: T(
          ["Entry No.", "Transaction No.", "G/L Register No.", "Amount"],
          [1, 1, 1, "10"],
          [2, 1, 1, "-10"],
          [null, null, null, null],
          [9, 4, 3, "5"]
        ),
        "GL Registers": T(["No.", "From Entry No.", "To Entry No."], [1, 1, 2], [2, 3, 12]),
        "G/L - Item Ledger Relation": T(
          ["G/L Entry No.", "Value Entry No.", "G/L Register No."],
          [1, 1, 4]
        ),
        "Skipped Entries": T(["Value Entry No."], [1]),
      }),
      // Register 4 is only in the relation table: an interrupted run (ledgerState.test.ts); read as repair does.
      { allowInterrupted: true }
    );
    expect(r.errors).toEqual([]);
    expect(r.input!.existing).toEqual({
      lastGLEntryNo: 12,
      lastTransactionNo: 4,
      lastRegisterNo: 4,
    });
    expect(r.context.lastRegisterNoInRegisters).toBe(2);
    expect(r.context.outputs.glEntries?.name).toBe("GLEntries");
    expect(r.context.outputs.glRegisters?.name).toBe("GL Registers");
    expect(r.context.outputs.glItemLedgerRelation?.name).toBe("G/L - Item Ledger Relation");
    expect(r.context.outputs.skippedEntries?.name).toBe("Skipped Entries");
    expect(r.context.outputs.testReport).toBeUndefined();
    expect(makeWriteGuard(r.context)!.lastRegisterNo).toBe(2);
  });

  test("an unreadable number in an existing G/L Entries table is an input error", async () => {
    const r = await readPostingInput(workbook({ "G/L Entries": T(["Entry No."], ["x1"]) }));
    expect(r.errors.map(formatInputError)).toEqual([
      'G/L Entries, row 2, column "Entry No.": "x1" is not a whole number',
    ]);
  });

  test("an empty table without a header is not missing columns (JSON [])", async () => {
    const r = await readPostingInput(workbook({ "Value Entries": T([]) }));
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries).toEqual([]);
  });

  test("rows shorter than the header read as blank cells; blank rows keep the mapping and posted values", async () => {
    const wb = workbook({
      "Value Entries": {
        // The always-required columns last: every row is shorter than the header.
        header: [
          "Entry No.",
          "Posting Date",
          "Item Ledger Entry Type",
          "Entry Type",
          "Cost Posted to G/L",
          "Expected Cost Posted to G/L",
          ...ALWAYS_REQUIRED.slice(0, 5),
        ],
        rows: [
          [],
          [1, "2026-01-05", "Sale", "Direct Cost"],
          ["  ", "", null],
          [2, "2026-01-05", "Sale", "Revaluation", "5", "1"],
        ],
        rowNumbers: [5, 6, 7, 9],
      },
    });
    const r = await readPostingInput(wb);
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries.map((e) => e.entryNo)).toEqual([1, 2]);
    expect(r.context.valueEntryRows).toEqual([1, 3]);
    expect(r.context.postedValues).toEqual([
      [null, null],
      [null, null],
      [null, null],
      ["5", "1"],
    ]);
    expect(r.input!.valueEntries[1]).toMatchObject({
      costPostedToGL: 500,
      expectedCostPostedToGL: 100,
    });
  });
});

describe("performance", () => {
  test("100,000 value entries as text cells read in well under the budget", async () => {
    const header = [
      "Entry No.",
      "Posting Date",
      "Item No.",
      "Item Ledger Entry Type",
      "Entry Type",
      "Variance Type",
      "Expected Cost",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Source Type",
      "Source No.",
      "Order Type",
      "Order No.",
      "Document No.",
      "Cost Amount (Actual)",
      "Cost Amount (Expected)",
      "Cost Posted to G/L",
      "Expected Cost Posted to G/L",
      "Dimension Set ID",
      "Description",
    ];
    const types = ["Purchase", "Sale", "Positive Adjmt.", "Output", "Consumption"];
    const rows = [];
    for (let i = 1; i <= 100000; i++)
      rows.push([
        String(i),
        `2026-01-${String((i % 28) + 1).padStart(2, "0")}`,
        `ITEM${i % 500}`,
        types[i % 5],
        "Direct Cost",
        "",
        i % 7 === 0 ? "Yes" : "No",
        "BLUE",
        "RESALE",
        "DOMESTIC",
        "RETAIL",
        "Vendor",
        "10000",
        "",
        "",
        `DOC${i}`,
        `${(i % 1000) + 0.25}`,
        "0",
        "0",
        "0",
        "0",
        `Entry ${i}`,
      ]);
    const wb = workbook({ "Value Entries": { header, rows } });
    // Timing is the benchmark's business (npm run bench); here: all 100,000 rows read right.
    const r = await readPostingInput(wb);
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries).toHaveLength(100000);
    expect(r.input!.valueEntries[99999]).toMatchObject({
      entryNo: 100000,
      costAmountActual: 25,
      itemLedgerEntryType: "Purchase",
    });
  });
});

describe("input errors say where a table was found", () => {
  test("the sheet (and Excel table) when their names differ from the caption", async () => {
    const book = new MemoryWorkbook({
      ValueEntries: {
        header: [
          "Entry No.",
          "Posting Date",
          "Item Ledger Entry Type",
          "Entry Type",
          "Cost Amount (Actual)",
        ],
        rows: [[1, "2026-01-05", "Purchase", "Direct Cost", "abc"]],
      },
      Table7: {
        header: ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
        rows: [
          ["BLUE", "RESALE", "2130"],
          ["BLUE", "RESALE", "2130"],
        ],
      },
      "General Posting Setup": {
        header: ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group"],
        rows: [],
      },
    });
    const sheets: Record<string, string> = {
      ValueEntries: "Data",
      Table7: "Inventory Posting Setup",
      "General Posting Setup": "General Posting Setup",
    };
    book.listTables = async () =>
      [...book.tables.keys()].map((name) => ({
        name,
        kind: "table" as const,
        sheet: sheets[name],
      }));
    const r = await readPostingInput(book);
    const texts = r.errors.map(formatInputError);
    expect(texts).toContain(
      'Value Entries (sheet "Data"), row 2, column "Cost Amount (Actual)": "abc" is not a number'
    );
    expect(texts.find((t) => t.startsWith("Inventory Posting Setup"))).toMatch(
      /^Inventory Posting Setup \(table "Table7"\), row 3: /
    );
  });
});
