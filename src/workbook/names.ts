/**
 * Loose name matching (workbook.md, "Names match loosely"): compare after lower-casing and dropping everything
 * but letters and digits. Used for table names, column headers and option values.
 *
 * Performance: callers resolve names once per table (header -> column index) and option texts through a
 * small cache, never once per cell.
 */
import type { CellValue, TableKind, TableRef } from "./port";

const XML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Lower-case, letters and digits only: `Cost Amount (Actual)`, `Cost_Amount_Actual`, `costAmountActual` all
 * give `costamountactual`. OData's escapes of special characters (`Material_x002D_Non_Inventory`) are decoded
 * first, so they compare like the caption.
 */
export function looseName(s: string): string {
  let t = s;
  if (t.indexOf("_x") >= 0)
    t = t.replace(XML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  t = t.toLowerCase();
  let out = "";
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += t[i];
    else if (c > 127 && /[\p{L}\p{N}]/u.test(t[i])) out += t[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables

const KIND_RANK: Record<TableKind, number> = { table: 0, csv: 1, json: 1, sheet: 2 };

/** A BC configuration package names its later sheets "<table id> <caption>" ("5813 Inventory Posting Setup"). */
const TABLE_ID_PREFIX = /^\d+\s+(?=\S)/;

/** The loose name of a found table's name or sheet name, without a configuration package's leading table id. */
function looseTableName(s: string): string {
  return looseName(s.replace(TABLE_ID_PREFIX, ""));
}

/**
 * The table among `tables` whose name matches `name` or one of `aliases` loosely. An Excel table (kind
 * 'table') wins over a worksheet of the same name; among equals the first listed wins. A table's worksheet
 * name counts too (a sheet named "Value Entries" that holds an Excel table "Table1" is found as that table).
 */
export function findTable(
  tables: readonly TableRef[],
  name: string,
  aliases: readonly string[] = []
): TableRef | undefined {
  return findTables(tables, name, aliases)[0];
}

/** Every matching table, best first (see findTable). */
export function findTables(
  tables: readonly TableRef[],
  name: string,
  aliases: readonly string[] = []
): TableRef[] {
  return findTablesRanked(tables, name, aliases).map((h) => h.ref);
}

/**
 * Every matching table with its rank (lower is better: 0 Excel table by name, 1 CSV/JSON by name, 1.5 Excel
 * table by its sheet's name, 2 worksheet). Two hits with the best rank make the name ambiguous.
 */
export function findTablesRanked(
  tables: readonly TableRef[],
  name: string,
  aliases: readonly string[] = []
): { ref: TableRef; rank: number }[] {
  const wanted = new Set([name, ...aliases].map(looseName));
  const hits: { ref: TableRef; rank: number; i: number }[] = [];
  tables.forEach((ref, i) => {
    if (wanted.has(looseTableName(ref.name))) hits.push({ ref, rank: KIND_RANK[ref.kind] ?? 3, i });
    else if (
      ref.kind === "table" &&
      ref.sheet !== undefined &&
      wanted.has(looseTableName(ref.sheet))
    )
      // An Excel table with a generic name on a sheet that has the right name: after exact name hits.
      hits.push({ ref, rank: 1.5, i });
  });
  hits.sort((a, b) => a.rank - b.rank || a.i - b.i);
  // A table and the worksheet that holds it are one table: drop the sheet.
  const out: { ref: TableRef; rank: number }[] = [];
  for (const h of hits) {
    if (
      h.ref.kind === "sheet" &&
      out.some((o) => o.ref.kind === "table" && o.ref.sheet === h.ref.name)
    )
      continue;
    out.push({ ref: h.ref, rank: h.rank });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Columns

/** Loose names of a header, computed once per table. */
export function looseHeader(header: readonly string[]): string[] {
  return header.map((h) => looseName(h ?? ""));
}

/**
 * Index of the column named `name` (or one of `aliases`) in a header already passed through looseHeader, or
 * -1. The name itself wins over aliases; among columns with the same loose name the first wins.
 */
export function findColumn(
  loose: readonly string[],
  name: string,
  aliases: readonly string[] = []
): number {
  for (const n of [name, ...aliases]) {
    const i = loose.indexOf(looseName(n));
    if (i >= 0) return i;
  }
  return -1;
}

/** Convenience for a raw header (computes the loose names; for one-off lookups). */
export function findColumnInHeader(
  header: readonly string[],
  name: string,
  aliases: readonly string[] = []
): number {
  return findColumn(looseHeader(header), name, aliases);
}

// ---------------------------------------------------------------------------------------------
// Options

/** Texts BC exports use for the blank option (besides the empty cell); OData encodes BC's blank enum value " " as "_x0020_". */
const BLANK_OPTION_TEXTS = new Set(["", "_blank_", "blank", " ", "_x0020_"]);

/** True for a cell that reads as the blank option: empty, whitespace, "_blank_" (BC exports) or "blank". */
export function isBlankOptionText(text: string): boolean {
  const t = text.trim().toLowerCase();
  return BLANK_OPTION_TEXTS.has(t);
}

/**
 * Matches option texts loosely against a fixed list of captions (the enums of types.ts). Results are cached
 * by the raw text, so a column of 100,000 cells costs a map lookup per cell.
 */
export class OptionMatcher<T extends string> {
  private readonly byLoose = new Map<string, T>();
  private readonly cache = new Map<string, T | null>();
  readonly hasBlank: boolean;

  constructor(
    readonly captions: readonly T[],
    /** Extra spellings: loose-matched alias -> caption. */
    aliases: Readonly<Record<string, T>> = {}
  ) {
    for (const c of captions) if (c !== "") this.byLoose.set(looseName(c), c);
    for (const [a, c] of Object.entries(aliases)) this.byLoose.set(looseName(a), c);
    this.hasBlank = captions.includes("" as T);
  }

  /** The caption, '' for the blank option (when the list has one), or null when the text matches nothing. */
  match(text: string): T | null {
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    let r: T | null;
    if (isBlankOptionText(text)) r = this.hasBlank ? ("" as T) : null;
    else r = this.byLoose.get(looseName(text)) ?? null;
    if (this.cache.size < 10000) this.cache.set(text, r);
    return r;
  }

  /** "Purchase, Sale, ..." for error messages (the blank option shown as "(blank)"). */
  describe(): string {
    return this.captions.map((c) => (c === "" ? "(blank)" : c)).join(", ");
  }
}

/** One-off option match (tests, settings). */
export function matchOption<T extends string>(captions: readonly T[], value: CellValue): T | null {
  if (value === null) return captions.includes("" as T) ? ("" as T) : null;
  if (typeof value !== "string") return null;
  return new OptionMatcher(captions).match(value);
}
