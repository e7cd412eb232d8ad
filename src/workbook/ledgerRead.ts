/**
 * G/L Entries and G/L - Item Ledger Relation read as records, for the reconciliation and trace (which need every
 * G/L entry's account, date and amount, not only the numbering the posting run reads). Strict as every reader:
 * a cell that does not read is an input error naming table, row and column.
 */
import { ACCOUNT_TYPES } from "../engine/accountTypes";
import type { MoneyScale } from "../engine/money";
import type { LedgerGLEntry, LedgerRelation } from "../engine/reconcile";
import type { DateOrder } from "./dateOrder";
import type { InputError } from "./inputErrors";
import { findColumn, looseHeader, looseName } from "./names";
import { OUTPUT_TABLES } from "./outputSchema";
import type { CellValue, SourceTable } from "./port";
import {
  cellText,
  isBlank,
  parseCode,
  parseDate,
  parseInteger,
  parseMoney,
  parseText,
  quote,
} from "./values";

const GL = OUTPUT_TABLES.glEntries.names.name;
const REL = OUTPUT_TABLES.glItemLedgerRelation.names.name;
const TYPE_BY_LOOSE = new Map(ACCOUNT_TYPES.map((a) => [looseName(a.caption), a.ordinal] as const));

interface Col {
  name: string;
  required: boolean;
  index: number;
}

function columns(
  t: SourceTable,
  table: string,
  specs: [string, boolean][],
  errors: InputError[]
): Col[] {
  const loose = looseHeader(t.header);
  return specs.map(([name, required]) => {
    const index = findColumn(loose, name);
    if (index < 0 && required && t.rows.length > 0)
      errors.push({ table, column: name, message: `The required column "${name}" is missing.` });
    return { name, required, index };
  });
}

function rowIsBlank(row: readonly CellValue[]): boolean {
  return row.every((v) => isBlank(v ?? null));
}

export function readGLEntries(
  t: SourceTable | undefined,
  scale: MoneyScale,
  dateOrder: DateOrder | null,
  errors: InputError[]
): LedgerGLEntry[] {
  if (t === undefined) return [];
  const cols = columns(
    t,
    GL,
    [
      ["Entry No.", true],
      ["Posting Date", true],
      ["G/L Account No.", true],
      ["Amount", true],
      ["Description", false],
      ["Document No.", false],
      ["Inventory Account Type", false],
      ["Bal. Account Type", false],
      ["G/L Register No.", false],
    ],
    errors
  );
  if (cols.some((c) => c.required && c.index < 0)) return [];
  const [no, date, account, amount, description, documentNo, iat, bat, reg] = cols;
  const out: LedgerGLEntry[] = [];
  // The first row of each Entry No.: a second one would make the relation rows ambiguous.
  const firstRow = new Map<number, number>();
  for (let r = 0; r < t.rows.length; r++) {
    const row = t.rows[r];
    if (rowIsBlank(row)) continue;
    const cell = (c: Col): CellValue => (c.index < 0 ? null : (row[c.index] ?? null));
    const err = (c: Col, message: string) =>
      errors.push({
        table: GL,
        row: t.rowNumbers[r],
        column: t.header[c.index],
        value: cellText(cell(c)),
        message,
      });
    const int = (c: Col): number | null => {
      const p = parseInteger(cell(c), t.numberStyle);
      if (!p.ok) {
        err(c, p.error);
        return null;
      }
      if (p.value === null && c.required) err(c, `${c.name} is blank`);
      return p.value;
    };
    const type = (c: Col): number => {
      const v = cell(c);
      if (isBlank(v)) return -1;
      const at = TYPE_BY_LOOSE.get(looseName(cellText(v)));
      if (at === undefined) {
        err(
          c,
          `${quote(v)} is not an account type (rules.md section 1: ${ACCOUNT_TYPES.map((a) => a.caption).join(", ")})`
        );
        return -1;
      }
      return at;
    };
    const entryNo = int(no);
    if (entryNo !== null) {
      const seen = firstRow.get(entryNo);
      if (seen !== undefined)
        err(
          no,
          `Entry No. ${entryNo} appears more than once (also in row ${seen}): each G/L entry needs its own number`
        );
      else firstRow.set(entryNo, t.rowNumbers[r]);
    }
    const d = parseDate(cell(date), dateOrder);
    if (!d.ok) err(date, d.error);
    else if (d.value === null) err(date, "Posting Date is blank");
    const m = parseMoney(cell(amount), scale, t.numberStyle);
    if (!m.ok) err(amount, m.error);
    const glAccountNo = parseCode(cell(account));
    const registerNo = reg.index < 0 ? 0 : (int(reg) ?? 0);
    out.push({
      entryNo: entryNo ?? 0,
      postingDate: d.ok && d.value !== null ? d.value : 0,
      glAccountNo,
      amount: m.ok ? m.value : 0,
      description: description.index < 0 ? "" : parseText(cell(description)),
      documentNo: documentNo.index < 0 ? "" : parseCode(cell(documentNo)),
      inventoryAccountType: type(iat),
      balAccountType: type(bat),
      glRegisterNo: registerNo,
    });
  }
  return out;
}

export function readRelations(t: SourceTable | undefined, errors: InputError[]): LedgerRelation[] {
  if (t === undefined) return [];
  const cols = columns(
    t,
    REL,
    [
      ["G/L Entry No.", true],
      ["Value Entry No.", true],
      ["G/L Register No.", false],
    ],
    errors
  );
  if (cols.some((c) => c.required && c.index < 0)) return [];
  const out: LedgerRelation[] = [];
  for (let r = 0; r < t.rows.length; r++) {
    const row = t.rows[r];
    if (rowIsBlank(row)) continue;
    const values = cols.map((c) => {
      const v = c.index < 0 ? null : (row[c.index] ?? null);
      const p = parseInteger(v, t.numberStyle);
      if (!p.ok || (p.value === null && c.required)) {
        errors.push({
          table: REL,
          row: t.rowNumbers[r],
          column: t.header[c.index],
          value: cellText(v),
          message: p.ok ? `${c.name} is blank` : p.error,
        });
        return 0;
      }
      return p.value ?? 0;
    });
    out.push({ glEntryNo: values[0], valueEntryNo: values[1], glRegisterNo: values[2] });
  }
  return out;
}
