import { AT } from "../../src/engine/accountTypes";
import { isoToDay } from "../../src/engine/dates";
import {
  POSTED_ACTUAL,
  POSTED_EXPECTED,
  type GLEntry,
  type PostingResult,
  type RunOptions,
  type TestReportLine,
} from "../../src/engine/types";
import { MemoryWorkbook } from "./memory";
import { joinWarnings, planWrites } from "../../src/workbook/outputs";
import { OUTPUT_TABLES } from "../../src/workbook/outputSchema";
import type { AppendWrite, ReplaceWrite, UpdateWrite } from "../../src/workbook/port";
import { readPostingInput } from "../../src/workbook/read";

const T = MemoryWorkbook.table;
const day = (iso: string) => isoToDay(iso)!;

/** Required columns (their absence changes what posts), blank in every row: the rows are shorter than the header. */
const BLANK_GROUP_COLUMNS = [
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
];

function workbook(
  extraVeColumns: string[] = [],
  extraValues: string[] = [],
  settings: [string, string][] = []
) {
  return new MemoryWorkbook({
    "Value Entries": T(
      [
        "Entry No.",
        "Posting Date",
        "Item No.",
        "Item Ledger Entry Type",
        "Entry Type",
        "Cost Amount (Actual)",
        "Cost Amount (Expected)",
        "Cost Posted to G/L",
        "Notes",
        ...extraVeColumns,
        ...BLANK_GROUP_COLUMNS,
      ],
      [1, "2020-01-01", "1000", "Purchase", "Direct Cost", "70", "0", "0", "a", ...extraValues],
      [null, null, null, null, null, null, null, null, null],
      [2, "2020-01-01", "1000", "Purchase", "Indirect Cost", "10", "0", "10", "b", ...extraValues],
      [3, "2020-01-15", "1000", "Sale", "Direct Cost", "-80", "5", "0", "c", ...extraValues]
    ),
    "Inventory Posting Setup": T(["Location Code", "Invt. Posting Group Code"], ["", "RESALE"]),
    "General Posting Setup": T(
      ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group"],
      ["", "RETAIL"]
    ),
    Settings: T(["Setting", "Value"], ...settings),
  });
}

const options: RunOptions = {
  postingMethod: "per Entry",
  documentNo: "",
  post: true,
  itemFilter: "",
  dateFilter: "",
  now: { date: day("2026-02-01"), time: "10:11:12" },
  userId: "ANNA",
};

function gl(entryNo: number, amount: number, at: number, bal: number): GLEntry {
  return {
    entryNo,
    postingDate: day("2020-01-01"),
    documentNo: "107001",
    externalDocumentNo: "",
    glAccountNo: at === AT["Inventory"] ? "2130" : "7291",
    glAccountName: at === AT["Inventory"] ? "Inventory" : "Direct Cost Applied",
    description: "Direct Cost 10000 on 2020-01-01",
    amount,
    additionalCurrencyAmount: 0,
    sourceCode: "INVTPCOST",
    systemCreatedEntry: true,
    transactionNo: 1,
    glRegisterNo: 1,
    inventoryAccountType: at,
    balAccountType: bal,
    locationCode: "BLUE",
    inventoryPostingGroup: "RESALE",
    genBusPostingGroup: "DOMESTIC",
    genProdPostingGroup: "RETAIL",
    dimensionSetId: 0,
    globalDimension1Code: "",
    globalDimension2Code: "",
  };
}

/** Entry 1 posts 70 (Cost Posted 0 -> 70); entry 2 is "updated" to the same 10 (no change); entry 3 is skipped. */
function result(post = true): PostingResult {
  return {
    options: { ...options, post },
    glEntries: [
      gl(5, 7000, AT["Inventory"], AT["Direct Cost Applied"]),
      gl(6, -7000, AT["Direct Cost Applied"], AT["Inventory"]),
    ],
    relations: { glRegisterNo: 1, glEntryNo: [5, 6], valueEntryNo: [1, 1] },
    register: {
      no: 1,
      fromEntryNo: 5,
      toEntryNo: 6,
      creationDate: day("2026-02-01"),
      creationTime: "10:11:12",
      sourceCode: "INVTPCOST",
      userId: "ANNA",
      postingMethod: "per Entry",
      documentNo: "",
      entriesPosted: 1,
      entriesSkipped: 1,
      amountPosted: 7000,
      inputFingerprint: "abc123",
    },
    // Entries 1 and 2 posted their actual part (Cost Posted to G/L := Cost Amount (Actual)), entry 3 did not.
    postedParts: Uint8Array.from([POSTED_ACTUAL, POSTED_ACTUAL, 0]),
    skipped: [
      {
        index: 2,
        valueEntryNo: 3,
        reasonCode: "INVENTORY_POSTING_SETUP_MISSING",
        reason: "The Inventory Posting Setup does not exist.",
        howToFix: "Add a row.",
        problems: [],
        costAmount: -8000,
      },
    ],
    outcomes: ["posted", "alreadyPosted", "skipped"],
    counts: { posted: 1, alreadyPosted: 1, ignored: 0, skipped: 1, filteredOut: 0 },
    totals: { debit: 7000, credit: 7000, debitACY: 0, creditACY: 0 },
    overriddenDimensionErrors: 0,
  };
}

