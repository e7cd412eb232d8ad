/**
 * The XML of one row of an edited sheet with its patched cells: spliced into the original text where
 * updateRow noted a layout, else rebuilt cell by cell in column order; and rows that only have patches.
 */
import { colName } from "./cellRef";
import type { FormulaWatch } from "./formulaWatch";
import { RowInfo, SheetXml, scanCells } from "./sheetScan";
import { setAttr } from "./xml";

/** A row that had no cells, of its patches in column order ('' when none is left). */
export function newRow(rowQ: string, num: number, patches: Map<number, string | null>): string {
  let cells = "";
  for (const col of sortedKeys(patches)) {
    const x = patches.get(col)!;
    if (x !== null) cells += x;
  }
  return cells ? `<${rowQ} r="${num}">${cells}</${rowQ}>` : "";
}

/** A row's start tag when its cells change. */
function rowTag(sheet: SheetXml, row: RowInfo): string {
  let tag = sheet.xml.slice(row.start, row.openEnd);
  // spans is an optional hint that would go stale; r is made explicit so positions cannot shift.
  if (tag.indexOf("spans") >= 0) tag = setAttr(tag, "spans", null);
  if (!row.hasR) tag = setAttr(tag, "r", String(row.num));
  if (tag.endsWith("/>")) tag = tag.slice(0, -2).replace(/\s+$/, "") + ">";
  return tag;
}

/** rebuildRow's result for a row with a layout (updateRow): the row's text with the patched cells replaced. */
export function spliceRow(
  sheet: SheetXml,
  row: RowInfo,
  patches: Map<number, string | null>,
  layout: number[],
  rowQ: string,
  out: (text: string) => void
): void {
  const { xml } = sheet;
  out(rowTag(sheet, row));
  const cols = sortedKeys(patches);
  let pos = layout[0];
  for (let i = 0; i < cols.length; i++) {
    const from = layout[2 + 2 * i];
    if (from > pos) out(xml.slice(pos, from));
    const p = patches.get(cols[i])!;
    if (p !== null) out(p);
    pos = layout[3 + 2 * i];
  }
  const lastEnd = layout[1];
  if (lastEnd > pos) out(xml.slice(pos, lastEnd));
  if (row.contentEnd > lastEnd) {
    const rest = xml.slice(lastEnd, row.contentEnd);
    if (rest.trim()) out(rest.trim());
  }
  out(`</${rowQ}>`);
}

/** An original (or block) row with its patches: its cells in column order, each patched one replaced. */
export function rebuildRow(
  sheet: SheetXml,
  row: RowInfo,
  patches: Map<number, string | null>,
  rowQ: string,
  out: (text: string) => void,
  formulas: FormulaWatch
): void {
  const { xml } = sheet;
  out(rowTag(sheet, row));
  const cols = sortedKeys(patches);
  let ci = 0;
  let lastEnd = row.openEnd;
  // Unchanged cells are given out as runs of adjacent cells (what lies between cells is not kept).
  let runStart = -1;
  let runEnd = -1;
  const flushRun = () => {
    if (runStart >= 0) out(xml.slice(runStart, runEnd));
    runStart = -1;
  };
  scanCells(sheet, row, (c) => {
    lastEnd = c.end;
    if (ci < cols.length && cols[ci] <= c.col) {
      flushRun();
      while (ci < cols.length && cols[ci] < c.col) {
        const p = patches.get(cols[ci++])!;
        if (p !== null) out(p);
      }
      if (ci < cols.length && cols[ci] === c.col) {
        const p = patches.get(cols[ci++])!;
        formulas.noteReplaced(sheet, c);
        if (p !== null) out(p);
        return;
      }
    }
    if (c.hasR) {
      if (runStart >= 0 && c.start !== runEnd) flushRun();
      if (runStart < 0) runStart = c.start;
      runEnd = c.end;
    } else {
      flushRun();
      const t = xml.slice(c.start, c.openEnd);
      out(setAttr(t, "r", colName(c.col) + row.num) + xml.slice(c.openEnd, c.end));
    }
  });
  flushRun();
  while (ci < cols.length) {
    const p = patches.get(cols[ci++])!;
    if (p !== null) out(p);
  }
  // Anything after the last cell (a row extLst) stays, after the cells as the schema wants.
  if (row.contentEnd > lastEnd) {
    const rest = xml.slice(lastEnd, row.contentEnd);
    if (rest.trim()) out(rest.trim());
  }
  out(`</${rowQ}>`);
}

/** Map keys ascending (patches are usually added in column order, so usually no sort is needed). */
function sortedKeys(m: Map<number, unknown>): number[] {
  const keys = [...m.keys()];
  for (let i = 1; i < keys.length; i++)
    if (keys[i] < keys[i - 1]) return keys.sort((a, b) => a - b);
  return keys;
}
