/**
 * The settings of rules.md section 8, read once for every front end (the run, the task pane, the formulas):
 * BC's one-record Inventory Setup / General Ledger Setup exports first, then the two-column Settings table over
 * them; every unreadable value an input error. The Settings' Date Order (a reading setting) is read first,
 * since the settings' own dates follow it.
 */
import { CENTS, moneyScale, type MoneyScale } from "../engine/money";
import { DEFAULT_SETTINGS, type Settings } from "../engine/types";
import { DATE1904_OFFSET } from "./cellFormats";
import {
  dayMonthText,
  decideDateOrder,
  parseDateOrderSetting,
  type DateOrder,
  type DateOrderSetting,
} from "./dateOrder";
import { findInputTable, type InputError } from "./inputErrors";
import { findColumn, looseHeader, looseName } from "./names";
import type { CellValue, NumberStyle, SourceTable, TableRef, WorkbookPort } from "./port";
import { SETTINGS, SETTINGS_TABLE, SETUP_RECORD_TABLES, type SettingSpec } from "./schema";
import {
  cellText,
  isBlank,
  parseCode,
  parseDate,
  parsePrecisionText,
  parseText,
  parseYesNo,
  quote,
} from "./values";

const SETTING_BY_LOOSE = new Map<string, SettingSpec>();
for (const s of SETTINGS)
  for (const n of [s.name, ...(s.aliases ?? [])]) SETTING_BY_LOOSE.set(looseName(n), s);

export interface SettingsRead {
  settings: Settings;
  scale: MoneyScale;
  precisionInvalid: boolean;
  /** How slashed dates read in the other tables: `--date-order`, else the Settings' Date Order, else auto. */
  dateOrder: DateOrderSetting;
}

/** What reading the settings tables carries along: a bad precision, and how the settings' own dates read. */
interface SettingsState {
  bad: boolean;
  dateOrder: DateOrder | null;
}

/** A serial of a 1904-system workbook as the 1900-system serial the parsers read (other cells as they are). */
function shift1904(table: SourceTable, cell: CellValue): CellValue {
  return typeof cell === "number" && table.date1904 === true ? cell + DATE1904_OFFSET : cell;
}

/** Applies one setting cell; returns an error text or null. */
function applySetting(
  settings: Settings,
  spec: SettingSpec,
  cell: CellValue,
  style?: NumberStyle,
  dateOrder: DateOrder | null = null
): string | null {
  const s = settings as unknown as Record<string, unknown>;
  switch (spec.kind) {
    case "boolean": {
      const p = parseYesNo(cell);
      if (!p.ok) return p.error;
      s[spec.key] = p.value ?? DEFAULT_SETTINGS[spec.key];
      return null;
    }
    case "date": {
      const p = parseDate(cell, dateOrder);
      if (!p.ok) return p.error;
      s[spec.key] = p.value;
      return null;
    }
    case "precision": {
      const p = parsePrecisionText(cell, style);
      if (!p.ok) return p.error;
      if (p.value === null) {
        s[spec.key] = DEFAULT_SETTINGS.amountRoundingPrecision;
        return null;
      }
      const scale = moneyScale(p.value);
      if (scale === null)
        return `${quote(cell)} is not a valid Amount Rounding Precision (a positive decimal with at most 9 decimals, such as 0.01)`;
      s[spec.key] = scale.precision;
      return null;
    }
    case "code": {
      const v = parseCode(cell);
      s[spec.key] = v === "" ? DEFAULT_SETTINGS[spec.key] : v;
      return null;
    }
  }
}

/**
 * Applies a setting's cell of `table` (a date of a 1904-system workbook shifted first); returns an error text or
 * null. A bad Amount Rounding Precision is noted in `state`.
 */
function applySettingCell(
  settings: Settings,
  spec: SettingSpec,
  table: SourceTable,
  cell: CellValue,
  state: SettingsState
): string | null {
  const err = applySetting(
    settings,
    spec,
    spec.kind === "date" ? shift1904(table, cell) : cell,
    table.numberStyle,
    state.dateOrder
  );
  if (err !== null && spec.kind === "precision") state.bad = true;
  return err;
}

