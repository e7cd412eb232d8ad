/**
 * The try page's stand-in for Excel's calculation of the INVT custom functions: finds the formula cells of an
 * .xlsx (as exceljs reads them), resolves their arguments against the fake workbook the way Excel passes
 * them (`Table[#All]`, `'Sheet'!A1:U2`, text, numbers, TRUE/FALSE), calls the add-in's own function exports
 * (functions.ts, the code Excel registers) and spills the results into the sheet. Only INVT.* formulas at the
 * top level are evaluated; anything else is left as it is.
 */
import type { Workbook as XWorkbook } from "exceljs";
import { parseAddress } from "../../../src/excel/address";
import type { Scalar, SheetModel, WorkbookModel } from "../fake/model";
import * as functions from "../../../src/excel/functions/functions";
import { FormulaError } from "../../../src/excel/functions/ranges";

export interface FormulaCell {
  sheet: string;
  row: number;
  col: number;
  /** Without the leading "=". */
  formula: string;
  /** The spilled size last written (to clear it before the next result). */
  rows: number;
  cols: number;
  /** The error value's code and message when the function returned one. */
  error: { code: string; message: string } | null;
}

const REGISTERED: Record<string, (...args: never[]) => unknown> = {
  ACCOUNTS: functions.accounts,
  GLPOST: functions.glpost,
  SKIPPED: functions.skipped,
  TOTALS: functions.totals,
  GLACCOUNT: functions.glaccount,
  COSTTOPOST: functions.costtopost,
};

/** The cells of every sheet whose formula calls an INVT function, with the spill size the file recorded. */
export function formulaCellsOf(wb: XWorkbook): FormulaCell[] {
  const out: FormulaCell[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = cell.value as unknown as { formula?: string; ref?: string } | null;
        if (v === null || typeof v !== "object" || typeof v.formula !== "string") return;
        // Files store an add-in's INVT.GLPOST as _xldudf_INVT_GLPOST (Excel shows the namespace form).
        const formula = v.formula.trim().replace(/\b_xldudf_INVT_([A-Z]+)\(/gi, "INVT.$1(");
        if (!/^INVT\./i.test(formula)) return;
        const box = v.ref ? parseAddress(v.ref) : { rowCount: 1, colCount: 1 };
        out.push({
          sheet: ws.name,
          row: r - 1,
          col: c - 1,
          formula,
          rows: box.rowCount,
          cols: box.colCount,
          error: null,
        });
      });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// A small parser: NAME(arg, ...) with literal and reference arguments

type Arg = { kind: "value"; value: unknown } | { kind: "omitted" };

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted: string | null = null;
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted !== null) {
      cur += ch;
      if (ch === quoted) {
        if (text[i + 1] === quoted) cur += text[++i];
        else quoted = null;
      }
      continue;
    }
    if (ch === '"' || ch === "'") quoted = ch;
    else if (ch === "[" || ch === "(") depth++;
    else if (ch === "]" || ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      args.push(cur.trim());
      cur = "";
      continue;
    }
    cur += ch;
  }
  args.push(cur.trim());
  return args;
}

/** A box's cells as Excel passes a range: blanks as "". */
function cells(
  sheet: SheetModel,
  row: number,
  col: number,
  rowCount: number,
  colCount: number
): Scalar[][] {
  const out: Scalar[][] = [];
  for (let r = 0; r < rowCount; r++) {
    const line: Scalar[] = [];
    for (let c = 0; c < colCount; c++) line.push(sheet.get(row + r, col + c) ?? "");
    out.push(line);
  }
  return out;
}

