/**
 * Builds samples/bike-chain.xlsx from ../shared/spec/examples/bike-chain (or a folder given as argv[2]):
 * one worksheet per table, each a formatted Excel table with typed cells (amounts as numbers with an
 * accounting format, dates as date cells, codes as text), plus an About sheet. Run: npm run sample.
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { EXCEL_EPOCH_OFFSET, isoToDay } from "../src/engine/dates";
import { formulaFunctions, type Spill } from "../src/excel/functions/formulas";
import { parseCsv } from "../src/files/csv";

/** The example's CSV files as rows of text, read by the product's own CSV parser. */
function readCsv(file: string): string[][] {
  const parsed = parseCsv(fs.readFileSync(file, "utf8"));
  const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  return [parsed.header, ...parsed.rows.map((r) => r.map(text))].filter((r) =>
    r.some((c) => c !== "")
  );
}

const TABLES: { file: string; sheet: string; table: string }[] = [
  { file: "Value Entries", sheet: "Value Entries", table: "ValueEntries" },
  {
    file: "Inventory Posting Setup",
    sheet: "Inventory Posting Setup",
    table: "InventoryPostingSetup",
  },
  { file: "General Posting Setup", sheet: "General Posting Setup", table: "GeneralPostingSetup" },
  { file: "Items", sheet: "Items", table: "Items" },
  { file: "GL Accounts", sheet: "GL Accounts", table: "GLAccounts" },
  { file: "Settings", sheet: "Settings", table: "Settings" },
  { file: "Default Dimensions", sheet: "Default Dimensions", table: "DefaultDimensions" },
];

const AMOUNT =
  /^(Cost Amount|Cost Posted|Expected Cost Posted|Exp\. Cost Posted|Standard Cost|Overhead Rate)/;
const INTEGER = /^(Entry No\.|Dimension Set ID|Item Ledger Entry No\.)$/;
const DATE = /Date$/;
const ACCOUNTING = '_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-';