/** The Setting and Value columns of a Settings table, by its header passed through looseHeader (-1: missing). */
export function settingsColumns(loose: readonly string[]): [setting: number, value: number] {
  return [
    findColumn(loose, SETTINGS_TABLE.settingColumn.name, SETTINGS_TABLE.settingColumn.aliases),
    findColumn(loose, SETTINGS_TABLE.valueColumn.name, SETTINGS_TABLE.valueColumn.aliases),
  ];
}

/** A one-record table with settings as columns (BC's Inventory Setup / General Ledger Setup export). */
function readSettingsRecord(
  tableName: string,
  table: SourceTable,
  settings: Settings,
  errors: InputError[],
  precisionErrors: SettingsState
): void {
  const loose = looseHeader(table.header);
  const found: { spec: SettingSpec; index: number }[] = [];
  for (const spec of SETTINGS) {
    const index = findColumn(loose, spec.name, spec.aliases);
    if (index >= 0) found.push({ spec, index });
  }
  const records = table.rows
    .map((row, r) => ({ row, r }))
    .filter(({ row }) => !row.every((c) => isBlank(c ?? null)));
  if (records.length === 0) return;
  if (records.length > 1)
    errors.push({
      table: tableName,
      row: table.rowNumbers[records[1].r],
      message: `has ${records.length} records; a setup table holds one record (remove the extra rows).`,
    });
  const { row, r } = records[0];
  for (const { spec, index } of found) {
    const cell = index < row.length ? (row[index] ?? null) : null;
    const err = applySettingCell(settings, spec, table, cell, precisionErrors);
    if (err !== null) {
      errors.push({
        table: tableName,
        row: table.rowNumbers[r],
        column: table.header[index],
        value: cellText(cell),
        message: err,
      });
    }
  }
}

/** The two-column Settings table (Setting, Value); falls back to one-record reading when it has no such columns. */
function readSettingsTable(
  table: SourceTable,
  settings: Settings,
  errors: InputError[],
  precisionErrors: SettingsState
): void {
  const name = SETTINGS_TABLE.name;
  const loose = looseHeader(table.header);
  const [si, vi] = settingsColumns(loose);
  if (si < 0 || vi < 0) {
    if (loose.some((h) => SETTING_BY_LOOSE.has(h)))
      return readSettingsRecord(name, table, settings, errors, precisionErrors);
    if (table.rows.length === 0 && loose.every((h) => h === "")) return;
    if (si < 0)
      errors.push({
        table: name,
        column: SETTINGS_TABLE.settingColumn.name,
        message: `The required column "Setting" is missing.`,
      });
    if (vi < 0)
      errors.push({
        table: name,
        column: SETTINGS_TABLE.valueColumn.name,
        message: `The required column "Value" is missing.`,
      });
    return;
  }
  const seen = new Map<SettingSpec, number>();
  table.rows.forEach((row, r) => {
    const nameCell = si < row.length ? (row[si] ?? null) : null;
    const valueCell = vi < row.length ? (row[vi] ?? null) : null;
    if (isBlank(nameCell) && isBlank(valueCell)) return;
    const rowNo = table.rowNumbers[r];
    const settingName = parseText(nameCell);
    if (settingName === "") {
      errors.push({
        table: name,
        row: rowNo,
        column: table.header[si],
        value: "",
        message: `a setting name is required (the cell is blank) for the value ${quote(valueCell)}`,
      });
      return;
    }
    // Date Order is a reading setting (read first, by settingsDateOrder), not a posting one.
    if (looseName(settingName) === DATE_ORDER_SETTING) return;
    const spec = SETTING_BY_LOOSE.get(looseName(settingName));
    if (spec === undefined) {
      errors.push({
        table: name,
        row: rowNo,
        column: table.header[si],
        value: settingName,
        message: `${quote(settingName)} is not a known setting; the settings are ${[...SETTINGS.map((s) => s.name), "Date Order"].join(", ")}.`,
      });
      return;
    }
    const first = seen.get(spec);
    if (first !== undefined) {
      errors.push({
        table: name,
        row: rowNo,
        column: table.header[si],
        value: settingName,
        message: `${quote(settingName)} appears more than once (first in row ${first}).`,
      });
      return;
    }
    seen.set(spec, rowNo);
    const err = applySettingCell(settings, spec, table, valueCell, precisionErrors);
    if (err !== null) {
      errors.push({
        table: name,
        row: rowNo,
        column: table.header[vi],
        value: cellText(valueCell),
        message: `${spec.name}: ${err}`,
      });
    }
  });
}

