/**
 * The fake Excel's workbook <-> an .xlsx through exceljs (its browser build on the try page, the Node
 * build in tests): cell values as Excel's API returns them (dates as serial numbers, formulas as their
 * results), number formats, and Excel tables.
 */
import type { Workbook as XWorkbook, Worksheet as XWorksheet } from "exceljs";
import { parseAddress, rangeAddress } from "../../../src/excel/address";
import { WorkbookModel, type Scalar } from "./model";

type ExcelJSModule = { Workbook: new () => XWorkbook };

function toScalar(v: unknown): Scalar | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean")
    return v === "" ? undefined : v;
  if (v instanceof Date) return v.getTime() / 86400000 + 25569;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("result" in o) return toScalar(o.result);
    if ("formula" in o || "sharedFormula" in o) return undefined;
    if (Array.isArray(o.richText))
      return (o.richText as { text: string }[]).map((t) => t.text).join("");
    if ("text" in o) return toScalar(o.text);
    if ("error" in o) return String(o.error);
  }
  return String(v);
}

/** Reads an .xlsx (bytes) into a fake workbook. */
export async function modelFromXlsx(
  ExcelJS: ExcelJSModule,
  data: ArrayBuffer | Uint8Array
): Promise<WorkbookModel> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as ArrayBuffer);
  return modelFromExcelJs(wb);
}

export function modelFromExcelJs(wb: XWorkbook): WorkbookModel {
  const model = new WorkbookModel();
  wb.eachSheet((ws: XWorksheet) => {
    const sheet = model.addSheet(ws.name);
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = toScalar(cell.value);
        if (v !== undefined) sheet.set(r - 1, c - 1, v);
        if (cell.numFmt && cell.numFmt !== "General") sheet.setFormat(r - 1, c - 1, cell.numFmt);
      });
    });
    for (const t of ws.getTables() as unknown as {
      table: { name: string; tableRef?: string; ref?: string; style?: { theme?: string } };
    }[]) {
      const ref = t.table.tableRef ?? t.table.ref;
      if (!ref) continue;
      const b = parseAddress(ref.includes(":") ? ref : `${ref}:${ref}`);
      const table = model.addTable(
        sheet,
        { row: b.row, col: b.col, rowCount: b.rowCount, colCount: b.colCount },
        t.table.name
      );
      if (t.table.style?.theme) table.style = t.table.style.theme;
    }
  });
  model.activeSheet = model.sheets[0] ?? null;
  return model;
}

/** Writes a fake workbook as a new .xlsx: every sheet's cells and number formats, and its Excel tables. */
export async function xlsxFromModel(
  ExcelJS: ExcelJSModule,
  model: WorkbookModel
): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Inventory Cost to G/L (try page)";
  for (const sheet of model.sheets) {
    const ws = wb.addWorksheet(sheet.name);
    const tables = model.tables.filter((t) => t.sheet === sheet);
    const inTable = (r: number, c: number) =>
      tables.some(
        (t) =>
          r >= t.box.row &&
          r < t.box.row + t.box.rowCount &&
          c >= t.box.col &&
          c < t.box.col + t.box.colCount
      );
    const widths: number[] = [];
    const rows = Math.max(sheet.values.length, sheet.formats.length);
    for (let r = 0; r < rows; r++) {
      const vals = sheet.values[r] ?? [];
      const fmts = sheet.formats[r] ?? [];
      for (let c = 0; c < Math.max(vals.length, fmts.length); c++) {
        const v = vals[c];
        if (v !== undefined)
          widths[c] = Math.max(widths[c] ?? 8, Math.min(50, String(v).length + 2));
        if (inTable(r, c)) continue;
        const cell = ws.getCell(r + 1, c + 1);
        if (v !== undefined) cell.value = v;
        if (fmts[c]) cell.numFmt = fmts[c]!;
      }
    }
    for (const t of tables) {
      const header: string[] = [];
      for (let c = 0; c < t.box.colCount; c++)
        header.push(String(sheet.get(t.box.row, t.box.col + c) ?? `Column${c + 1}`));
      const body: (Scalar | null)[][] = [];
      for (let r = 1; r < t.box.rowCount; r++) {
        const row: (Scalar | null)[] = [];
        for (let c = 0; c < t.box.colCount; c++)
          row.push(sheet.get(t.box.row + r, t.box.col + c) ?? null);
        body.push(row);
      }
      ws.addTable({
        name: t.name,
        ref: rangeAddress(t.box.row, t.box.col, 1, 1),
        headerRow: true,
        style: { theme: t.style as "TableStyleMedium2", showRowStripes: true },
        columns: header.map((name) => ({ name, filterButton: true })),
        rows: body as unknown as never[][],
      });
      for (let r = 1; r < t.box.rowCount; r++) {
        for (let c = 0; c < t.box.colCount; c++) {
          const f = sheet.formats[t.box.row + r]?.[t.box.col + c];
          if (f) ws.getCell(t.box.row + r + 1, t.box.col + c + 1).numFmt = f;
        }
      }
    }
    widths.forEach((w, c) => {
      if (w) ws.getColumn(c + 1).width = w;
    });
  }
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
