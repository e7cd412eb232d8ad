/// <reference types="office-js" />
/**
 * Write planning: every write of a run becomes Steps (one request each, with its JSON payload in bytes)
 * before the first cell changes, so that the port can pack them into syncs under the payload budget and a
 * missing table or a row out of range stops the run before anything is written.
 *
 * Apart from the port because it is pure arithmetic over a Located table and the rows to write; it needs
 * only the port's settings (PlanOptions), never the workbook, until a Step is applied.
 */
import type {
  AppendWrite,
  CellValue,
  ColumnSpec,
  DeleteWrite,
  ReplaceWrite,
  UpdateWrite,
} from "../workbook/port";
import { columnNumberFormat, gridBytes, jsonBytes, toExcelValue, type ExcelScalar } from "./cells";
import { findColumnInHeader } from "../workbook/names";
import type { CreateTarget, Located } from "./locate";

/** A request's fixed cost per action (method, ids), counted on top of its arguments. */
const ACTION_BYTES = 200;

/** What planning takes from the port. */
export interface PlanOptions {
  /** Largest JSON payload of one request, in bytes. */
  payloadBudget: number;
  /** Requirement-set check (Range.copyFrom needs ExcelApi 1.9). */
  supports: (set: string, version: string) => boolean;
  /** Rows apart that still go into one update range. */
  updateGap: number;
  /** Values are written as serials of the 1904 date system. */
  date1904: boolean;
}

export interface Step {
  bytes: number;
  rows: number;
  what: string;
  apply: (context: Excel.RequestContext) => void;
}

interface Built {
  values: (ExcelScalar | null)[][];
  formatRow: (string | null)[];
  /** Column indexes (within the row) of text columns. */
  textCols: number[];
  rowBytes: number[];
  fmtBytes: number;
}

/** Column index (relative to the table) of each spec column; missing ones get new columns at the end. */
function mapColumns(loc: Located, columns: ColumnSpec[]): { index: number[]; added: string[] } {
  const index: number[] = [];
  const added: string[] = [];
  for (const c of columns) {
    let i = findColumnInHeader(loc.header, c.name);
    if (i < 0) {
      i = findColumnInHeader(added, c.name);
      if (i >= 0) i += loc.header.length;
    }
    if (i < 0) {
      added.push(c.name);
      i = loc.header.length + added.length - 1;
    }
    index.push(i);
  }
  return { index, added };
}

/** Steps that add missing columns to a located table, and the widened header. */
function planAddedColumns(loc: Located, added: string[]): Step[] {
  if (added.length === 0) return [];
  const what = loc.ref.name;
  if (loc.kind === "table") {
    return added.map((name) => ({
      bytes: ACTION_BYTES + jsonBytes(name),
      rows: 0,
      what,
      apply: (context) =>
        context.workbook.tables.getItem(loc.ref.name).columns.add(undefined, undefined, name),
    }));
  }
  const values = [added];
  return [
    {
      bytes: ACTION_BYTES * 2 + gridBytes(values),
      rows: 0,
      what,
      apply: (context) => {
        const r = context.workbook.worksheets
          .getItem(loc.sheet)
          .getRangeByIndexes(loc.headerRow, loc.col + loc.header.length, 1, added.length);
        r.numberFormat = [added.map(() => "@")];
        r.values = values;
      },
    },
  ];
}

/**
 * A step on the block of `rows` × `width` cells of `sheet` at (row, col): "clear" clears its contents, "delete"
 * deletes it (the cells below move up). `counted`: the rows it counts as written.
 */
function blockStep(
  what: string,
  sheet: string,
  action: "clear" | "delete",
  row: number,
  col: number,
  rows: number,
  width: number,
  counted = 0
): Step {
  return {
    bytes: ACTION_BYTES,
    rows: counted,
    what,
    apply: (context) => {
      const block = context.workbook.worksheets
        .getItem(sheet)
        .getRangeByIndexes(row, col, rows, width);
      if (action === "clear") block.clear("Contents");
      else block.delete("Up");
    },
  };
}

