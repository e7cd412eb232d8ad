/** The posting engine: pure functions from value entries and posting setup to a posting plan. */
export * from "./types";
export {
  ACCOUNT_TYPES,
  AT,
  accountTypeCaption,
  INVENTORY_SETUP_FIELDS,
  GENERAL_SETUP_FIELDS,
} from "./accountTypes";
export { ACCOUNT_MATRIX, findMatrixRow } from "./accountMatrix";
export {
  postInventoryCostToGL,
  applyUpdates,
  valueEntryUpdates,
  entryOrder,
  relationRows,
  reportAmounts,
  REPORT_AMOUNTS,
  closingMessage,
  type ReportAmountKey,
} from "./post";
export { testReport, type TestReport } from "./testReport";
export { checkRunOptions, RunOptionsError } from "./evaluate";
export { parseCodeFilter, parseDateFilter } from "./filters";
export { isoToDay, dayToIso, EXCEL_EPOCH_OFFSET } from "./dates";
export * from "./money";
