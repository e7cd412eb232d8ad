/** Workbooks the write tests start from, built with exceljs (an independent writer). */
import * as ExcelJS from "exceljs";
import type { ColumnSpec, OutputTableNames } from "../../../src/workbook/port";
import { excelBytes } from "./helpers";

export const POSTED: ColumnSpec[] = [
  { name: "Cost Posted to G/L", format: "money" },
  { name: "Expected Cost Posted to G/L", format: "money" },
];

export const GL_NAMES: OutputTableNames = {
  name: "G/L Entries",
  sheetName: "G-L Entries",
  excelTableName: "GLEntries",
  csvName: "G-L Entries",
};
export const SKIPPED_NAMES: OutputTableNames = {
  name: "Skipped Entries",
  sheetName: "Skipped Entries",
  excelTableName: "SkippedEntries",
  csvName: "Skipped Entries",
};

export const GL_COLUMNS: ColumnSpec[] = [
  { name: "Entry No.", format: "integer" },
  { name: "Posting Date", format: "date" },
  { name: "G/L Account No.", format: "text" },
  { name: "Amount", format: "money" },
  { name: "System-Created Entry", format: "boolean" },
  { name: "Creation Time", format: "time" },
];

/**
 * A realistic workbook: Value Entries as a styled Excel table (with an extra user column and a column
 * the run does not know), a G/L Entries table, a setup sheet with a formula, a chart-free second sheet,
 * defined names, merged cells, comments-free. Styles: bold header, currency format on amounts, a fill.
 */
export async function postingWorkbook(
  options: { glRows?: number; veRows?: number } = {}
): Promise<Uint8Array> {
  return excelBytes((wb) => {
    const ve = wb.addWorksheet("Value Entries");
    const veRows = options.veRows ?? 3;
    const rows: ExcelJS.CellValue[][] = [];
    for (let i = 1; i <= veRows; i++)
      rows.push([i, `ITEM-${i}`, new Date(Date.UTC(2026, 0, i)), 100 * i + 0.5, 0, 0, `note ${i}`]);
    ve.addTable({
      name: "ValueEntries",
      ref: "A1",
      headerRow: true,
      style: { theme: "TableStyleLight9", showRowStripes: true },
      columns: [
        { name: "Entry No." },
        { name: "Item No." },
        { name: "Posting Date" },
        { name: "Cost Amount (Actual)" },
        { name: "Cost Posted to G/L" },
        { name: "Expected Cost Posted to G/L" },
        { name: "My Notes" },
      ],
      rows,
    });
    for (let r = 2; r <= veRows + 1; r++) {
      ve.getCell(`C${r}`).numFmt = "dd.mm.yyyy";
      ve.getCell(`D${r}`).numFmt = '#,##0.00 "EUR"';
      ve.getCell(`E${r}`).numFmt = "#,##0.00";
      ve.getCell(`E${r}`).fill = {
        type: "pattern",
        pattern: "solid",
        fgColor: { argb: "FFFFFF00" },
      };
    }
    ve.getColumn(2).width = 20;

    const gl = wb.addWorksheet("G-L Entries");
    const glRows = options.glRows ?? 2;
    const gRows: ExcelJS.CellValue[][] = [];
    for (let i = 1; i <= glRows; i++)
      gRows.push([i, new Date(Date.UTC(2026, 0, 15)), "2130", i % 2 ? 50 : -50, "Yes", "extra"]);
    gl.addTable({
      name: "GLEntries",
      ref: "A1",
      headerRow: true,
      style: { theme: "TableStyleMedium2", showRowStripes: true },
      columns: [
        { name: "Entry No." },
        { name: "Posting Date" },
        { name: "G/L Account No." },
        { name: "Amount" },
        { name: "System-Created Entry" },
        { name: "User Column" },
      ],
      rows: gRows,
    });
    for (let r = 2; r <= glRows + 1; r++) {
      gl.getCell(`B${r}`).numFmt = "yyyy-mm-dd";
      gl.getCell(`D${r}`).numFmt = "#,##0.00;[Red]-#,##0.00";
    }
    gl.getCell("H1").value = "Beside the table";

    const setup = wb.addWorksheet("Setup");
    setup.addRow(["Setting", "Value"]);
    setup.addRow(["Rate", 1.25]);
    setup.addRow(["Double", { formula: "B2*2", result: 2.5 }]);
    setup.mergeCells("D1:E1");
    setup.getCell("D1").value = "merged";
    wb.definedNames.add("Setup!$B$2", "Rate");
  });
}
