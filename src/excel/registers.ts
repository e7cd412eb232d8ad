/** The Document No. the task pane suggests: the last register's, incremented (BC's IncStr). */
import type { TableRef, WorkbookPort } from "../workbook/port";
import { findColumnInHeader, findTable } from "../workbook/names";
import { OUTPUT_TABLES, outputTableSpellings } from "../workbook/outputSchema";

/**
 * Increments the last number in a text, keeping its width: INVT-2026-01 -> INVT-2026-02, A9 -> A10,
 * X-099 -> X-100. A text without digits gives '' (as BC's IncStr).
 */
export function incrementDocumentNo(text: string): string {
  const m = /(\d+)(\D*)$/.exec(text);
  if (!m) return "";
  const digits = m[1];
  const next = (BigInt(digits) + 1n).toString().padStart(digits.length, "0");
  return text.slice(0, m.index) + next + m[2];
}

export interface LastRegister {
  no: number;
  documentNo: string;
}

/** The register with the largest No. that has a Document No. (per Entry runs have none), or null. */
async function lastRegisterWithDocumentNo(
  port: WorkbookPort,
  refs?: TableRef[]
): Promise<LastRegister | null> {
  const tables = refs ?? (await port.listTables());
  const ref = findTable(
    tables,
    OUTPUT_TABLES.glRegisters.names.name,
    outputTableSpellings("glRegisters")
  );
  if (!ref) return null;
  const t = await port.readTable(ref);
  const ni = findColumnInHeader(t.header, "No.");
  const di = findColumnInHeader(t.header, "Document No.");
  if (ni < 0 || di < 0) return null;
  let best: LastRegister | null = null;
  for (const r of t.rows) {
    const no = Number(r[ni]);
    const doc = r[di] === null || r[di] === undefined ? "" : String(r[di]).trim();
    if (!Number.isFinite(no) || doc === "") continue;
    if (!best || no > best.no) best = { no, documentNo: doc };
  }
  return best;
}

export async function defaultDocumentNo(port: WorkbookPort, refs?: TableRef[]): Promise<string> {
  const last = await lastRegisterWithDocumentNo(port, refs);
  return last ? incrementDocumentNo(last.documentNo) : "";
}
