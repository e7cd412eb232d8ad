import {
  findColumn,
  findTable,
  findTablesRanked,
  isBlankOptionText,
  looseHeader,
  looseName,
  matchOption,
  OptionMatcher,
} from "../../src/workbook/names";
import { ENTRY_TYPES, ITEM_LEDGER_ENTRY_TYPES, VARIANCE_TYPES } from "../../src/engine/types";
import type { TableRef } from "../../src/workbook/port";

describe("looseName", () => {
  test.each([
    ["Value Entries", "valueentries"],
    ["ValueEntries", "valueentries"],
    ["value_entries", "valueentries"],
    ["Cost Amount (Actual)", "costamountactual"],
    ["Cost_Amount_Actual", "costamountactual"],
    ["costAmountActual", "costamountactual"],
    ["G/L Entries", "glentries"],
    ["GL Entries", "glentries"],
    ["Cost Posted to G/L (ACY)", "costpostedtoglacy"],
    ["Cost_Posted_to_G_L_ACY", "costpostedtoglacy"],
    ["  Entry No. ", "entryno"],
    ["Material_x002D_Non_Inventory", "materialnoninventory"],
    ["Größe", "größe"],
    ["", ""],
  ])("%s -> %s", (input, expected) => {
    expect(looseName(input)).toBe(expected);
  });
});

describe("findTable", () => {
  const refs: TableRef[] = [
    { name: "Value Entries", kind: "sheet" },
    { name: "ValueEntries", kind: "table", sheet: "Data" },
    { name: "GL Entries", kind: "sheet" },
    { name: "Table1", kind: "table", sheet: "Items" },
    { name: "Items", kind: "sheet" },
  ];
  test("prefers an Excel table over a sheet of the same loose name", () => {
    expect(findTable(refs, "Value Entries")).toEqual({
      name: "ValueEntries",
      kind: "table",
      sheet: "Data",
    });
  });
  test("output names: G/L Entries matches the sheet GL Entries", () => {
    expect(findTable(refs, "G/L Entries")?.name).toBe("GL Entries");
  });
  test("aliases", () => {
    expect(findTable(refs, "G/L Entry", ["GL Entries"])?.name).toBe("GL Entries");
    expect(findTable(refs, "Nothing", [])).toBeUndefined();
  });
  test("a generic table on a sheet with the right name is that table, and the sheet is not listed twice", () => {
    const hits = findTablesRanked(refs, "Items");
    expect(hits.map((h) => h.ref.name)).toEqual(["Table1"]);
  });
  test("two tables with the same loose name have the same rank (ambiguous)", () => {
    const hits = findTablesRanked(
      [
        { name: "Value Entries", kind: "csv" },
        { name: "value_entries", kind: "csv" },
      ],
      "Value Entries"
    );
    expect(hits).toHaveLength(2);
    expect(hits[0].rank).toBe(hits[1].rank);
  });
});

describe("findColumn", () => {
  const header = looseHeader([
    "Entry_No",
    "Posting Date",
    "Invt. Posting Group",
    "Cost Amount (Actual)",
  ]);
  test("loose match", () => {
    expect(findColumn(header, "Entry No.")).toBe(0);
    expect(findColumn(header, "costAmountActual")).toBe(3);
    expect(findColumn(header, "Cost Amount (Expected)")).toBe(-1);
  });
  test("aliases after the name", () => {
    expect(findColumn(header, "Inventory Posting Group", ["Invt. Posting Group"])).toBe(2);
  });
});

describe("options", () => {
  const ile = new OptionMatcher(ITEM_LEDGER_ENTRY_TYPES);
  const et = new OptionMatcher(ENTRY_TYPES);
  const vt = new OptionMatcher(VARIANCE_TYPES);
  test.each([
    "Positive Adjmt.",
    "Positive_Adjmt",
    "positiveAdjmt",
    "POSITIVE ADJMT",
    " Positive Adjmt. ",
  ])("%s is Positive Adjmt.", (t) => {
    expect(ile.match(t)).toBe("Positive Adjmt.");
  });
  test("blank is the blank option, also as BC writes it", () => {
    for (const t of ["", " ", "_blank_", "  "]) expect(ile.match(t)).toBe("");
    expect(isBlankOptionText("_blank_")).toBe(true);
    expect(isBlankOptionText("x")).toBe(false);
  });
  test("a list without a blank option does not accept blank", () => {
    expect(et.match("")).toBeNull();
    expect(et.match("_blank_")).toBeNull();
  });
  test("dashes and OData escapes", () => {
    expect(et.match("Direct Cost - Non Inventory")).toBe("Direct Cost - Non Inventory");
    expect(et.match("Direct_Cost_Non_Inventory")).toBe("Direct Cost - Non Inventory");
    expect(vt.match("Material_x0020__x002D__x0020_Non_Inventory")).toBe("Material - Non Inventory");
    expect(vt.match("Capacity Overhead")).toBe("Capacity Overhead");
  });
  test("unknown values", () => {
    expect(ile.match("Purchases")).toBeNull();
    expect(ile.match("Purchase")).toBe("Purchase");
    expect(et.describe()).toContain("Direct Cost, Revaluation");
  });
  test("matchOption on cells", () => {
    expect(matchOption(ITEM_LEDGER_ENTRY_TYPES, null)).toBe("");
    expect(matchOption(ENTRY_TYPES, null)).toBeNull();
    expect(matchOption(ENTRY_TYPES, 5)).toBeNull();
    expect(matchOption(ENTRY_TYPES, "indirect_cost")).toBe("Indirect Cost");
  });
});