const DATE_ORDER_SETTING = looseName("Date Order");

/** The Settings table's Date Order row (a bad value is an input error), or 'auto'. */
function settingsDateOrder(table: SourceTable | undefined, errors: InputError[]): DateOrderSetting {
  if (table === undefined) return "auto";
  const [si, vi] = settingsColumns(looseHeader(table.header));
  if (si < 0 || vi < 0) return "auto";
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    if (looseName(parseText(row[si] ?? null)) !== DATE_ORDER_SETTING) continue;
    const cell = row[vi] ?? null;
    const order = parseDateOrderSetting(cellText(cell));
    if (order !== null) return order;
    errors.push({
      table: SETTINGS_TABLE.name,
      row: table.rowNumbers[r],
      column: table.header[vi],
      value: cellText(cell),
      message: `Date Order: ${quote(cell)} is not a date order; use dmy (31/01/2026), mdy (01/31/2026), ymd (2026/01/31) or auto.`,
    });
  }
  return "auto";
}

/** Where the settings were found (absent = not in the workbook). */
export interface SettingsRefs {
  inventorySetup?: TableRef;
  generalLedgerSetup?: TableRef;
  settings?: TableRef;
}

/**
 * Reads the workbook's settings: defaults, then the setup exports, then the Settings table. Errors are appended
 * to `errors`; `refs` says where they came from (the task pane writes them back there).
 */
export async function readSettings(
  port: WorkbookPort,
  tables: readonly TableRef[],
  refs: SettingsRefs,
  errors: InputError[],
  cliDateOrder?: DateOrder
): Promise<SettingsRead> {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  // One-record setup exports first; an explicit Settings table overrides them.
  const [inventorySetup, glSetup] = SETUP_RECORD_TABLES.map((t) =>
    findInputTable(tables, t.name, t.aliases, false, errors)
  );
  refs.inventorySetup = inventorySetup;
  refs.generalLedgerSetup = glSetup;
  const settingsRef = findInputTable(
    tables,
    SETTINGS_TABLE.name,
    SETTINGS_TABLE.aliases,
    false,
    errors
  );
  refs.settings = settingsRef;
  const records = await Promise.all(
    [inventorySetup, glSetup].map((ref) => (ref === undefined ? undefined : port.readTable(ref)))
  );
  const settingsTable = settingsRef === undefined ? undefined : await port.readTable(settingsRef);
  // The settings' own slashed dates (Allow Posting From/To) read under the same order, decided over all of them.
  const dateOrder: DateOrderSetting = cliDateOrder ?? settingsDateOrder(settingsTable, errors);
  let own: DateOrder | null = dateOrder === "auto" ? null : dateOrder;
  if (own === null) {
    const texts = [...records, settingsTable].flatMap((t) =>
      t === undefined ? [] : t.rows.flat().filter(dayMonthText)
    );
    const d = decideDateOrder(texts);
    if (d.kind === "decided") own = d.order;
  }
  const state: SettingsState = { bad: false, dateOrder: own };
  records.forEach((t, i) => {
    if (t !== undefined)
      readSettingsRecord(SETUP_RECORD_TABLES[i].name, t, settings, errors, state);
  });
  if (settingsTable !== undefined) readSettingsTable(settingsTable, settings, errors, state);
  const scale = state.bad ? CENTS : (moneyScale(settings.amountRoundingPrecision) ?? CENTS);
  if (state.bad) settings.amountRoundingPrecision = DEFAULT_SETTINGS.amountRoundingPrecision;
  return { settings, scale, precisionInvalid: state.bad, dateOrder };
}