/** Rows removed bottom-up (so the indexes stay valid), each run of adjacent rows as one range deleted upwards. */
export function planDelete(w: DeleteWrite, loc: Located | undefined): Step[] {
  if (!loc) throw new Error(`Table "${w.table.name}" was not found.`);
  const rows = [...new Set(w.rows)].sort((a, b) => b - a);
  for (const r of rows)
    if (r < 0 || r >= loc.dataRows)
      throw new Error(`${w.table.name}: row ${r} is outside the table.`);
  const width = loc.header.length;
  const steps: Step[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] - 1) j++;
    const from = loc.headerRow + 1 + rows[j];
    const count = rows[i] - rows[j] + 1;
    steps.push(blockStep(w.table.name, loc.sheet, "delete", from, loc.col, count, width, count));
    i = j + 1;
  }
  return steps;
}

export function planUpdate(opts: PlanOptions, w: UpdateWrite, loc: Located | undefined): Step[] {
  if (!loc) throw new Error(`Table "${w.table.name}" was not found.`);
  if (w.updates.length === 0 && w.columns.length === 0) return [];
  const { index, added } = mapColumns(loc, w.columns);
  const steps = planAddedColumns(loc, added);
  const what = w.table.name;
  const c0 = Math.min(...index);
  const c1 = Math.max(...index);
  const span = c1 - c0 + 1;
  // Newly added columns get their number format over all data rows; existing ones keep theirs.
  w.columns.forEach((c, k) => {
    if (index[k] < loc.header.length || loc.dataRows === 0) return;
    const format = columnNumberFormat(
      c.format,
      w.updates.map((u) => u.values[k])
    );
    steps.push(...planColumnFormat(opts, loc, index[k], loc.dataRows, format, what));
  });
  const updates = [...w.updates].sort((a, b) => a.row - b.row);
  for (const u of updates) {
    if (u.row < 0 || u.row >= loc.dataRows)
      throw new Error(`${what}: row ${u.row} is outside the table.`);
  }
  // Runs of rows close together become one range; rows between them are null (left unchanged).
  let i = 0;
  while (i < updates.length) {
    const start = updates[i].row;
    let j = i;
    const grid: (ExcelScalar | null)[][] = [];
    let bytes = ACTION_BYTES;
    const pushRow = (values: CellValue[] | null) => {
      const row = new Array<ExcelScalar | null>(span).fill(null);
      if (values)
        w.columns.forEach(
          (c, k) => (row[index[k] - c0] = toExcelValue(values[k] ?? null, c.format, opts.date1904))
        );
      bytes += span * 5 + 3;
      if (values) for (const v of row) if (v !== null) bytes += jsonBytes(v);
      grid.push(row);
    };
    pushRow(updates[j].values);
    while (j + 1 < updates.length) {
      const next = updates[j + 1];
      const gap = next.row - updates[j].row - 1;
      if (next.row === updates[j].row) {
        // A second update of the same row: the later one wins.
        grid.pop();
        bytes -= span * 5 + 3;
        pushRow(next.values);
        j++;
        continue;
      }
      if (gap > opts.updateGap) break;
      const gapBytes = gap * (span * 5 + 3);
      if (bytes + gapBytes + span * 24 > opts.payloadBudget - ACTION_BYTES) break;
      for (let g = 0; g < gap; g++) pushRow(null);
      pushRow(next.values);
      j++;
    }
    const sheetRow = loc.headerRow + 1 + start;
    const rows = j - i + 1;
    steps.push({
      bytes,
      rows,
      what,
      apply: (context) => {
        context.workbook.worksheets
          .getItem(loc.sheet)
          .getRangeByIndexes(sheetRow, loc.col + c0, grid.length, span).values =
          grid as ExcelScalar[][];
      },
    });
    i = j + 1;
  }
  return steps;
}

/** Number format for `count` data rows of one column, chunked. */
function planColumnFormat(
  opts: PlanOptions,
  loc: Located,
  colIndex: number,
  count: number,
  format: string,
  what: string
): Step[] {
  return formatSteps(opts, count, jsonBytes(format) + 4, what, (context, r, n) => {
    const grid = Array.from({ length: n }, () => [format]);
    context.workbook.worksheets
      .getItem(loc.sheet)
      .getRangeByIndexes(loc.headerRow + 1 + r, loc.col + colIndex, n, 1).numberFormat = grid;
  });
}

