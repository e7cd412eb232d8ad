/** The file is not an .xlsx workbook we can read (empty, not a zip, a zip without a workbook, broken parts). */
export class XlsxFormatError extends Error {
  constructor(
    /** The file (or the name given to in-memory bytes). */
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not a valid .xlsx workbook: ${detail}`);
    this.name = 'XlsxFormatError';
  }
}

/** A write that cannot be done without damaging the workbook (e.g. a table would grow over other cells). */
export class XlsxWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XlsxWriteError';
  }
}
