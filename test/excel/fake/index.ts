/// <reference types="office-js" />
/** The fake Excel for tests and the try page: a workbook model plus an `Excel.run` over it. */
import { parseAddress } from "../../../src/excel/address";
import type { ExcelRun } from "../../../src/excel/adapter";
import { fakeRun } from "./fakeExcel";
import { WorkbookModel, coerceInput, type Scalar, type SheetModel, type TableModel } from "./model";

export {
  WorkbookModel,
  SheetModel,
  TableModel,
  PayloadLimitError,
  FakeExcelError,
  type SyncRecord,
  type Scalar,
} from "./model";
export { FakeRequestContext, fakeRun } from "./fakeExcel";

/** Excel.run over the model, typed as the real one for the adapter. */
export function excelRunFor(model: WorkbookModel): ExcelRun {
  return fakeRun(model) as unknown as ExcelRun;
}

/** Puts values into a sheet from `address` on, as a person (or a file) would; null leaves a cell blank. */
export function putValues(
  sheet: SheetModel,
  address: string,
  values: (Scalar | null)[][],
  numberFormat?: string
): void {
  const b = parseAddress(address);
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      if (numberFormat) sheet.setFormat(b.row + r, b.col + c, numberFormat);
      if (v !== null)
        sheet.set(b.row + r, b.col + c, typeof v === "string" && numberFormat === "@" ? v : v);
    })
  );
}

export interface SheetSpec {
  name: string;
  /** Values from `at` (default A1) on: the header row first. */
  rows: (Scalar | null)[][];
  at?: string;
  /** Make the rows an Excel table with this name. */
  table?: string;
}

/** A workbook from sheet specs (tests, the try page's sample when no .xlsx is given). */
export function buildWorkbook(sheets: SheetSpec[]): WorkbookModel {
  const model = new WorkbookModel();
  for (const s of sheets) {
    const sheet = model.addSheet(s.name);
    const at = parseAddress(s.at ?? "A1");
    putValues(sheet, s.at ?? "A1", s.rows);
    if (s.table) {
      const width = Math.max(1, ...s.rows.map((r) => r.length));
      model.addTable(
        sheet,
        { row: at.row, col: at.col, rowCount: Math.max(2, s.rows.length), colCount: width },
        s.table
      );
    }
  }
  return model;
}

/** Values of an Excel table (header + body) as Excel returns them. */
export function tableValues(model: WorkbookModel, name: string): Scalar[][] {
  const t: TableModel | undefined = model.table(name);
  if (!t) throw new Error(`no table ${name}`);
  const out: Scalar[][] = [];
  for (let r = 0; r < t.box.rowCount; r++) {
    const row: Scalar[] = [];
    for (let c = 0; c < t.box.colCount; c++)
      row.push(t.sheet.get(t.box.row + r, t.box.col + c) ?? "");
    out.push(row);
  }
  return out;
}

export { coerceInput };