/** Steps that each set the number formats of as many rows as fit in one request (perRow bytes a row). */
function formatSteps(
  opts: PlanOptions,
  count: number,
  perRow: number,
  what: string,
  apply: (context: Excel.RequestContext, from: number, n: number) => void
): Step[] {
  const steps: Step[] = [];
  const chunk = Math.max(1, Math.floor((opts.payloadBudget - ACTION_BYTES) / perRow));
  for (let r = 0; r < count; r += chunk) {
    const n = Math.min(chunk, count - r);
    steps.push({
      bytes: ACTION_BYTES + n * perRow,
      rows: 0,
      what,
      apply: (context) => apply(context, r, n),
    });
  }
  return steps;
}

/**
 * Rows as one cell grid (full width; `fill` for columns the write does not name), the number format
 * row, and the text columns (written after their cells are formatted as text, so that Excel cannot
 * turn "2130" into a number or "1-2" into a date).
 */
function buildRows(
  opts: PlanOptions,
  columns: ColumnSpec[],
  index: number[],
  width: number,
  rows: CellValue[][],
  fill: ExcelScalar | null
): Built {
  const formatRow = new Array<string | null>(width).fill(null);
  columns.forEach(
    (c, k) =>
      (formatRow[index[k]] = columnNumberFormat(
        c.format,
        rows.map((r) => r[k])
      ))
  );
  const textCols = columns
    .map((c, k) => (c.format === "text" ? index[k] : -1))
    .filter((i) => i >= 0)
    .sort((x, y) => x - y);
  const values: (ExcelScalar | null)[][] = [];
  const rowBytes: number[] = [];
  const fmtBytes = gridBytes([formatRow]);
  for (const r of rows) {
    const row = new Array<ExcelScalar | null>(width).fill(fill);
    columns.forEach(
      (c, k) => (row[index[k]] = toExcelValue(r[k] ?? null, c.format, opts.date1904))
    );
    let bytes = 8 + textCols.length * 3;
    for (const v of row) bytes += jsonBytes(v) + 1;
    values.push(row);
    rowBytes.push(bytes);
  }
  return { values, formatRow, textCols, rowBytes, fmtBytes };
}

function slice(built: Built, a: number, b: number): Built {
  return { ...built, values: built.values.slice(a, b), rowBytes: built.rowBytes.slice(a, b) };
}

/** Splits [0, n) into chunks whose bytes stay under the budget. */
function chunks(opts: PlanOptions, rowBytes: number[], fixed: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  let start = 0;
  let bytes = fixed;
  for (let i = 0; i < rowBytes.length; i++) {
    if (i > start && bytes + rowBytes[i] > opts.payloadBudget) {
      out.push([start, i, bytes]);
      start = i;
      bytes = fixed;
    }
    bytes += rowBytes[i];
  }
  if (rowBytes.length > start) out.push([start, rowBytes.length, bytes]);
  return out;
}

/**
 * Number formats for `count` rows from sheet row `firstRow`: the first row explicitly, the others
 * copied from it in one request (Range.copyFrom, ExcelApi 1.9), else explicitly in chunks.
 */
function planFormats(
  opts: PlanOptions,
  sheet: string,
  firstRow: number,
  col: number,
  count: number,
  built: Built,
  what: string,
  template?: number
): Step[] {
  const width = built.formatRow.length;
  if (count <= 0) return [];
  if (opts.supports("ExcelApi", "1.9")) {
    return [
      {
        bytes: ACTION_BYTES * 3 + built.fmtBytes,
        rows: 0,
        what,
        apply: (context) => {
          const ws = context.workbook.worksheets.getItem(sheet);
          let from = firstRow;
          let n = count;
          if (template === undefined) {
            ws.getRangeByIndexes(firstRow, col, 1, width).numberFormat = [
              built.formatRow,
            ] as string[][];
            from += 1;
            n -= 1;
          }
          const src = ws.getRangeByIndexes(template ?? firstRow, col, 1, width);
          if (n > 0) ws.getRangeByIndexes(from, col, n, width).copyFrom(src, "Formats");
        },
      },
    ];
  }
  return formatSteps(opts, count, built.fmtBytes, what, (context, r, n) => {
    const grid = Array.from({ length: n }, () => built.formatRow) as string[][];
    context.workbook.worksheets
      .getItem(sheet)
      .getRangeByIndexes(firstRow + r, col, n, width).numberFormat = grid;
  });
}

