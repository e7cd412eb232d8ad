/** The file is not an .xlsx workbook we can read (empty, not a zip, a zip without a workbook, broken parts). */
export class XlsxFormatError extends Error {
  constructor(
    /** The file (or the name given to in-memory bytes). */
    readonly file: string,
    detail: string
  ) {
    super(`${file} is not a valid .xlsx workbook: ${detail}`);
    this.name = "XlsxFormatError";
  }
}

/** A write that cannot be done without damaging the workbook (e.g. a table would grow over other cells). */
export class XlsxWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XlsxWriteError";
  }
}

/**
 * Cells of a table the run reads that cannot be read as Excel shows them (a formula without a saved
 * value): an input error naming table, rows and columns. It is an XlsxFormatError so that every caller
 * treating unreadable workbooks as input errors treats it so too.
 */
export class XlsxCellError extends XlsxFormatError {
  constructor(
    file: string,
    /** Where the table was found, e.g. `table "ValueEntries" on sheet "Value Entries"`. */
    readonly table: string,
    readonly cells: { row: number; column: string; cell: string }[],
    readonly problem: string
  ) {
    super(file, problem);
    const shown = cells
      .slice(0, 5)
      .map((c) => `row ${c.row}, column "${c.column}" (cell ${c.cell})`);
    const more =
      cells.length > 5
        ? `, and ${cells.length - 5} more cell${cells.length - 5 === 1 ? "" : "s"}`
        : "";
    this.message = `${file}: ${table}, ${shown.join("; ")}${more} ${problem}`;
    this.name = "XlsxCellError";
  }
}
