/**
 * The shapes a JSON file may hold tables in (workbook.md, "In JSON"), read into one model (table name ->
 * records) and written back in the shape they came in:
 * - an object of tables: `{ "<table name>": [ {...}, ... ], ... }`;
 * - an OData v4 collection response, as BC's web services and APIs return it:
 *   `{ "@odata.context": ".../$metadata#ValueEntries", "value": [ {...}, ... ] }`, one table named by the entity
 *   set in its context (else by the file name); also as a value of an object of tables;
 * - an OData v4 single entity (`"@odata.context": "...#GeneralLedgerSetup/$entity"`): a one-record table.
 * OData annotations (`@odata.etag`, `@odata.context`, `Field@odata.type`) are not columns; they are kept as they
 * are when the file is written back. Pure: no I/O.
 */

export type JsonRecord = Record<string, unknown>;
/** Table name -> records (a null element is a blank row). */
export type JsonTables = Record<string, (JsonRecord | null)[]>;

/** How one table sat in its file. */
export type JsonTableShape =
  | { kind: "array" }
  /** An OData collection: `keys` are the response's keys in order (one of them "value"), `others` their values. */
  | { kind: "collection"; keys: string[]; others: JsonRecord }
  /** An OData single entity: the record is the object itself. */
  | { kind: "entity" };

export interface JsonLayout {
  /** The file is one table (an OData response) rather than an object of tables. */
  single: boolean;
  /** Per table name: its shape (tables added by a write have none: an array, or `{ "value": [...] }` alone in a file). */
  shapes: Record<string, JsonTableShape>;
}

export interface ParsedJson {
  tables: JsonTables;
  layout: JsonLayout;
}

/** A key that is an OData annotation, not a field. */
function isAnnotationKey(key: string): boolean {
  return key.startsWith("@") || key.includes("@odata.");
}

/**
 * The entity set an OData context names: `...$metadata#ValueEntries`, `...#Company('CRONUS')/ValueEntries`,
 * `...#companies(9c4f...)/accounts`, `...#ValueEntries(Entry_No,Posting_Date)` ($select) and
 * `...#GeneralLedgerSetup/$entity` all give the last segment's name; null when there is none.
 */
export function entitySetOf(context: string): string | null {
  const hash = context.lastIndexOf("#");
  if (hash < 0) return null;
  // Split on "/" outside parentheses (a company name in Company('...') may hold one).
  const segments: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of context.slice(hash + 1)) {
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "/" && depth === 0) {
      segments.push(cur);
      cur = "";
    } else cur += ch;
  }
  segments.push(cur);
  const named = segments.filter((s) => s !== "" && !s.startsWith("$"));
  if (named.length === 0) return null;
  const last = named[named.length - 1];
  // "Collection(Edm.String)" and the like are not entity sets.
  if (/^Collection\(/.test(last)) return null;
  const paren = last.indexOf("(");
  const name = (paren >= 0 ? last.slice(0, paren) : last).trim();
  return name === "" || name.includes(".") ? null : name;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function isObject(v: unknown): v is JsonRecord {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** An OData collection response: a "value" array beside annotations only. */
function isCollection(v: JsonRecord): boolean {
  return Array.isArray(v.value) && Object.keys(v).every((k) => k === "value" || isAnnotationKey(k));
}

/** An OData single entity: an object with an @odata.context (and no "value" array). */
function isEntity(v: JsonRecord): boolean {
  return typeof v["@odata.context"] === "string" && !Array.isArray(v.value);
}

function checkRecords(records: unknown[], where: string): (JsonRecord | null)[] {
  records.forEach((rec, i) => {
    if (rec !== null && !isObject(rec))
      throw new Error(
        `${where} item ${i + 1} must be an object ({ "<column>": value }), not ${describe(rec)}.`
      );
  });
  return records as (JsonRecord | null)[];
}

function collectionShape(v: JsonRecord): JsonTableShape {
  const others: JsonRecord = {};
  for (const [k, x] of Object.entries(v)) if (k !== "value") others[k] = x;
  return { kind: "collection", keys: Object.keys(v), others };
}

/** The file's name without folder and extension: the table name of a file that holds one unnamed table. */
function baseName(file: string): string {
  const b = file.replace(/^.*[\\/]/, "");
  const dot = b.lastIndexOf(".");
  return dot > 0 ? b.slice(0, dot) : b;
}

/** Parses a JSON file's text into tables and the layout to write them back in; throws with a message naming the file. */
export function parseJsonTables(text: string, file: string): ParsedJson {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(data))
    throw new Error(
      `${file} must hold a JSON object of tables ({ "<table name>": [ {...}, ... ] }), not ${describe(data)}.`
    );
  if (isCollection(data) || isEntity(data)) {
    const context = data["@odata.context"];
    const name = (typeof context === "string" ? entitySetOf(context) : null) ?? baseName(file);
    if (isCollection(data))
      return {
        tables: { [name]: checkRecords(data.value as unknown[], `${file}: "value"`) },
        layout: { single: true, shapes: { [name]: collectionShape(data) } },
      };
    return {
      tables: { [name]: [data] },
      layout: { single: true, shapes: { [name]: { kind: "entity" } } },
    };
  }
  const tables: JsonTables = {};
  const shapes: Record<string, JsonTableShape> = {};
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) {
      tables[key] = checkRecords(value, `${file}: "${key}"`);
      shapes[key] = { kind: "array" };
    } else if (isObject(value) && isCollection(value)) {
      tables[key] = checkRecords(value.value as unknown[], `${file}: "${key}"`);
      shapes[key] = collectionShape(value);
    } else if (isObject(value) && isEntity(value)) {
      tables[key] = [value];
      shapes[key] = { kind: "entity" };
    } else
      throw new Error(
        `${file}: "${key}" must be an array of records ({ "<column>": value }), not ${describe(value)}.`
      );
  }
  return { tables, layout: { single: false, shapes } };
}