/** Writes rows into cells that exist already (a sheet's free rows, or a table's existing rows): formats, then values. */
function planCells(
  opts: PlanOptions,
  sheet: string,
  firstRow: number,
  col: number,
  built: Built,
  what: string
): Step[] {
  const width = built.formatRow.length;
  const steps = planFormats(opts, sheet, firstRow, col, built.values.length, built, what);
  for (const [a, b, bytes] of chunks(opts, built.rowBytes, ACTION_BYTES * 2)) {
    steps.push({
      bytes,
      rows: b - a,
      what,
      apply: (context) => {
        context.workbook.worksheets
          .getItem(sheet)
          .getRangeByIndexes(firstRow + a, col, b - a, width).values = built.values.slice(
          a,
          b
        ) as ExcelScalar[][];
      },
    });
  }
  return steps;
}

/**
 * Adds rows at the end of an Excel table (rows.add with text cells blank), formats them, then writes
 * the text columns in runs of adjacent columns.
 */
function planTableRows(
  opts: PlanOptions,
  loc: Located,
  startRow: number,
  built: Built,
  what: string
): Step[] {
  const runs: [number, number][] = [];
  for (const c of built.textCols) {
    const last = runs[runs.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else runs.push([c, c]);
  }
  const texts = new Set(built.textCols);
  const steps: Step[] = [];
  let at = startRow;
  const template = loc.headerRow + 1 + startRow;
  for (const [a, b, bytes] of chunks(opts, built.rowBytes, ACTION_BYTES * (3 + runs.length))) {
    const first = at;
    at += b - a;
    const rows = built.values.slice(a, b);
    steps.push({
      bytes,
      rows: b - a,
      what,
      apply: (context) => {
        const blanked = texts.size
          ? rows.map((r) => r.map((v, c) => (texts.has(c) && v !== null ? "" : v)))
          : rows;
        context.workbook.tables
          .getItem(loc.ref.name)
          .rows.add(undefined, blanked as ExcelScalar[][]);
      },
    });
    steps.push(
      ...planFormats(
        opts,
        loc.sheet,
        loc.headerRow + 1 + first,
        loc.col,
        b - a,
        built,
        what,
        first === startRow ? undefined : template
      )
    );
    if (runs.length) {
      steps.push({
        bytes: ACTION_BYTES,
        rows: 0,
        what,
        apply: (context) => {
          const ws = context.workbook.worksheets.getItem(loc.sheet);
          for (const [c0, c1] of runs) {
            ws.getRangeByIndexes(
              loc.headerRow + 1 + first,
              loc.col + c0,
              b - a,
              c1 - c0 + 1
            ).values = rows.map((r) => r.slice(c0, c1 + 1)) as ExcelScalar[][];
          }
        },
      });
    }
  }
  return steps;
}

export function planAppend(opts: PlanOptions, w: AppendWrite, loc: Located): Step[] {
  const { index, added } = mapColumns(loc, w.columns);
  const steps = planAddedColumns(loc, added);
  const width = loc.header.length + added.length;
  const what = w.names.name;
  if (w.rows.length === 0) return steps;
  if (loc.kind === "sheet") {
    const first = loc.header.length === 0 ? 1 : loc.headerRow + 1 + loc.dataRows;
    if (loc.header.length === 0) {
      // A blank sheet: write the header first.
      return planCreateOnSheet(opts, w, { sheet: loc.sheet, table: "", reuse: true }, false);
    }
    return [
      ...steps,
      ...planCells(
        opts,
        loc.sheet,
        first,
        loc.col,
        buildRows(opts, w.columns, index, width, w.rows, null),
        what
      ),
    ];
  }
  // Excel table: unmapped columns of new rows stay blank.
  const built = buildRows(opts, w.columns, index, width, w.rows, "");
  if (loc.emptyTable) {
    // Fill the blank row first, then add the rest.
    return [
      ...steps,
      ...planCells(opts, loc.sheet, loc.headerRow + 1, loc.col, slice(built, 0, 1), what),
      ...planTableRows(opts, loc, 1, slice(built, 1, w.rows.length), what),
    ];
  }
  return [...steps, ...planTableRows(opts, loc, loc.dataRows, built, what)];
}

export function planReplace(opts: PlanOptions, w: ReplaceWrite, loc: Located): Step[] {
  const { index, added } = mapColumns(loc, w.columns);
  const steps = planAddedColumns(loc, added);
  const width = loc.header.length + added.length;
  const what = w.names.name;
  if (loc.kind === "sheet") {
    if (loc.header.length === 0)
      return planCreateOnSheet(opts, w, { sheet: loc.sheet, table: "", reuse: true }, false);
    const old = loc.usedEnd - (loc.headerRow + 1);
    if (old > 0)
      steps.push(blockStep(what, loc.sheet, "clear", loc.headerRow + 1, loc.col, old, width));
    if (w.rows.length > 0) {
      steps.push(
        ...planCells(
          opts,
          loc.sheet,
          loc.headerRow + 1,
          loc.col,
          buildRows(opts, w.columns, index, width, w.rows, null),
          what
        )
      );
    }
    return steps;
  }
  const built = buildRows(opts, w.columns, index, width, w.rows, "");
  const keep = Math.min(loc.dataRows, Math.max(1, w.rows.length));
  if (loc.dataRows > keep) {
    const from = loc.headerRow + 1 + keep;
    const count = loc.dataRows - keep;
    steps.push(blockStep(what, loc.sheet, "delete", from, loc.col, count, width));
  }
  if (w.rows.length === 0) {
    steps.push(blockStep(what, loc.sheet, "clear", loc.headerRow + 1, loc.col, 1, width));
    return steps;
  }
  steps.push(
    ...planCells(opts, loc.sheet, loc.headerRow + 1, loc.col, slice(built, 0, keep), what)
  );
  if (w.rows.length > keep)
    steps.push(...planTableRows(opts, loc, keep, slice(built, keep, w.rows.length), what));
  return steps;
}

export function planCreate(
  opts: PlanOptions,
  w: AppendWrite | ReplaceWrite,
  target: CreateTarget
): Step[] {
  return planCreateOnSheet(opts, w, target, true);
}

/** A new formatted Excel table at A1 of a new (or blank) sheet: header and rows, then the table over them. */
function planCreateOnSheet(
  opts: PlanOptions,
  w: AppendWrite | ReplaceWrite,
  target: CreateTarget,
  asTable: boolean
): Step[] {
  const what = w.names.name;
  const width = w.columns.length;
  const header = [w.columns.map((c) => c.name)];
  const steps: Step[] = [
    {
      bytes: ACTION_BYTES * 4 + gridBytes(header) * 2,
      rows: 0,
      what,
      apply: (context) => {
        const ws = target.reuse
          ? context.workbook.worksheets.getItem(target.sheet)
          : context.workbook.worksheets.add(target.sheet);
        const h = ws.getRangeByIndexes(0, 0, 1, width);
        h.numberFormat = [w.columns.map(() => "@")];
        h.values = header;
        h.format.font.bold = true;
        ws.freezePanes.freezeRows(1);
      },
    },
  ];
  const index = w.columns.map((_, k) => k);
  steps.push(
    ...planCells(
      opts,
      target.sheet,
      1,
      0,
      buildRows(opts, w.columns, index, width, w.rows, null),
      what
    )
  );
  if (asTable) {
    const rows = Math.max(1, w.rows.length);
    steps.push({
      bytes: ACTION_BYTES * 4,
      rows: 0,
      what,
      apply: (context) => {
        const ws = context.workbook.worksheets.getItem(target.sheet);
        const t = ws.tables.add(ws.getRangeByIndexes(0, 0, rows + 1, width), true);
        t.name = target.table;
        t.style = "TableStyleMedium2";
        // Autofit on the header and the first rows only: fitting 100,000 rows is slow in Excel.
        ws.getRangeByIndexes(0, 0, Math.min(rows + 1, 200), width).format.autofitColumns();
      },
    });
  }
  return steps;
}
