/**
 * The try page's formula evaluation (test/excel/try/formulaCells.ts) in Node: the sample's Formulas sheet read
 * as the page reads it, its cached values wiped, then recalculated with the add-in's function exports; plus
 * the argument forms it resolves (structured references, sheet ranges, text with commas, omitted arguments).
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { modelFromExcelJs } from "./fake/xlsx";
import type { WorkbookModel } from "./fake/model";
import { clearFormulaCaches, formulaFunctions } from "../../src/excel/functions/formulas";
import { evaluate, formulaCellsOf, recalculate } from "./try/formulaCells";

const SAMPLE = path.resolve(__dirname, "../../samples/bike-chain.xlsx");

let wb: ExcelJS.Workbook;
let model: WorkbookModel;
beforeAll(async () => {
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(SAMPLE);
}, 30_000);
beforeEach(() => {
  model = modelFromExcelJs(wb);
  clearFormulaCaches();
});

/** A table's cells as Excel passes Table[#All]. */
function tableValues(name: string): unknown[][] {
  const t = model.table(name)!;
  const out: unknown[][] = [];
  for (let r = 0; r < t.box.rowCount; r++) {
    const line: unknown[] = [];
    for (let c = 0; c < t.box.colCount; c++)
      line.push(t.sheet.get(t.box.row + r, t.box.col + c) ?? "");
    out.push(line);
  }
  return out;
}

