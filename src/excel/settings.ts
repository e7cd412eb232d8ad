/**
 * The workbook's settings (rules.md section 8) as the task pane shows and saves them: read from the
 * Settings table (two columns, Setting and Value; or a one-record BC setup export) and written back to it,
 * so everyone sharing the workbook posts with the same settings. Goes through the WorkbookPort.
 */
import { dayToIso } from "../engine/dates";
import { DEFAULT_SETTINGS, type Settings } from "../engine/types";
import { formatInputError, type InputError } from "../workbook/inputErrors";
import { looseHeader, looseName } from "../workbook/names";
import type {
  CellValue,
  ColumnSpec,
  SourceTable,
  TableRef,
  TableWrite,
  WorkbookPort,
} from "../workbook/port";
import { SETTINGS, type SettingKind, type SettingSpec } from "../workbook/schema";
import { readSettings, settingsColumns, type SettingsRefs } from "../workbook/settings";

export type SettingKey = SettingSpec["key"];
/** Values as the pane edits them: booleans "Yes"/"No", dates ISO text or "", the rest as text. */
export type SettingValues = Record<SettingKey, string>;

/** The settings as the pane edits them: Yes/No, ISO dates or '', the rest as text. */
function settingValues(settings: Settings): SettingValues {
  const out = {} as SettingValues;
  for (const spec of SETTINGS) {
    const v = settings[spec.key];
    out[spec.key] =
      typeof v === "boolean"
        ? v
          ? "Yes"
          : "No"
        : spec.kind === "date"
          ? v === null
            ? ""
            : dayToIso(v as number)
          : String(v ?? "");
  }
  return out;
}

export const SETTING_DEFAULTS: SettingValues = settingValues(DEFAULT_SETTINGS);

export interface LoadedSettings {
  values: SettingValues;
  /** Where they came from: the two-column table, a one-record export, or nowhere (defaults). */
  form: "pairs" | "record" | "none";
  table?: SourceTable;
  /** What the run would report about these settings (the same reader: workbook/settings.ts). */
  errors: string[];
}

const SETTINGS_NAMES = {
  name: "Settings",
  sheetName: "Settings",
  excelTableName: "Settings",
  csvName: "Settings",
};

function specFor(name: string): SettingSpec | undefined {
  const key = looseName(name);
  return SETTINGS.find(
    (s) => looseName(s.name) === key || (s.aliases ?? []).some((a) => looseName(a) === key)
  );
}

/**
 * The workbook's settings read exactly as a run reads them (workbook/settings.ts: the Settings table over BC's
 * Inventory Setup / General Ledger Setup exports, the same Yes/No words, dates and defaults), so the pane, the
 * Automatic Cost Posting switch and the run never disagree; plus where to write them back.
 */
export async function loadPaneSettings(
  port: WorkbookPort,
  refs?: TableRef[]
): Promise<LoadedSettings> {
  const tables = refs ?? (await port.listTables());
  const found: SettingsRefs = {};
  const errors: InputError[] = [];
  const read = await readSettings(port, tables, found, errors);
  const values = settingValues(read.settings);
  const errorTexts = errors.map(formatInputError);
  if (found.settings === undefined) return { values, form: "none", errors: errorTexts };
  const table = await port.readTable(found.settings);
  const [si, vi] = settingsColumns(looseHeader(table.header));
  return { values, form: si >= 0 && vi >= 0 ? "pairs" : "record", table, errors: errorTexts };
}

function cellFor(kind: SettingKind, v: string): CellValue {
  const t = v.trim();
  if (kind === "boolean") return t === "Yes" ? "Yes" : "No";
  return t === "" ? null : t;
}

/** The write that saves `values` into the Settings table (created when missing); other rows are kept. */
function settingsWrite(loaded: LoadedSettings, values: SettingValues): TableWrite {
  const t = loaded.table;
  if (loaded.form === "record" && t) {
    const columns: ColumnSpec[] = [];
    const row: CellValue[] = [];
    for (const spec of SETTINGS) {
      const c = t.header.findIndex((h) => specFor(h) === spec);
      columns.push({ name: c >= 0 ? t.header[c] : spec.name, format: "text" });
      row.push(cellFor(spec.kind, values[spec.key]));
    }
    return { kind: "update", table: t.ref, columns, updates: [{ row: 0, values: row }] };
  }
  let header = ["Setting", "Value"];
  const rows: CellValue[][] = [];
  const done = new Set<SettingKey>();
  if (t) {
    const [si, vi] = settingsColumns(looseHeader(t.header));
    header = [t.header[si], t.header[vi]];
    for (const r of t.rows) {
      const name = r[si];
      if (name === null || name === undefined || String(name).trim() === "") continue;
      const spec = specFor(String(name));
      if (spec && done.has(spec.key)) continue;
      if (spec) done.add(spec.key);
      rows.push([String(name), spec ? cellFor(spec.kind, values[spec.key]) : (r[vi] ?? null)]);
    }
  }
  for (const spec of SETTINGS)
    if (!done.has(spec.key)) rows.push([spec.name, cellFor(spec.kind, values[spec.key])]);
  return {
    kind: "replace",
    names: SETTINGS_NAMES,
    existing: t?.ref,
    columns: header.map((name) => ({ name, format: "text" })),
    rows,
  };
}

export async function saveSettings(
  port: WorkbookPort,
  loaded: LoadedSettings,
  values: SettingValues
): Promise<void> {
  await port.write([settingsWrite(loaded, values)], null);
}
