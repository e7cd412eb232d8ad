/** Excel's naming rules for new sheets and tables. (Loose name matching is workbook/names.ts, for every adapter.) */

/** A valid worksheet name: none of \ / ? * [ ] :, no leading/trailing apostrophe, at most 31 characters. */
export function sanitizeSheetName(s: string): string {
  const clean = s
    .replace(/[\\/?*[\]:]/g, " ")
    .replace(/^'+|'+$/g, "")
    .trim()
    .slice(0, 31)
    .trim();
  return clean || "Sheet";
}

/**
 * A valid table name: letters, digits, '_' and '.', starting with a letter or '_', not a cell reference
 * (A1 or R1C1 style), at most 255 characters.
 */
export function sanitizeTableName(s: string): string {
  let n = s.replace(/[^\p{L}\p{N}_.]/gu, "_");
  if (!/^[\p{L}_]/u.test(n)) n = `_${n}`;
  if (/^[A-Za-z]{1,3}\d+$/.test(n) || /^[Rr]\d*[Cc]\d*$/.test(n) || /^[RrCc]$/.test(n)) n = `_${n}`;
  return n.slice(0, 255);
}

/** `base`, or base_2, base_3... whichever is not taken (case-insensitive). */
export function uniqueName(base: string, taken: Iterable<string>, maxLength = 255): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const suffix = `_${i}`;
    const n = base.slice(0, maxLength - suffix.length) + suffix;
    if (!used.has(n.toLowerCase())) return n;
  }
}
