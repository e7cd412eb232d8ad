/** .xlsx adapter: a zip + XML patcher implementing WorkbookPort (see book.ts, xlsxWorkbook.ts). */
export { XlsxBook } from "./book";
export type { XlsxBookOptions } from "./book";
export { XlsxWorkbook } from "./xlsxWorkbook";
export type { XlsxOpenOptions } from "./xlsxWorkbook";
export { XlsxFormatError, XlsxWriteError } from "./errors";