test("the Formulas sheet: five INVT formulas, recalculated from nothing to what the functions give", async () => {
  const cells = formulaCellsOf(wb);
  expect(cells.map((c) => [c.sheet, c.formula.replace(/\(.*/, "")])).toEqual([
    ["Formulas", "INVT.TOTALS"],
    ["Formulas", "INVT.SKIPPED"],
    ["Formulas", "INVT.COSTTOPOST"],
    ["Formulas", "INVT.GLACCOUNT"],
    ["Formulas", "INVT.GLPOST"],
  ]);
  const sheet = model.sheet("Formulas")!;
  for (const c of cells)
    for (let r = 0; r < c.rows; r++)
      for (let k = 0; k < c.cols; k++) sheet.set(c.row + r, c.col + k, undefined);
  await recalculate(model, cells);
  expect(cells.map((c) => c.error)).toEqual([null, null, null, null, null]);

  const F = formulaFunctions();
  const [ve, ips, gps, settings, items, gl] = [
    "ValueEntries",
    "InventoryPostingSetup",
    "GeneralPostingSetup",
    "Settings",
    "Items",
    "GLAccounts",
  ].map(tableValues);
  const expected = [
    await F.totals(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    await F.skipped(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    await F.costToPost(ve, settings),
    await F.glAccount(ve.slice(0, 2), ips, gps, items, settings),
    await F.glPost(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
  ];
  cells.forEach((c, i) => {
    expect([c.rows, c.cols]).toEqual([expected[i].length, expected[i][0].length]);
    const got: unknown[][] = [];
    for (let r = 0; r < c.rows; r++) {
      const line: unknown[] = [];
      for (let k = 0; k < c.cols; k++) line.push(sheet.get(c.row + r, c.col + k) ?? "");
      got.push(line);
    }
    expect(got).toEqual(expected[i]);
  });
});

test("a result that shrinks clears the cells it no longer covers", async () => {
  const cells = formulaCellsOf(wb).filter((c) => c.formula.startsWith("INVT.GLPOST"));
  await recalculate(model, cells);
  const before = cells[0].rows;
  expect(before).toBeGreaterThan(2);
  // Everything already posted: Cost Posted to G/L = Cost Amount (Actual), Expected Cost Posted = Cost Amount (Expected).
  const t = model.table("ValueEntries")!;
  const col = (name: string) => {
    for (let c = 0; c < t.box.colCount; c++)
      if (t.sheet.get(t.box.row, t.box.col + c) === name) return t.box.col + c;
    throw new Error(name);
  };
  for (let r = 1; r < t.box.rowCount; r++) {
    t.sheet.set(
      t.box.row + r,
      col("Cost Posted to G/L"),
      t.sheet.get(t.box.row + r, col("Cost Amount (Actual)")) ?? 0
    );
    t.sheet.set(
      t.box.row + r,
      col("Expected Cost Posted to G/L"),
      t.sheet.get(t.box.row + r, col("Cost Amount (Expected)")) ?? 0
    );
  }
  await recalculate(model, cells);
  expect(cells[0].rows).toBe(1); // the header row alone: nothing to post
  const sheet = model.sheet("Formulas")!;
  expect(sheet.get(cells[0].row, cells[0].col)).toBe("Entry No.");
  for (let r = 1; r < before; r++)
    expect(sheet.get(cells[0].row + r, cells[0].col)).toBeUndefined();
});

test("arguments: #All and #Data, quoted sheet ranges, text with commas and quotes, omitted ones", async () => {
  const here = model.sheet("Formulas")!;
  // #Data has no header row: refused as Excel's function would refuse it.
  await expect(evaluate("INVT.COSTTOPOST(ValueEntries[#Data])", model, here)).rejects.toMatchObject(
    { code: "#REF!" }
  );
  await expect(evaluate("INVT.COSTTOPOST(ValueEntries)", model, here)).rejects.toMatchObject({
    code: "#REF!",
  });
  expect(
    await evaluate("INVT.COSTTOPOST('Value Entries'!A1:U2,Settings[#All])", model, here)
  ).toEqual([[150]]);
  expect(await evaluate('INVT.ACCOUNTS("Purchase","Direct Cost")', model, here)).toEqual([
    ["Inventory (Interim)", "Invt. Accrual (Interim)"],
    ["Inventory", "Direct Cost Applied"],
  ]);
  await expect(
    evaluate(
      'INVT.GLPOST(ValueEntries[#All],InventoryPostingSetup[#All],GeneralPostingSetup[#All],"a, ""b""")',
      model,
      here
    )
  ).rejects.toMatchObject({
    code: "#VALUE!",
    message:
      'method: "a, \\"b\\"" is not a posting method; use "entry" (per Entry) or "group" (per Posting Group).',
  });
  const entry = await evaluate(
    "INVT.GLPOST(ValueEntries[#All],InventoryPostingSetup[#All],GeneralPostingSetup[#All],,,Settings[#All])",
    model,
    here
  );
  expect(entry[1][2]).toBe("PR-1001"); // per Entry: the entry's own Document No.
  await expect(evaluate("INVT.NOPE(1)", model, here)).rejects.toMatchObject({ code: "#NAME?" });
  await expect(evaluate("INVT.COSTTOPOST(NoSuchTable[#All])", model, here)).rejects.toMatchObject({
    code: "#REF!",
  });
});

test("the sample stores them as Excel does: _xldudf_INVT_ names in dynamic-array formulas (cell metadata XLDAPR)", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { unzipSync, strFromU8 } = require("fflate") as typeof import("fflate");
  const files = unzipSync(new Uint8Array(fs.readFileSync(SAMPLE)));
  const metadata = strFromU8(files["xl/metadata.xml"]);
  expect(metadata).toContain('<metadataType name="XLDAPR"');
  expect(metadata).toContain('fDynamic="1"');
  expect(strFromU8(files["[Content_Types].xml"])).toContain('PartName="/xl/metadata.xml"');
  expect(strFromU8(files["xl/_rels/workbook.xml.rels"])).toContain('Target="metadata.xml"');
  const sheets = Object.keys(files)
    .filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))
    .map((f) => strFromU8(files[f]));
  const formulas = sheets.flatMap((x) =>
    [...x.matchAll(/<c r="[A-Z]+\d+"[^>]* cm="1"><f t="array" ref="[A-Z0-9:]+">([^<]*)<\/f>/g)].map(
      (m) => m[1]
    )
  );
  expect(formulas.map((f) => f.replace(/\(.*/, ""))).toEqual([
    "_xldudf_INVT_TOTALS",
    "_xldudf_INVT_SKIPPED",
    "_xldudf_INVT_COSTTOPOST",
    "_xldudf_INVT_GLACCOUNT",
    "_xldudf_INVT_GLPOST",
  ]);
});
