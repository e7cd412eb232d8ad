/**
 * What the edits of a sheet did to its formulas: whether a formula cell was overwritten, removed or moved
 * (the calc chain is then stale), and which shared formulas lost their master cell.
 */
import { XlsxWriteError } from "./errors";
import { CellInfo, SheetXml, cellChild } from "./sheetScan";
import { escapeRegExp } from "./xml";

export class FormulaWatch {
  /** Set when a cell holding a formula was overwritten, removed or moved: the calc chain is then stale. */
  touched = false;
  readonly removedSharedMasters = new Set<string>();

  noteReplaced(sheet: SheetXml, cell: CellInfo): void {
    const f = cellChild(sheet, cell, "f");
    if (f < 0) return;
    this.touched = true;
    const fTag = sheet.xml.slice(f, sheet.xml.indexOf(">", f) + 1);
    const si = /\bsi\s*=\s*["'](\d+)["']/.exec(fTag);
    if (si && /\bt\s*=\s*["']shared["']/.test(fTag) && /\bref\s*=/.test(fTag))
      this.removedSharedMasters.add(si[1]);
  }

  /** Throws when `result` (a piece of the new sheet) has a cell sharing the formula of an overwritten master. */
  checkSharedFormulas(result: string): void {
    for (const si of this.removedSharedMasters) {
      const re = new RegExp(`<(?:[\\w.-]+:)?f\\b[^>]*\\bsi\\s*=\\s*["']${escapeRegExp(si)}["']`);
      if (re.test(result)) {
        throw new XlsxWriteError(
          `a written cell holds the formula that other cells share (shared formula ${si}); overwriting it would break them`
        );
      }
    }
  }
}