function argument(text: string, model: WorkbookModel, here: SheetModel): Arg {
  if (text === "") return { kind: "omitted" };
  if (text.startsWith('"')) return { kind: "value", value: text.slice(1, -1).replace(/""/g, '"') };
  if (/^(TRUE|FALSE)$/i.test(text)) return { kind: "value", value: text.toUpperCase() === "TRUE" };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: "value", value: Number(text) };
  const structured = /^([A-Za-z_\\][A-Za-z0-9_.\\]*)(?:\[(#All|#Data|#Headers)\])?$/i.exec(text);
  if (structured && !/^[A-Z]{1,3}\d+$/i.test(text)) {
    const t = model.table(structured[1]);
    if (t === undefined) throw new FormulaError("#REF!", `no table ${structured[1]}`);
    const part = (structured[2] ?? "#Data").toLowerCase();
    const b = t.box;
    if (part === "#all")
      return { kind: "value", value: cells(t.sheet, b.row, b.col, b.rowCount, b.colCount) };
    if (part === "#headers")
      return { kind: "value", value: cells(t.sheet, b.row, b.col, 1, b.colCount) };
    return { kind: "value", value: cells(t.sheet, b.row + 1, b.col, b.rowCount - 1, b.colCount) };
  }
  const box = parseAddress(text);
  const sheet = box.sheet === undefined ? here : model.sheet(box.sheet);
  if (sheet === undefined) throw new FormulaError("#REF!", `no sheet ${box.sheet}`);
  return { kind: "value", value: cells(sheet, box.row, box.col, box.rowCount, box.colCount) };
}

/** Evaluates one INVT formula: the function's spilled values, or its error. */
export async function evaluate(
  formula: string,
  model: WorkbookModel,
  here: SheetModel
): Promise<unknown[][]> {
  const m = /^INVT\.([A-Z]+)\((.*)\)$/is.exec(formula);
  if (!m) throw new FormulaError("#NAME?", `not an INVT function call: ${formula}`);
  const fn = REGISTERED[m[1].toUpperCase()];
  if (fn === undefined)
    throw new FormulaError("#NAME?", `INVT.${m[1]} is not a function of the add-in`);
  const args = splitArgs(m[2]).map((t) => argument(t, model, here));
  const result = await (fn as (...a: unknown[]) => unknown)(
    ...args.map((a) => (a.kind === "omitted" ? null : a.value))
  );
  return Array.isArray(result) ? (result as unknown[][]) : [[result]];
}

/**
 * Recalculates every formula cell: clears its previous spill, writes the new one (an error value's code in
 * the cell, as Excel shows it). Spills with the formats Excel's cells would have: dates and amounts.
 */
export async function recalculate(model: WorkbookModel, formulas: FormulaCell[]): Promise<void> {
  for (const f of formulas) {
    const sheet = model.sheet(f.sheet);
    if (sheet === undefined) continue;
    let values: unknown[][];
    try {
      values = await evaluate(f.formula, model, sheet);
      f.error = null;
    } catch (e) {
      // CustomFunctions.Error (the Office stub's here) and FormulaError both carry code and message.
      const code =
        typeof (e as { code?: unknown }).code === "string"
          ? (e as { code: string }).code
          : "#VALUE!";
      f.error = { code, message: e instanceof Error ? e.message : String(e) };
      values = [[code]];
    }
    for (let r = 0; r < f.rows; r++)
      for (let c = 0; c < f.cols; c++) sheet.set(f.row + r, f.col + c, undefined);
    const header = values[0] ?? [];
    values.forEach((line, r) =>
      line.forEach((v, c) => {
        const cell =
          typeof v === "number" || typeof v === "boolean" || typeof v === "string"
            ? v
            : v === null || v === undefined
              ? undefined
              : String(v);
        sheet.set(f.row + r, f.col + c, cell);
        if (r > 0 && typeof v === "number") {
          const h = String(header[c] ?? "");
          if (/Date$/.test(h)) sheet.setFormat(f.row + r, f.col + c, "yyyy-mm-dd");
          else if (/Amount|Net Change|Cost to Post/.test(h))
            sheet.setFormat(f.row + r, f.col + c, '#,##0.00;(#,##0.00);"-"');
        }
      })
    );
    f.rows = values.length;
    f.cols = Math.max(1, ...values.map((l) => l.length));
  }
}
