/**
 * Builds samples/bike-chain.xlsx from ../shared/spec/examples/bike-chain (or a folder given as argv[2]):
 * one worksheet per table, each a formatted Excel table with typed cells (amounts as numbers with an
 * accounting format, dates as date cells, codes as text), plus an About sheet. Run: npm run sample.
 */
import ExcelJS from 'exceljs';
import * as fs from 'fs';
import * as path from 'path';
import { isoToDay } from '../src/engine/dates';
import { parseCsv } from '../src/files/csv';


/** The example's CSV files as rows of text, read by the product's own CSV parser. */
function readCsv(file: string): string[][] {
  const parsed = parseCsv(fs.readFileSync(file, 'utf8'));
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return [parsed.header, ...parsed.rows.map((r) => r.map(text))].filter((r) => r.some((c) => c !== ''));
}

const TABLES: { file: string; sheet: string; table: string }[] = [
  { file: 'Value Entries', sheet: 'Value Entries', table: 'ValueEntries' },
  { file: 'Inventory Posting Setup', sheet: 'Inventory Posting Setup', table: 'InventoryPostingSetup' },
  { file: 'General Posting Setup', sheet: 'General Posting Setup', table: 'GeneralPostingSetup' },
  { file: 'Items', sheet: 'Items', table: 'Items' },
  { file: 'GL Accounts', sheet: 'GL Accounts', table: 'GLAccounts' },
  { file: 'Settings', sheet: 'Settings', table: 'Settings' },
  { file: 'Default Dimensions', sheet: 'Default Dimensions', table: 'DefaultDimensions' },
];

const AMOUNT = /^(Cost Amount|Cost Posted|Expected Cost Posted|Exp\. Cost Posted|Standard Cost|Overhead Rate)/;
const INTEGER = /^(Entry No\.|Dimension Set ID|Item Ledger Entry No\.)$/;
const DATE = /Date$/;
const ACCOUNTING = '_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-';

function typed(column: string, value: string, settingName?: string): ExcelJS.CellValue {
  if (value === '') return null;
  // Text that does not read as a number or an existing date stays text, as a user might type it.
  if ((AMOUNT.test(column) || INTEGER.test(column)) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const isDate = DATE.test(column) || (settingName !== undefined && /^Allow Posting/.test(settingName));
  const day = isDate ? isoToDay(value) : null;
  if (day !== null) return new Date(day * 86400000);
  return value;
}

/** Writes the example folder `source` (CSV files) as an .xlsx workbook of Excel tables at `target`. */
export async function buildSample(source: string, target: string, about = true): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'inventory-cost-to-gl sample builder';
  // Fixed timestamps: the same source gives the same workbook content.
  wb.created = new Date('2026-01-31T00:00:00Z');
  wb.modified = new Date('2026-01-31T00:00:00Z');

  const aboutSheet = about ? wb.addWorksheet('About') : null;
  if (aboutSheet) aboutSheet.getColumn(1).width = 110;
  if (aboutSheet) [
    'Bike chain: the reconciliation example of the Business Central documentation (Design Details: Reconciliation with the General Ledger).',
    '150 chain links bought at standard cost 1.00 (overhead 0.02) and invoiced at 165; a chain shipped and invoiced; the links consumed in',
    'production order PO-101 with 60 minutes on a work center; the chain output, finished and adjusted; then revalued from 150 to 140.',
    'Expected Cost Posting to G/L is on (see Settings). Post it with the ribbon button Post Cost to G/L, or: npx glpost post samples/bike-chain.xlsx',
    '--document-no INVT-2026-01 --out out/bike-chain-posted.xlsx. The run adds G/L Entries, G/L - Item Ledger Relation, G/L Registers and',
    'Skipped Entries, and fills Cost Posted to G/L / Expected Cost Posted to G/L in Value Entries. This sheet is left as it is.',
  ].forEach((line, i) => (aboutSheet.getCell(i + 1, 1).value = line));
  if (aboutSheet) aboutSheet.getCell(1, 1).font = { bold: true };

  for (const t of TABLES) {
    const file = path.join(source, `${t.file}.csv`);
    if (!fs.existsSync(file)) continue;
    const [header, ...rows] = readCsv(file);
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addTable({
      name: t.table,
      ref: 'A1',
      headerRow: true,
      style: { theme: 'TableStyleMedium2', showRowStripes: true },
      columns: header.map((name) => ({ name, filterButton: true })),
      rows: rows.map((r) => header.map((h, i) => typed(h, r[i] ?? '', t.file === 'Settings' ? r[0] : undefined))),
    });
    header.forEach((h, i) => {
      const col = ws.getColumn(i + 1);
      col.width = Math.min(60, Math.max(10, h.length + 2, ...rows.map((r) => (r[i] ?? '').length + 2)));
      if (AMOUNT.test(h)) col.numFmt = ACCOUNTING;
      else if (DATE.test(h)) col.numFmt = 'yyyy-mm-dd';
    });
    if (t.file === 'Settings')
      rows.forEach((r, i) => {
        if (/^Allow Posting/.test(r[0])) ws.getCell(i + 2, 2).numFmt = 'yyyy-mm-dd';
      });
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await wb.xlsx.writeFile(target);
}

if (require.main === module) {
  const source = process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'shared', 'spec', 'examples', 'bike-chain');
  const target = process.argv[3] ?? path.join(__dirname, '..', '..', 'samples', 'bike-chain.xlsx');
  buildSample(source, target).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