const testLines: TestReportLine[] = [
  {
    postingDate: day("2020-01-15"),
    documentNo: "103001",
    description: "Direct Cost 20000 on 2020-01-15",
    glAccountNo: "",
    amount: -8000,
    additionalCurrencyAmount: 0,
    valueEntryNo: 3,
    inventoryAccountType: AT["Inventory"],
    setupKey: ",RESALE",
    warnings: [
      "Inventory Account is missing in Inventory Posting Setup, RESALE",
      "Second warning.",
    ],
  },
];

describe("planWrites", () => {
  test("a posting run: G/L entries, relations, posted columns, register (last: the commit mark), skipped entries, test report", async () => {
    const { input, context, errors } = await readPostingInput(workbook());
    expect(errors).toEqual([]);
    const writes = planWrites(result(), input!, context, testLines);
    expect(
      writes.map((w) =>
        w.kind === "update" || w.kind === "delete"
          ? `${w.kind} ${w.table.name}`
          : `${w.kind} ${w.names.name}`
      )
    ).toEqual([
      "append G/L Entries",
      "append G/L - Item Ledger Relation",
      // The posted cells as they were, for undo (before the posted columns change and the register row).
      "append G/L Register Changes",
      "update Value Entries",
      "append G/L Registers",
      "replace Skipped Entries",
      "replace Post Inventory Cost to G/L - Test",
    ]);

    const glw = writes[0] as AppendWrite;
    expect(glw.existing).toBeUndefined();
    expect(glw.names).toEqual({
      name: "G/L Entries",
      sheetName: "GL Entries",
      excelTableName: "GLEntries",
      csvName: "GL Entries",
    });
    expect(glw.columns.map((c) => c.name)).toEqual([
      "Entry No.",
      "Posting Date",
      "Document No.",
      "External Document No.",
      "G/L Account No.",
      "G/L Account Name",
      "Description",
      "Amount",
      "Debit Amount",
      "Credit Amount",
      "Additional-Currency Amount",
      "Source Code",
      "System-Created Entry",
      "Transaction No.",
      "G/L Register No.",
      "Inventory Account Type",
      "Bal. Account Type",
      "Location Code",
      "Inventory Posting Group",
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Dimension Set ID",
      "Global Dimension 1 Code",
      "Global Dimension 2 Code",
    ]);
    const row = (i: number) =>
      Object.fromEntries(glw.columns.map((c, j) => [c.name, glw.rows[i][j]]));
    expect(row(0)).toMatchObject({
      "Entry No.": 5,
      "Posting Date": "2020-01-01",
      "G/L Account No.": "2130",
      Amount: "70.00",
      "Debit Amount": "70.00",
      "Credit Amount": "0.00",
      "Additional-Currency Amount": "0.00",
      "System-Created Entry": true,
      "Inventory Account Type": "Inventory",
      "Bal. Account Type": "Direct Cost Applied",
    });
    expect(row(1)).toMatchObject({
      Amount: "-70.00",
      "Debit Amount": "0.00",
      "Credit Amount": "70.00",
      "Inventory Account Type": "Direct Cost Applied",
    });
    expect(glw.columns.find((c) => c.name === "Amount")!.format).toBe("money");
    expect(glw.columns.find((c) => c.name === "Posting Date")!.format).toBe("date");

    expect((writes[1] as AppendWrite).rows).toEqual([
      [5, 1, 1],
      [6, 1, 1],
    ]);
    // Entry 1's Cost Posted to G/L was the text "0": register 1 records it as it was.
    expect((writes[2] as AppendWrite).rows).toEqual([[1, 1, "Cost Posted to G/L", "0"]]);
    expect((writes[4] as AppendWrite).rows).toEqual([
      [
        1,
        5,
        6,
        "2026-02-01",
        "10:11:12",
        "INVTPCOST",
        "ANNA",
        "per Entry",
        "",
        1,
        1,
        "70.00",
        "abc123",
      ],
    ]);

    // Only entry 1 changes; it sits in SourceTable row 0. Expected Cost Posted to G/L is missing and unchanged: not added.
    const upd = writes[3] as UpdateWrite;
    expect(upd.table).toEqual({ name: "Value Entries", kind: "table" });
    expect(upd.columns).toEqual([{ name: "Cost Posted to G/L", format: "money" }]);
    expect(upd.updates).toEqual([{ row: 0, values: ["70.00"] }]);

    const sk = writes[5] as ReplaceWrite;
    expect(sk.rows).toEqual([
      [
        3,
        "1000",
        "Sale",
        "Direct Cost",
        "",
        "",
        "2020-01-15",
        "",
        "",
        "",
        "",
        false,
        "-80.00",
        "INVENTORY_POSTING_SETUP_MISSING",
        "The Inventory Posting Setup does not exist.",
        "Add a row.",
      ],
    ]);
    expect(sk.columns.map((c) => c.name)).toEqual(
      OUTPUT_TABLES.skippedEntries.columns.map((c) => c.name)
    );

    const tr = writes[6] as ReplaceWrite;
    expect(tr.names.sheetName).toBe("Post Invt Cost to GL - Test");
    expect(tr.rows).toEqual([
      [
        "2020-01-15",
        "103001",
        "Direct Cost 20000 on 2020-01-15",
        "",
        "-80.00",
        3,
        "Inventory",
        ",RESALE",
        "Inventory Account is missing in Inventory Posting Setup, RESALE. Second warning.",
      ],
    ]);
  });

  test("the posted columns of rows that change, in the order of the table, rows mapped past blank rows", async () => {
    const { input, context } = await readPostingInput(
      workbook(["Expected Cost Posted to G/L"], ["0"])
    );
    const r = result();
    // Entry 3 posts both parts (-80 actual, 5 expected); entry 2 posts its actual 10, which is already recorded.
    r.postedParts = Uint8Array.from([0, POSTED_ACTUAL, POSTED_ACTUAL | POSTED_EXPECTED]);
    const upd = planWrites(r, input!, context, null).find(
      (w) => w.kind === "update"
    ) as UpdateWrite;
    expect(upd.columns.map((c) => c.name)).toEqual([
      "Cost Posted to G/L",
      "Expected Cost Posted to G/L",
    ]);
    // Entry index 2 is the 4th SourceTable row (index 3): the blank row keeps its place.
    expect(upd.updates).toEqual([{ row: 3, values: ["-80.00", "5.00"] }]);
  });

  test("a missing posted column is added when a value in it changes", async () => {
    const { input, context } = await readPostingInput(workbook());
    const r = result();
    r.postedParts = Uint8Array.from([0, 0, POSTED_EXPECTED]); // entry 3's expected 5 only
    const upd = planWrites(r, input!, context, null).find(
      (w) => w.kind === "update"
    ) as UpdateWrite;
    expect(upd.columns.map((c) => c.name)).toEqual([
      "Cost Posted to G/L",
      "Expected Cost Posted to G/L",
    ]);
    // Cost Posted to G/L does not change in that row: written back as read ("0"), not reformatted.
    expect(upd.updates).toEqual([{ row: 3, values: ["0", "5.00"] }]);
  });

  test("unchanged cells of a changed row keep their text; blank stays blank; other forms are normalised", async () => {
    const wb = workbook(["Expected Cost Posted to G/L"], ["0"]);
    const ve = wb.tables.get("Value Entries")!;
    const cp = ve.header.indexOf("Cost Posted to G/L");
    const ep = ve.header.indexOf("Expected Cost Posted to G/L");
    ve.rows[0][cp] = null; // blank = 0
    ve.rows[3][cp] = "(0.00)"; // 0 written in another form
    ve.rows[0][ve.header.indexOf("Cost Amount (Expected)")] = "7"; // entry 1 gets an expected 7 to post
    const { input, context, errors } = await readPostingInput(wb);
    expect(errors).toEqual([]);
    const r = result();
    r.postedParts = Uint8Array.from([POSTED_EXPECTED, 0, POSTED_EXPECTED]);
    const upd = planWrites(r, input!, context, null).find(
      (w) => w.kind === "update"
    ) as UpdateWrite;
    expect(upd.columns.map((c) => c.name)).toEqual([
      "Cost Posted to G/L",
      "Expected Cost Posted to G/L",
    ]);
    expect(upd.updates).toEqual([
      { row: 0, values: [null, "7.00"] },
      { row: 3, values: ["0.00", "5.00"] },
    ]);
    expect(ep).toBeGreaterThan(cp);
  });

  test("ACY posted columns only with an Additional Reporting Currency", async () => {
    // With an ACY, all four ACY columns must exist (schema: reading them as blank would change what posts).
    const acyColumns = [
      "Cost Amount (Actual) (ACY)",
      "Cost Amount (Expected) (ACY)",
      "Cost Posted to G/L (ACY)",
      "Exp. Cost Posted to G/L (ACY)",
    ];
    const { input, context } = await readPostingInput(
      workbook(acyColumns, ["65", "0", "0", "0"], [["Additional Reporting Currency", "EUR"]])
    );
    const r = result();
    r.postedParts = Uint8Array.from([POSTED_ACTUAL, 0, 0]); // entry 1: 70 LCY, 65 ACY
    const upd = planWrites(r, input!, context, testLines).find(
      (w) => w.kind === "update"
    ) as UpdateWrite;
    // Every posted column the table has is written; an unchanged cell keeps its text ('0').
    expect(upd.columns.map((c) => c.name)).toEqual([
      "Cost Posted to G/L",
      "Cost Posted to G/L (ACY)",
      "Exp. Cost Posted to G/L (ACY)",
    ]);
    expect(upd.updates).toEqual([{ row: 0, values: ["70.00", "65.00", "0"] }]);
    const tr = planWrites(r, input!, context, testLines).find(
      (w) => w.kind === "replace" && w.names.name.endsWith("Test")
    ) as ReplaceWrite;
    expect(tr.columns.map((c) => c.name).slice(4, 7)).toEqual([
      "Amount",
      "Additional-Currency Amount",
      "Value Entry No.",
    ]);
    expect(tr.rows[0].slice(4, 7)).toEqual(["-80.00", "0.00", 3]);

    const { input: i2, context: c2 } = await readPostingInput(workbook());
    const none = planWrites(r, i2!, c2, null).find((w) => w.kind === "update") as UpdateWrite;
    expect(none.columns.map((c) => c.name)).toEqual(["Cost Posted to G/L"]);
  });

  test("a dry run writes only Skipped Entries and the test report", async () => {
    const { input, context } = await readPostingInput(workbook());
    const writes = planWrites(result(false), input!, context, testLines);
    expect(
      writes.map(
        (w) => w.kind + " " + (w.kind === "update" || w.kind === "delete" ? "" : w.names.name)
      )
    ).toEqual(["replace Skipped Entries", "replace Post Inventory Cost to G/L - Test"]);
    expect(planWrites(result(false), input!, context, null)).toHaveLength(1);
  });

  test("existing output tables are appended to / replaced in place; nothing to post means no appends", async () => {
    const wb = workbook();
    wb.tables.set("GLEntries", T(["Entry No.", "Amount"], [4, "1.00"]));
    wb.tables.set("Skipped_Entries", T(["Value Entry No."], [9]));
    const { input, context } = await readPostingInput(wb);
    const r = result();
    const writes = planWrites(r, input!, context, null);
    expect((writes[0] as AppendWrite).existing).toEqual({ name: "GLEntries", kind: "table" });
    expect((writes.find((w) => w.kind === "replace") as ReplaceWrite).existing).toEqual({
      name: "Skipped_Entries",
      kind: "table",
    });
    const empty: PostingResult = {
      ...r,
      glEntries: [],
      relations: { glRegisterNo: 0, glEntryNo: [], valueEntryNo: [] },
      register: null,
      postedParts: new Uint8Array(3),
    };
    expect(planWrites(empty, input!, context, null).map((w) => w.kind)).toEqual(["replace"]);
  });

  test("sheet names are valid Excel sheet names", () => {
    for (const t of Object.values(OUTPUT_TABLES)) {
      expect(t.names.sheetName.length).toBeLessThanOrEqual(31);
      expect(t.names.sheetName).not.toMatch(/[\\/?*[\]:]/);
      expect(t.names.excelTableName).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
  });

  test("joinWarnings", () => {
    expect(joinWarnings([])).toBeNull();
    expect(joinWarnings(["A is missing", "B."])).toBe("A is missing. B.");
  });
});
