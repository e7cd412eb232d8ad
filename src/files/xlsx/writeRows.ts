/**
 * The data rows of a write: each written column's cells checked, styled and rendered by a ColumnWriter;
 * rows that had nothing become row blocks (rendered while the sheet is serialized), others are patched.
 */
import type { CellValue, ColumnSpec } from "../../workbook/port";
import { RangeRef, colName } from "./cellRef";
import { CellContent, SharedStringIndex, renderCellRest, toContent } from "./cellValues";
import type { SheetEdit } from "./sheetEdit";
import type { RowBlock } from "./sheetState";
import { q } from "./xml";

const EMPTY: CellContent = { kind: "empty" };
const NO_VALUES: CellValue[] = [];

/** Makes the ColumnWriter of a spec's column in a sheet (WriteSession.columnWriter). */
export type ColumnWriterOf = (edit: SheetEdit, spec: ColumnSpec, col: number) => ColumnWriter;

/**
 * Writes data rows from `start`. Written columns get their values; the `fill` columns get an empty
 * cell with the column's style (clearing what was there). Each cell's value is checked and its style
 * settled here, in cell order (so errors and added styles come as if every cell were written now);
 * rows that had nothing become row blocks, rendered only when the sheet is serialized (so `rows` must
 * not change before then), and rows that had cells are patched cell by cell. With `skipHoles`, a hole
 * in a sparse `rows` writes nothing (else it is a row of nulls). `columnWriter` makes the columns' writers.
 */
export function writeRows(
  edit: SheetEdit,
  columnWriter: ColumnWriterOf,
  specs: ColumnSpec[],
  cols: number[],
  rows: CellValue[][],
  start: number,
  base: Map<number, number>,
  fill: number[],
  skipHoles = false
): void {
  const writers = specs.map((spec, k) => columnWriter(edit, spec, cols[k]));
  const bases = cols.map((col) => base.get(col));
  const fillRest = fill.map((col) => renderCellRest(edit.prefix, base.get(col) ?? 0, EMPTY));
  let runStart = -1;
  let bounds: RangeRef | null = null;
  const endRun = (last: number) => {
    if (runStart >= 0)
      edit.addBlock(
        rowBlock(
          edit,
          columnWriter,
          specs,
          cols,
          rows,
          start,
          base,
          fill,
          runStart,
          last,
          skipHoles
        ),
        bounds
      );
    runStart = -1;
    bounds = null;
  };
  for (let i = 0; i < rows.length; i++) {
    const r = start + i;
    const values = rows[i] ?? NO_VALUES;
    const fresh = edit.isFresh(r);
    if (!fresh) endRun(r - 1);
    else if (runStart < 0) runStart = r;
    if (skipHoles && !(i in rows)) continue;
    for (let k = 0; k < writers.length; k++) {
      const w = writers[k];
      const value = values[k] ?? null;
      if (!fresh) {
        const rest = w.render(value, bases[k]);
        edit.checkCell(r, w.col);
        edit.set(r, w.col, rest === null ? null : w.open + r + rest);
        continue;
      }
      const filled = w.check(value, bases[k]);
      edit.checkCell(r, w.col);
      if (!filled) continue;
      const b: RangeRef | null = bounds;
      if (!b) bounds = { c0: w.col, c1: w.col, r0: r, r1: r };
      else {
        if (w.col < b.c0) b.c0 = w.col;
        if (w.col > b.c1) b.c1 = w.col;
        b.r1 = r;
      }
    }
    fill.forEach((col, j) => {
      edit.checkCell(r, col);
      if (!fresh)
        edit.set(
          r,
          col,
          fillRest[j] === null
            ? null
            : `<${q(edit.prefix, "c")} r="${colName(col)}${r}${fillRest[j]}`
        );
    });
  }
  endRun(start + rows.length - 1);
}

/**
 * Rows r0..r1 of a writeRows call as a row block: the same cells, rendered when asked for. Every value
 * was checked and every style settled by writeRows, so rendering finds them in the style cache.
 */
function rowBlock(
  edit: SheetEdit,
  columnWriter: ColumnWriterOf,
  specs: ColumnSpec[],
  cols: number[],
  rows: CellValue[][],
  start: number,
  base: Map<number, number>,
  fill: number[],
  r0: number,
  r1: number,
  skipHoles: boolean
): RowBlock {
  // Each column once, in column order: its value (the last spec for a column written twice), or a fill.
  const byCol = new Map<number, number>();
  cols.forEach((col, k) => byCol.set(col, k));
  for (const col of fill) if (!byCol.has(col)) byCol.set(col, -1);
  const cQ = q(edit.prefix, "c");
  const plan = [...byCol]
    .sort((a, b) => a[0] - b[0])
    .map(([col, k]) => ({
      k,
      open: `<${cQ} r="${colName(col)}`,
      writer: k >= 0 ? columnWriter(edit, specs[k], col) : undefined,
      base: base.get(col),
      rest: k >= 0 ? null : renderCellRest(edit.prefix, base.get(col) ?? 0, EMPTY),
    }));
  return {
    r0,
    r1,
    cells: (num) => {
      if (skipHoles && !(num - start in rows)) return "";
      const values = rows[num - start] ?? NO_VALUES;
      const n = String(num);
      let out = "";
      for (const e of plan) {
        const rest = e.writer ? e.writer.render(values[e.k] ?? null, e.base) : e.rest;
        if (rest !== null) out += e.open + n + rest;
      }
      return out;
    },
  };
}

/**
 * The cells of one written column: each value checked (toContent) and its style settled (styleFor), and
 * rendered; the last value's result is kept, as a column often repeats its value from one row to the next.
 */
export class ColumnWriter {
  /** `<c r="` and the column letters: the row number and render()'s text complete the cell. */
  readonly open: string;
  private checked = false;
  private checkedValue: CellValue = null;
  private checkedBase: number | undefined;
  private filled = false;
  private rendered = false;
  private renderedValue: CellValue = null;
  private renderedBase: number | undefined;
  private rest: string | null = null;

  constructor(
    private readonly prefix: string,
    readonly col: number,
    private readonly spec: ColumnSpec,
    private readonly style: (content: CellContent, base: number | undefined) => number,
    private readonly date1904: boolean,
    private readonly sst?: SharedStringIndex
  ) {
    this.open = `<${q(prefix, "c")} r="${colName(col)}`;
  }

  /**
   * Checks `value` and settles its style (`base`: the style of the cell it replaces or copies, see
   * styleFor), as rendering it would; returns whether the cell has content (it widens the dimension).
   */
  check(value: CellValue, base: number | undefined): boolean {
    if (this.checked && value === this.checkedValue && base === this.checkedBase)
      return this.filled;
    const content = toContent(this.spec.format, value, this.spec.name, this.date1904);
    this.style(content, base);
    this.filled = content.kind !== "empty";
    this.checked = true;
    this.checkedValue = value;
    this.checkedBase = base;
    return this.filled;
  }

  /** The cell's text after its reference (renderCellRest), or null when there is no cell. */
  render(value: CellValue, base: number | undefined): string | null {
    if (this.rendered && value === this.renderedValue && base === this.renderedBase)
      return this.rest;
    const content = toContent(this.spec.format, value, this.spec.name, this.date1904);
    this.rest = renderCellRest(this.prefix, this.style(content, base), content, this.sst);
    this.rendered = true;
    this.renderedValue = value;
    this.renderedBase = base;
    return this.rest;
  }
}