function renderTable(
  records: (JsonRecord | null)[],
  shape: JsonTableShape | undefined,
  alone: boolean
): unknown {
  if (shape === undefined) return alone ? { value: records } : records;
  switch (shape.kind) {
    case "array":
      return records;
    case "entity":
      return records.length === 1 && records[0] !== null ? records[0] : { value: records };
    case "collection": {
      const out: JsonRecord = {};
      for (const k of shape.keys) out[k] = k === "value" ? records : shape.others[k];
      return out;
    }
  }
}

/**
 * The JSON value to write for these tables in the file's layout. A one-table file stays one table; if a write
 * added tables to it, it becomes an object of tables (the response under its entity set, new tables as arrays).
 */
export function renderJsonTables(tables: JsonTables, layout: JsonLayout): unknown {
  const names = Object.keys(tables);
  if (layout.single && names.length === 1)
    return renderTable(tables[names[0]], layout.shapes[names[0]], true);
  const out: JsonRecord = {};
  for (const n of names) out[n] = renderTable(tables[n], layout.shapes[n], false);
  return out;
}

/** A table's header: every field of its records in order of first appearance, OData annotations left out. */
export function jsonHeader(records: readonly (JsonRecord | null)[]): string[] {
  const seen = new Set<string>();
  const header: string[] = [];
  for (const rec of records) {
    if (rec === null) continue;
    for (const k of Object.keys(rec)) {
      if (!seen.has(k)) {
        seen.add(k);
        if (!isAnnotationKey(k)) header.push(k);
      }
    }
  }
  return header;
}

/** An object of tables whose every table is a plain array: written as is (json.ts streams it record by record). */
export function isPlainLayout(layout: JsonLayout): boolean {
  return !layout.single && Object.values(layout.shapes).every((s) => s.kind === "array");
}

/** The file's text for these tables in its layout, pretty-printed (2 spaces) or compact, with a final line end. */
export function renderJsonText(tables: JsonTables, layout: JsonLayout, pretty: boolean): string {
  return [...renderJsonChunks(tables, layout, pretty)].join("");
}

/**
 * renderJsonText in pieces: the same text, without building it as one string (a response of 100,000 value
 * entries is written record by record, like json.ts writes an object of tables).
 */
export function* renderJsonChunks(
  tables: JsonTables,
  layout: JsonLayout,
  pretty: boolean
): Generator<string> {
  yield* stringifyChunks(renderJsonTables(tables, layout), pretty, 0);
  yield "\n";
}

/** JSON.stringify(v, null, pretty ? 2 : undefined) at nesting `depth`, in pieces: objects and arrays of the top levels element by element. */
function* stringifyChunks(v: unknown, pretty: boolean, depth: number): Generator<string> {
  const inner = pretty ? "\n" + "  ".repeat(depth + 1) : "";
  const outer = pretty ? "\n" + "  ".repeat(depth) : "";
  if (depth < 2 && Array.isArray(v) && v.length > 0) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      // JSON.stringify writes undefined in an array as null.
      out +=
        (i > 0 ? "," : "") +
        inner +
        stringifyAt(v[i] === undefined ? null : v[i], pretty, depth + 1);
      if (out.length >= 1 << 16) {
        yield out;
        out = "";
      }
    }
    yield out + outer + "]";
    return;
  }
  if (depth < 2 && isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length > 0) {
      yield "{";
      for (let i = 0; i < keys.length; i++) {
        yield (i > 0 ? "," : "") + inner + JSON.stringify(keys[i]) + (pretty ? ": " : ":");
        yield* stringifyChunks(v[keys[i]], pretty, depth + 1);
      }
      yield outer + "}";
      return;
    }
  }
  yield stringifyAt(v, pretty, depth);
}

/** One value as JSON.stringify writes it at nesting `depth` (its line breaks indented; those in strings are escaped). */
function stringifyAt(v: unknown, pretty: boolean, depth: number): string {
  const s = JSON.stringify(v, null, pretty ? 2 : undefined) ?? "null";
  return pretty && depth > 0 ? s.replace(/\n/g, "\n" + "  ".repeat(depth)) : s;
}
