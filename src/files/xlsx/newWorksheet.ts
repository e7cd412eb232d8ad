/** The XML of a worksheet added for a new table, with its columns' widths fitted to the data. */
import type { CellValue, ColumnSpec } from "../../workbook/port";
import { XML_DECLARATION } from "./xml";

/** A new worksheet: frozen header row, column widths, empty sheetData (cells come as edits), printed landscape and fit to the page's width. */
export function newWorksheet(mainNs: string, relNs: string, widths: number[]): string {
  const cols = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join("");
  return (
    XML_DECLARATION +
    `<worksheet xmlns="${mainNs}" xmlns:r="${relNs}">` +
    `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>` +
    `<dimension ref="A1"/>` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>` +
    (cols ? `<cols>${cols}</cols>` : "") +
    `<sheetData/>` +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    `<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>` +
    `</worksheet>`
  );
}

/** Column widths (in characters) fitting the header (plus the filter button) and the first rows' values. */
export function columnWidths(specs: ColumnSpec[], rows: CellValue[][]): number[] {
  return specs.map((spec, c) => {
    let len = Math.max(spec.name.length + 3, spec.width ?? 0);
    const minLen = spec.format === "date" ? 10 : spec.format === "money" ? 12 : 6;
    len = Math.max(len, minLen);
    for (let i = 0; i < Math.min(rows.length, 200); i++) {
      const v = rows[i]?.[c];
      if (v === null || v === undefined) continue;
      const text = typeof v === "boolean" ? "Yes" : String(v);
      len = Math.max(
        len,
        text.length + (spec.format === "money" ? Math.floor(text.length / 3) + 2 : 0)
      );
    }
    return Math.round(Math.min(60, len + 1.7) * 100) / 100;
  });
}
