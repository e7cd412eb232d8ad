/**
 * The workbook's settings (rules.md section 8) as the task pane shows and saves them: read from the
 * Settings table (two columns, Setting and Value; or a one-record BC setup export) and written back to it,
 * so everyone sharing the workbook posts with the same settings. Goes through the WorkbookPort.
 */
import type { CellValue, ColumnSpec, SourceTable, TableRef, TableWrite, WorkbookPort } from '../workbook/port';
import { findColumnInHeader, findTable, looseName } from '../workbook/names';
import { SETTINGS, SETTINGS_TABLE, type SettingKind, type SettingSpec } from '../workbook/schema';
import { serialToIso } from './cells';

export type SettingKey = SettingSpec['key'];
/** Values as the pane edits them: booleans "Yes"/"No", dates ISO text or "", the rest as text. */
export type SettingValues = Record<SettingKey, string>;

export const SETTING_DEFAULTS: SettingValues = {
  expectedCostPostingToGL: 'No',
  allowPostingFrom: '',
  allowPostingTo: '',
  amountRoundingPrecision: '0.01',
  automaticCostPosting: 'No',
  sourceCode: 'INVTPCOST',
  additionalReportingCurrency: '',
  includeNonInventoryCostInProduction: 'No',
  globalDimension1Code: '',
  globalDimension2Code: '',
};

export interface LoadedSettings {
  values: SettingValues;
  /** Where they came from: the two-column table, a one-record export, or nowhere (defaults). */
  form: 'pairs' | 'record' | 'none';
  table?: SourceTable;
}

const SETTINGS_NAMES = { name: 'Settings', sheetName: 'Settings', excelTableName: 'Settings', csvName: 'Settings' };

function specFor(name: string): SettingSpec | undefined {
  const key = looseName(name);
  return SETTINGS.find((s) => looseName(s.name) === key || (s.aliases ?? []).some((a) => looseName(a) === key));
}

export function displayValue(kind: SettingKind, v: CellValue): string {
  if (v === null) return kind === 'boolean' ? 'No' : '';
  if (kind === 'boolean') {
    if (typeof v === 'boolean') return v ? 'Yes' : 'No';
    if (typeof v === 'number') return v !== 0 ? 'Yes' : 'No';
    return /^(yes|true|1|x|ja|on)$/i.test(v.trim()) ? 'Yes' : 'No';
  }
  if (kind === 'date' && typeof v === 'number') return serialToIso(v);
  return String(v).trim();
}

export async function readSettings(port: WorkbookPort, refs?: TableRef[]): Promise<LoadedSettings> {
  const tables = refs ?? (await port.listTables());
  const values: SettingValues = { ...SETTING_DEFAULTS };
  const ref = findTable(tables, SETTINGS_TABLE.name, SETTINGS_TABLE.aliases);
  if (!ref) return { values, form: 'none' };
  const table = await port.readTable(ref);
  const si = findColumnInHeader(table.header, SETTINGS_TABLE.settingColumn.name, SETTINGS_TABLE.settingColumn.aliases);
  const vi = findColumnInHeader(table.header, SETTINGS_TABLE.valueColumn.name, SETTINGS_TABLE.valueColumn.aliases);
  if (si >= 0 && vi >= 0) {
    for (const row of table.rows) {
      const name = row[si];
      if (name === null || name === undefined) continue;
      const spec = specFor(String(name));
      if (spec) values[spec.key] = displayValue(spec.kind, row[vi] ?? null);
    }
    return { values, form: 'pairs', table };
  }
  // A one-record setup export: fields as columns.
  table.header.forEach((h, c) => {
    const spec = specFor(h);
    if (spec && table.rows[0]) values[spec.key] = displayValue(spec.kind, table.rows[0][c] ?? null);
  });
  return { values, form: 'record', table };
}

function cellFor(kind: SettingKind, v: string): CellValue {
  const t = v.trim();
  if (kind === 'boolean') return t === 'Yes' ? 'Yes' : 'No';
  return t === '' ? null : t;
}

/** The write that saves `values` into the Settings table (created when missing); other rows are kept. */
export function settingsWrite(loaded: LoadedSettings, values: SettingValues): TableWrite {
  const t = loaded.table;
  if (loaded.form === 'record' && t) {
    const columns: ColumnSpec[] = [];
    const row: CellValue[] = [];
    for (const spec of SETTINGS) {
      const c = t.header.findIndex((h) => specFor(h) === spec);
      columns.push({ name: c >= 0 ? t.header[c] : spec.name, format: 'text' });
      row.push(cellFor(spec.kind, values[spec.key]));
    }
    return { kind: 'update', table: t.ref, columns, updates: [{ row: 0, values: row }] };
  }
  let header = ['Setting', 'Value'];
  const rows: CellValue[][] = [];
  const done = new Set<SettingKey>();
  if (t) {
    const si = findColumnInHeader(t.header, SETTINGS_TABLE.settingColumn.name, SETTINGS_TABLE.settingColumn.aliases);
    const vi = findColumnInHeader(t.header, SETTINGS_TABLE.valueColumn.name, SETTINGS_TABLE.valueColumn.aliases);
    header = [t.header[si], t.header[vi]];
    for (const r of t.rows) {
      const name = r[si];
      if (name === null || name === undefined || String(name).trim() === '') continue;
      const spec = specFor(String(name));
      if (spec && done.has(spec.key)) continue;
      if (spec) done.add(spec.key);
      rows.push([String(name), spec ? cellFor(spec.kind, values[spec.key]) : (r[vi] ?? null)]);
    }
  }
  for (const spec of SETTINGS) if (!done.has(spec.key)) rows.push([spec.name, cellFor(spec.kind, values[spec.key])]);
  return {
    kind: 'replace',
    names: SETTINGS_NAMES,
    existing: t?.ref,
    columns: header.map((name) => ({ name, format: 'text' })),
    rows,
  };
}

export async function saveSettings(port: WorkbookPort, loaded: LoadedSettings, values: SettingValues): Promise<void> {
  await port.write([settingsWrite(loaded, values)], null);
}
