/**
 * G/L Register Changes (workbook.md, Safety: "the register must record what it changed"): a run records every
 * posted-column cell of Value Entries it changes, as the cell was before, in the same write as its G/L entries
 * and relation rows (before the posted columns and the register row). glpost undo (and repair's roll back)
 * writes those cells back, so a blank stays blank and "0" stays "0", and needs nothing outside the workbook.
 * A register posted before this table existed has no rows here: it is rolled back by amounts instead
 * (ledgerState.ts, old = posted - what its G/L lines posted).
 */
import { formatMoney, type MoneyScale } from "../engine/money";
import type { Money, PostingInput } from "../engine/types";
import { looseHeader, findColumn, looseName } from "./names";
import { outputWrite, REGISTER_CHANGES_TABLE } from "./outputSchema";
import type { AppendWrite, CellValue, SourceTable, UpdateWrite } from "./port";
import type { ReadContext } from "./readContext";
import { POSTED_FIELDS, postedColumn, type PostedField } from "./schema";
import { isBlank, isPlainDecimal, parseInteger, parseMoney } from "./values";

/**
 * A posted cell as it is written back: blank stays blank, a number stays that number, plain decimal text ("0",
 * "165.00") stays that text; any other text ("(18.00)", "165,00") is written as the amount it reads as, in the
 * target's number style (the adapters turn "165.00" into "165,00" in a decimal-comma file).
 */
export function cellAsWritten(original: CellValue, amount: Money, scale: MoneyScale): CellValue {
  if (original === null || isBlank(original)) return null;
  if (typeof original === "number") return original;
  if (typeof original === "string" && isPlainDecimal(original.trim())) return original.trim();
  return formatMoney(amount, scale);
}

/** The same cell as written and as read (a number cell written as its decimal text counts as the same). */
function sameCell(written: CellValue, original: CellValue): boolean {
  if (written === null || original === null || isBlank(written) || isBlank(original))
    return (written === null || isBlank(written)) && (original === null || isBlank(original));
  if (typeof original === "number" && typeof written === "string")
    return isPlainDecimal(written) && Number(written) === original;
  return written === original;
}

/** The posted field a G/L Register Changes "Column" cell names (loosely, as headers match), or null. */
function fieldOf(text: string): PostedField | null {
  const l = looseName(text);
  for (const f of POSTED_FIELDS) {
    const c = postedColumn(f);
    if (looseName(c.name) === l || (c.aliases ?? []).some((a) => looseName(a) === l)) return f;
  }
  return null;
}

/**
 * The rows a run appends to G/L Register Changes for its posted-column update (planValueEntryUpdate's write):
 * one per cell whose written value differs from the cell as read. null when nothing changes.
 */
export function planRegisterChanges(
  update: UpdateWrite,
  registerNo: number,
  input: PostingInput,
  ctx: ReadContext
): AppendWrite | null {
  const fields = update.columns.map(
    (c) =>
      ctx.postedColumns.find((p) => p.header === c.name)?.field ??
      POSTED_FIELDS.find((f) => postedColumn(f).name === c.name)!
  );
  const readIndex = fields.map((f) => ctx.postedColumns.findIndex((p) => p.field === f));
  const entryAt = new Map<number, number>();
  const wanted = new Set(update.updates.map((u) => u.row));
  ctx.valueEntryRows.forEach((row, index) => {
    if (wanted.has(row)) entryAt.set(row, index);
  });
  const rows: CellValue[][] = [];
  for (const u of update.updates) {
    const e = input.valueEntries[entryAt.get(u.row)!];
    u.values.forEach((written, j) => {
      const original = readIndex[j] < 0 ? null : (ctx.postedValues[u.row]?.[readIndex[j]] ?? null);
      if (sameCell(written, original)) return;
      rows.push([
        registerNo,
        e.entryNo,
        postedColumn(fields[j]).name,
        cellAsWritten(original, e[fields[j]], ctx.scale),
      ]);
    });
  }
  if (rows.length === 0) return null;
  return outputWrite("append", "glRegisterChanges", ctx.outputs, rows);
}

export interface RecordedChange {
  valueEntryNo: number;
  field: PostedField;
  /** The cell to write back (cellAsWritten of the recorded value). */
  value: CellValue;
}

export interface RecordedChanges {
  /** Row indexes (as read) of the register's rows. */
  rows: number[];
  changes: RecordedChange[];
  /** The first row that cannot be read, in words; null when all can. */
  problem: string | null;
}

/** The register's rows of G/L Register Changes, read (pure). */
export function recordedChanges(
  t: SourceTable | undefined,
  registerNo: number,
  scale: MoneyScale
): RecordedChanges {
  const out: RecordedChanges = { rows: [], changes: [], problem: null };
  if (t === undefined) return out;
  const loose = looseHeader(t.header);
  const [reg, ve, col, prev] = REGISTER_CHANGES_TABLE.columns.map((c) => findColumn(loose, c.name));
  if (reg < 0) return out;
  const name = REGISTER_CHANGES_TABLE.names.name;
  t.rows.forEach((row, i) => {
    const r = parseInteger(row[reg] ?? null);
    if (!r.ok || r.value !== registerNo) return;
    out.rows.push(i);
    const at = `${name}, row ${t.rowNumbers[i]}`;
    const n = ve < 0 ? null : parseInteger(row[ve] ?? null);
    const field = col < 0 ? null : fieldOf(String(row[col] ?? ""));
    const raw = prev < 0 ? null : (row[prev] ?? null);
    const amount = parseMoney(raw, scale, t.numberStyle);
    if (n === null || !n.ok || n.value === null)
      out.problem ??= `${at} has no readable Value Entry No.`;
    else if (field === null)
      out.problem ??= `${at}: "${String(row[col] ?? "")}" is not a posted column of Value Entries`;
    else if (!amount.ok)
      out.problem ??= `${at}: the Previous Value "${String(raw)}" is not an amount`;
    else
      out.changes.push({
        valueEntryNo: n.value,
        field,
        value: cellAsWritten(raw, amount.value, scale),
      });
  });
  return out;
}
