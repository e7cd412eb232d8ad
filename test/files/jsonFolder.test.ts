/**
 * The JSON shapes (jsonShapes.ts) and the folder of JSON files (jsonFolder.ts): OData responses read as
 * tables and written back in their shape; a folder of them detected, guarded and written like a CSV folder.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { JsonFolderWorkbook } from "../../src/files/jsonFolder";
import fc from "fast-check";
import { parseJsonTables, renderJsonTables, renderJsonText } from "../../src/files/jsonShapes";
import { openWorkbook, workbookFormat } from "../../src/files/open";
import { matchOption } from "../../src/workbook/names";
import { ConcurrentChangeError, type TableWrite } from "../../src/workbook/port";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { ENTRY_TYPES, VARIANCE_TYPES, ITEM_LEDGER_ENTRY_TYPES } from "../../src/engine/types";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));
async function folder(files: Record<string, unknown>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "jsonfolder-"));
  dirs.push(dir);
  for (const [name, v] of Object.entries(files))
    await fs.writeFile(
      path.join(dir, name),
      typeof v === "string" ? v : JSON.stringify(v, null, 2)
    );
  return dir;
}

const CTX =
  "https://api.businesscentral.dynamics.com/v2.0/t/Production/ODataV4/$metadata#Company('CRONUS')";
const response = (set: string, value: Record<string, unknown>[]) => ({
  "@odata.context": `${CTX}/${set}`,
  value,
});

describe("JSON shapes", () => {
  test("an OData collection is one table named by its entity set, read without its annotations, written back as it was", () => {
    const text = JSON.stringify(
      response("ValueEntries", [
        { "@odata.etag": 'W/"1"', Entry_No: 1, "Cost@odata.type": "#Decimal", Cost: 2 },
      ])
    );
    const { tables, layout } = parseJsonTables(text, "ve.json");
    expect(Object.keys(tables)).toEqual(["ValueEntries"]);
    expect(renderJsonTables(tables, layout)).toEqual(JSON.parse(text));
  });

  test("without a context the file name names it; a single entity is a one-record table", () => {
    expect(Object.keys(parseJsonTables('{"value": []}', "/x/Value Entries.json").tables)).toEqual([
      "Value Entries",
    ]);
    const entity = {
      "@odata.context": `${CTX}/GeneralLedgerSetup/$entity`,
      "@odata.etag": 'W/"2"',
      Global_Dimension_1_Code: "DEPARTMENT",
    };
    const { tables, layout } = parseJsonTables(JSON.stringify(entity), "gl.json");
    expect(tables).toEqual({ GeneralLedgerSetup: [entity] });
    expect(renderJsonTables(tables, layout)).toEqual(entity);
  });

  test("a table added to a one-response file makes it an object of tables, the response kept under its entity set", () => {
    const r = response("ValueEntries", [{ Entry_No: 1 }]);
    const { tables, layout } = parseJsonTables(JSON.stringify(r), "ve.json");
    expect(renderJsonTables({ ...tables, "G/L Entries": [{ "Entry No.": 1 }] }, layout)).toEqual({
      ValueEntries: r,
      "G/L Entries": [{ "Entry No.": 1 }],
    });
  });

  test("written in pieces, the text is exactly JSON.stringify of the shape, pretty or compact", () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const record = fc.dictionary(fc.string(), json, { maxKeys: 6 });
    const annotations = fc.dictionary(
      fc.string().map((k) => `@odata.${k}`),
      json,
      { maxKeys: 3 }
    );
    fc.assert(
      fc.property(
        fc.array(fc.option(record, { nil: null }), { maxLength: 6 }),
        annotations,
        fc.array(record, { maxLength: 4 }),
        fc.boolean(),
        (value, others, plain, pretty) => {
          const file = JSON.stringify({
            ValueEntries: { ...others, "@odata.context": `${CTX}/ValueEntries`, value },
            Items: plain,
          });
          const { tables, layout } = parseJsonTables(file, "x.json");
          const want =
            JSON.stringify(renderJsonTables(tables, layout), null, pretty ? 2 : undefined) + "\n";
          expect(renderJsonText(tables, layout, pretty)).toBe(want);
          const single = parseJsonTables(
            JSON.stringify({ "@odata.context": `${CTX}/ValueEntries`, value }),
            "y.json"
          );
          expect(renderJsonText(single.tables, single.layout, pretty)).toBe(
            JSON.stringify(
              renderJsonTables(single.tables, single.layout),
              null,
              pretty ? 2 : undefined
            ) + "\n"
          );
        }
      ),
      { numRuns: 100 }
    );
  });

  test("an object that is neither an array of records nor an OData response is refused as before", () => {
    expect(() => parseJsonTables('{"Items": {"No.": "A"}}', "x.json")).toThrow(
      'x.json: "Items" must be an array of records ({ "<column>": value }), not an object.'
    );
    expect(() => parseJsonTables('{"value": [1]}', "x.json")).toThrow(
      'x.json: "value" item 1 must be an object'
    );
  });

  test("OData's enum encodings read as the option: Positive_x0020_Adjmt_x002E_, _x0020_ for blank", () => {
    expect(matchOption(ITEM_LEDGER_ENTRY_TYPES, "Positive_x0020_Adjmt_x002E_")).toBe(
      "Positive Adjmt."
    );
    expect(matchOption(ITEM_LEDGER_ENTRY_TYPES, "_x0020_")).toBe("");
    expect(
      matchOption(ENTRY_TYPES, "Direct_x0020_Cost_x0020__x002D__x0020_Non_x0020_Inventory")
    ).toBe("Direct Cost - Non Inventory");
    expect(matchOption(VARIANCE_TYPES, "Material_x0020__x002D__x0020_Non_x0020_Inventory")).toBe(
      "Material - Non Inventory"
    );
    // Blank is no Entry Type (its option list has no blank).
    expect(matchOption(ENTRY_TYPES, "_x0020_")).toBeNull();
  });
});

describe("a folder of JSON files", () => {
  test("is a JSON folder when it holds .json files and no .csv file", async () => {
    expect(
      await workbookFormat(await folder({ "ValueEntries.json": response("ValueEntries", []) }))
    ).toBe("jsonFolder");
    expect(
      await workbookFormat(
        await folder({ "ValueEntries.json": response("ValueEntries", []), "Items.csv": "No.\nA\n" })
      )
    ).toBe("csv");
    expect(await workbookFormat(await folder({}))).toBe("csv");
    expect(await openWorkbook(await folder({ "a.json": '{"Items": []}' }))).toBeInstanceOf(
      JsonFolderWorkbook
    );
  });

  test("two files holding the same table are an input error naming both", async () => {
    const dir = await folder({
      "ValueEntries.json": response("ValueEntries", [{ Entry_No: 1 }]),
      "ve-january.json": response("ValueEntries", [{ Entry_No: 2 }]),
    });
    const read = await readPostingInput(await JsonFolderWorkbook.open(dir));
    expect(read.errors.map(formatInputError).join("\n")).toMatch(
      /More than one table matches "Value Entries": "ValueEntries", "ValueEntries"/
    );
  });

  const update = (name: string): TableWrite => ({
    kind: "update",
    table: { name, kind: "json" },
    columns: [{ name: "Cost Posted to G/L", format: "money" }],
    updates: [{ row: 0, values: ["5.00"] }],
  });
  const append: TableWrite = {
    kind: "append",
    names: {
      name: "G/L Entries",
      sheetName: "GL Entries",
      excelTableName: "GLEntries",
      csvName: "GL Entries",
    },
    columns: [{ name: "Entry No.", format: "integer" }],
    rows: [[1]],
  };

  test("writes to an output folder: every input file there, the input untouched; the record keeps its etag and key order", async () => {
    const ve = response("ValueEntries", [
      { "@odata.etag": 'W/"1"', Entry_No: 1, Cost_Posted_to_G_L: 0, Description: "x" },
    ]);
    const dir = await folder({
      "ValueEntries.json": ve,
      "Items.json": response("items", [{ number: "A" }]),
    });
    const out = path.join(dir, "out");
    const wb = await JsonFolderWorkbook.open(dir, { outputFolder: out });
    await wb.write([update("ValueEntries"), append], null);
    expect((await fs.readdir(out)).sort()).toEqual([
      "GL Entries.json",
      "Items.json",
      "ValueEntries.json",
    ]);
    const written = JSON.parse(await fs.readFile(path.join(out, "ValueEntries.json"), "utf8"));
    expect(written).toEqual({ ...ve, value: [{ ...ve.value[0], Cost_Posted_to_G_L: 5 }] });
    expect(Object.keys(written.value[0])).toEqual(Object.keys(ve.value[0]));
    expect(JSON.parse(await fs.readFile(path.join(out, "GL Entries.json"), "utf8"))).toEqual({
      value: [{ "Entry No.": 1 }],
    });
    expect(JSON.parse(await fs.readFile(path.join(dir, "ValueEntries.json"), "utf8"))).toEqual(ve);
    expect(wb.location).toBe(out);
    // A second write appends to the new file, which is now a table of the folder.
    await wb.write([append], null);
    expect(
      JSON.parse(await fs.readFile(path.join(out, "GL Entries.json"), "utf8")).value
    ).toHaveLength(2);
  });

  test("a file changed, added or removed since it was read: ConcurrentChangeError and nothing written", async () => {
    const dir = await folder({
      "ValueEntries.json": response("ValueEntries", [{ Entry_No: 1, Cost_Posted_to_G_L: 0 }]),
    });
    const wb = await JsonFolderWorkbook.open(dir);
    await fs.writeFile(
      path.join(dir, "ValueEntries.json"),
      JSON.stringify(response("ValueEntries", [{ Entry_No: 1, Cost_Posted_to_G_L: 9 }]))
    );
    const before = await fs.readFile(path.join(dir, "ValueEntries.json"), "utf8");
    await expect(wb.write([update("ValueEntries"), append], null)).rejects.toBeInstanceOf(
      ConcurrentChangeError
    );
    expect(await fs.readFile(path.join(dir, "ValueEntries.json"), "utf8")).toBe(before);
    expect(await fs.readdir(dir)).toEqual(["ValueEntries.json"]);

    const wb2 = await JsonFolderWorkbook.open(dir);
    await fs.writeFile(path.join(dir, "Other.json"), '{"value": []}');
    await expect(wb2.write([append], null)).rejects.toThrow(/new: Other\.json/);
  });
});
