/**
 * The browser-safe part of the .xlsx adapter: everything works on bytes in memory, no Node modules.
 * (index.ts also exports XlsxWorkbook, which reads and writes files with node:fs.)
 */
export { XlsxBook } from "./book";
export type { XlsxBookOptions } from "./book";
export { XlsxFormatError, XlsxWriteError } from "./errors";
export type { ZipCodec } from "./zip";