function typed(column: string, value: string, settingName?: string): ExcelJS.CellValue {
  if (value === "") return null;
  // Text that does not read as a number or an existing date stays text, as a user might type it.
  if ((AMOUNT.test(column) || INTEGER.test(column)) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  const isDate =
    DATE.test(column) || (settingName !== undefined && /^Allow Posting/.test(settingName));
  const day = isDate ? isoToDay(value) : null;
  if (day !== null) return new Date(day * 86400000);
  return value;
}

/** Excel's column letters: 0 -> A, 26 -> AA. */
function letters(c: number): string {
  let s = "";
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A table as Excel hands `Table[#All]` to a custom function: dates as serials, empty cells as "". */
function asExcelPasses(header: string[], rows: ExcelJS.CellValue[][]): unknown[][] {
  return [
    header,
    ...rows.map((r) =>
      header.map((_, i) => {
        const v = r[i];
        if (v === null || v === undefined) return "";
        return v instanceof Date ? v.getTime() / 86400000 + EXCEL_EPOCH_OFFSET : v;
      })
    ),
  ];
}

/**
 * A formula as the file stores it: Excel saves an add-in's custom function INVT.GLPOST as _xldudf_INVT_GLPOST
 * and shows it as =INVT.GLPOST once the add-in has registered its functions.
 */
function fileFormula(formula: string): string {
  return formula.replace(/\bINVT\.([A-Z]+)\(/g, "_xldudf_INVT_$1(");
}

const SPILL_AMOUNT = /Amount|Net Change|Cost to Post/;
const SPILL_DATE = /Date$/;

/**
 * The Formulas sheet: =INVT.TOTALS, SKIPPED, COSTTOPOST, GLACCOUNT and GLPOST on the sample's tables, each a
 * dynamic-array formula whose spilled values are the functions' own results (computed here with the add-in's
 * code), so the sheet reads right before the add-in recalculates it. Blocks are spaced for this data, the
 * largest (GLPOST) last. Returns the formula cells for the dynamic-array metadata.
 */
async function addFormulasSheet(
  wb: ExcelJS.Workbook,
  tables: Map<string, { header: string[]; rows: ExcelJS.CellValue[][] }>
): Promise<string[]> {
  const ws = wb.addWorksheet("Formulas");
  const range = (table: string) => {
    const t = tables.get(table)!;
    return asExcelPasses(t.header, t.rows);
  };
  const F = formulaFunctions();
  const ve = range("ValueEntries");
  const ips = range("InventoryPostingSetup");
  const gps = range("GeneralPostingSetup");
  const settings = range("Settings");
  const items = range("Items");
  const gl = range("GLAccounts");
  const run =
    'ValueEntries[#All],InventoryPostingSetup[#All],GeneralPostingSetup[#All],"group","INVT-2026-01",Settings[#All],Items[#All],GLAccounts[#All]';
  const firstEntry = `'Value Entries'!A1:${letters(ve[0].length - 1)}2`;
  const blocks: { title: string; formula: string; values: Spill }[] = [
    {
      title: "Trial balance of the run (per Posting Group, Document No. INVT-2026-01)",
      formula: `INVT.TOTALS(${run})`,
      values: await F.totals(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    },
    {
      title: "Entries the run would skip (just the header: none)",
      formula: `INVT.SKIPPED(${run})`,
      values: await F.skipped(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    },
    {
      title: "Cost still to post per value entry",
      formula: "INVT.COSTTOPOST(ValueEntries[#All],Settings[#All])",
      values: await F.costToPost(ve, settings),
    },
    {
      title: "Why value entry 1 posts where it does (header row and its row)",
      formula: `INVT.GLACCOUNT(${firstEntry},InventoryPostingSetup[#All],GeneralPostingSetup[#All],Items[#All],Settings[#All])`,
      values: await F.glAccount(ve.slice(0, 2), ips, gps, items, settings),
    },
    {
      title: "Proposed G/L entries (per Posting Group, Document No. INVT-2026-01)",
      formula: `INVT.GLPOST(${run})`,
      values: await F.glPost(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    },
  ];
  ws.getCell(1, 1).value =
    "Formulas: what Post Inventory Cost to G/L would post now, as live custom functions (a preview: they never change the workbook).";
  ws.getCell(1, 1).font = { bold: true };
  ws.getCell(2, 1).value =
    "They recalculate when the tables change, with the add-in loaded (Inventory Costing); without it Excel shows _xldudf_INVT_... and #NAME? once it recalculates.";
  const masters: string[] = [];
  const widths: number[] = [];
  let row = 4;
  for (const b of blocks) {
    const label = ws.getCell(row, 1);
    label.value = `${b.title}:  =${b.formula}`;
    label.font = { bold: true };
    const top = row + 1;
    const cols = Math.max(...b.values.map((r) => r.length));
    const ref = `A${top}:${letters(cols - 1)}${top + b.values.length - 1}`;
    b.values.forEach((r, i) =>
      r.forEach((v, c) => {
        const cell = ws.getCell(top + i, c + 1);
        if (i === 0 && c === 0)
          cell.value = {
            formula: fileFormula(b.formula),
            result: v,
            shareType: "array",
            ref,
          } as ExcelJS.CellValue;
        else cell.value = v;
        const head = String(b.values[0][c] ?? "");
        if (i === 0 && b.values.length > 1) cell.font = { bold: true };
        else if (typeof v === "number" && SPILL_AMOUNT.test(head)) cell.numFmt = ACCOUNTING;
        else if (typeof v === "number" && SPILL_DATE.test(head)) cell.numFmt = "yyyy-mm-dd";
        widths[c] = Math.min(45, Math.max(widths[c] ?? 10, String(v).length + 2));
      })
    );
    masters.push(`A${top}`);
    // Room for a few more rows before the next block (a spill that grows into it shows #SPILL!).
    row = top + b.values.length + 3;
  }
  widths.forEach((w, c) => (ws.getColumn(c + 1).width = w));
  return masters;
}

/**
 * Marks the Formulas sheet's array formulas as dynamic arrays (spilling, not legacy Ctrl+Shift+Enter): the
 * cell metadata part Excel writes for them (xl/metadata.xml, type XLDAPR) and cm="1" on each formula cell.
 * exceljs cannot write it, so it is added to the zip afterwards.
 */
function markDynamicArrays(
  xlsx: Uint8Array,
  sheetIndex: number,
  cells: readonly string[]
): Uint8Array {
  const files = unzipSync(xlsx);
  const sheetPath = `xl/worksheets/sheet${sheetIndex}.xml`;
  let sheet = strFromU8(files[sheetPath]);
  for (const ref of cells) {
    const before = sheet;
    sheet = sheet.replace(
      new RegExp(`<c r="${ref}"([^>]*)><f t="array"`),
      `<c r="${ref}"$1 cm="1"><f t="array"`
    );
    if (sheet === before) throw new Error(`no array formula in ${ref} of ${sheetPath}`);
  }
  files[sheetPath] = strToU8(sheet);
  files["xl/metadata.xml"] = strToU8(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">' +
      '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>' +
      '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>' +
      '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
  );
  const types = strFromU8(files["[Content_Types].xml"]);
  files["[Content_Types].xml"] = strToU8(
    types.replace(
      "</Types>",
      '<Override PartName="/xl/metadata.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/></Types>'
    )
  );
  const rels = strFromU8(files["xl/_rels/workbook.xml.rels"]);
  files["xl/_rels/workbook.xml.rels"] = strToU8(
    rels.replace(
      "</Relationships>",
      '<Relationship Id="rIdMetadata1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" Target="metadata.xml"/></Relationships>'
    )
  );
  // Fixed timestamps, as the workbook's own: the same source gives the same bytes.
  const mtime = new Date("2026-01-31T00:00:00Z");
  return zipSync(
    Object.fromEntries(
      Object.entries(files)
        .filter(([name]) => !name.endsWith("/"))
        .map(([name, data]) => [name, [data, { mtime }]])
    ),
    { level: 6 }
  );
}

/**
 * Writes the example folder `source` (CSV files) as an .xlsx workbook of Excel tables at `target`; with
 * `about` (the bundled sample) also the About sheet and the Formulas sheet.
 */
export async function buildSample(source: string, target: string, about = true): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "inventory-cost-to-gl sample builder";
  // Fixed timestamps: the same source gives the same workbook content.
  wb.created = new Date("2026-01-31T00:00:00Z");
  wb.modified = new Date("2026-01-31T00:00:00Z");

  const aboutSheet = about ? wb.addWorksheet("About") : null;
  if (aboutSheet) aboutSheet.getColumn(1).width = 110;
  if (aboutSheet)
    [
      "Bike chain: the reconciliation example of the Business Central documentation (Design Details: Reconciliation with the General Ledger).",
      "150 chain links bought at standard cost 1.00 (overhead 0.02) and invoiced at 165; a chain shipped and invoiced; the links consumed in",
      "production order PO-101 with 60 minutes on a work center; the chain output, finished and adjusted; then revalued from 150 to 140.",
      "Expected Cost Posting to G/L is on (see Settings). Post it with the ribbon button Post Cost to G/L, or: npx glpost post samples/bike-chain.xlsx",
      "--document-no INVT-2026-01 --out out/bike-chain-posted.xlsx. The run adds G/L Entries, G/L - Item Ledger Relation, G/L Registers and",
      "Skipped Entries, and fills Cost Posted to G/L / Expected Cost Posted to G/L in Value Entries. This sheet is left as it is.",
      "The Formulas sheet shows the same run as live custom functions before anything is posted: =INVT.TOTALS (the trial balance),",
      "=INVT.SKIPPED, =INVT.COSTTOPOST, =INVT.GLACCOUNT (why an entry posts where it does) and =INVT.GLPOST (the proposed G/L entries).",
    ].forEach((line, i) => (aboutSheet.getCell(i + 1, 1).value = line));
  if (aboutSheet) aboutSheet.getCell(1, 1).font = { bold: true };

  const written = new Map<string, { header: string[]; rows: ExcelJS.CellValue[][] }>();
  for (const t of TABLES) {
    const file = path.join(source, `${t.file}.csv`);
    if (!fs.existsSync(file)) continue;
    const [header, ...rows] = readCsv(file);
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
    const cells = rows.map((r) =>
      header.map((h, i) => typed(h, r[i] ?? "", t.file === "Settings" ? r[0] : undefined))
    );
    written.set(t.table, { header, rows: cells });
    ws.addTable({
      name: t.table,
      ref: "A1",
      headerRow: true,
      style: { theme: "TableStyleMedium2", showRowStripes: true },
      columns: header.map((name) => ({ name, filterButton: true })),
      rows: cells,
    });
    header.forEach((h, i) => {
      const col = ws.getColumn(i + 1);
      col.width = Math.min(
        60,
        Math.max(10, h.length + 2, ...rows.map((r) => (r[i] ?? "").length + 2))
      );
      if (AMOUNT.test(h)) col.numFmt = ACCOUNTING;
      else if (DATE.test(h)) col.numFmt = "yyyy-mm-dd";
    });
    if (t.file === "Settings")
      rows.forEach((r, i) => {
        if (/^Allow Posting/.test(r[0])) ws.getCell(i + 2, 2).numFmt = "yyyy-mm-dd";
      });
  }
  const formulaCells = about ? await addFormulasSheet(wb, written) : [];
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (formulaCells.length === 0) return void (await wb.xlsx.writeFile(target));
  const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  fs.writeFileSync(target, markDynamicArrays(bytes, wb.worksheets.length, formulaCells));
}

if (require.main === module) {
  const source =
    process.argv[2] ??
    path.join(__dirname, "..", "..", "..", "shared", "spec", "examples", "bike-chain");
  const target = process.argv[3] ?? path.join(__dirname, "..", "..", "samples", "bike-chain.xlsx");
  buildSample(source, target).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
