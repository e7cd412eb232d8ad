/**
 * The package layer (Open Packaging Conventions): parts by name, relationships and content types.
 * A PartStore reads the zip once and keeps an overlay of changed parts, so a write can be prepared in
 * full (and thrown away on error) without touching the loaded workbook.
 */
import {
  CompressedPart,
  InflateBudget,
  PartWriter,
  ZipCodec,
  ZipEntry,
  ZipFormatError,
  ZipOutput,
  concatBytes,
  entryData,
  fflateCodec,
  writeZip,
} from "./zip";
import {
  XML_DECLARATION,
  XmlElement,
  appendChildText,
  attr,
  childElements,
  decodeXml,
  encodeXml,
  escapeAttr,
  parseAttrs,
  rootElement,
  startTag,
} from "./xml";

export const CT_WORKSHEET =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
export const CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml";
export const CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";
export const CT_RELS = "application/vnd.openxmlformats-package.relationships+xml";
export const CT_SHARED_STRINGS =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml";

/** Relationship type names by their last segment, so Transitional and Strict OOXML both match. */
export function relKind(type: string): string {
  return type.slice(type.lastIndexOf("/") + 1);
}

export class PartStore {
  private readonly byLower = new Map<string, ZipEntry>();
  private readonly textCache = new Map<string, string>();
  /** Changed parts: new text, new content already compressed (part), or neither (removed). */
  private readonly overlay = new Map<
    string,
    { name: string; data?: string; part?: CompressedPart }
  >();

  private readonly budget: InflateBudget;

  constructor(
    private readonly entries: ZipEntry[],
    private readonly codec: ZipCodec = fflateCodec,
    budget?: InflateBudget
  ) {
    this.budget = budget ?? new InflateBudget();
    for (const e of entries) {
      if (e.name.endsWith("/")) continue;
      const k = e.name.toLowerCase();
      const other = this.byLower.get(k);
      // OPC part names are case-insensitive: two entries for one name are an invalid package (which one
      // Excel shows cannot be known).
      if (other)
        throw new ZipFormatError(
          other.name === e.name
            ? `the part ${e.name} is in the zip twice`
            : `the parts ${other.name} and ${e.name} have the same name (part names ignore case)`
        );
      this.byLower.set(k, e);
    }
  }

  /** A store with no changes yet that shares this one's entries and decoded text. */
  fork(): PartStore {
    const f = new PartStore(this.entries, this.codec, this.budget);
    for (const [k, v] of this.textCache) f.textCache.set(k, v);
    for (const [k, v] of this.overlay) f.overlay.set(k, v);
    return f;
  }

  /** Part names are case-insensitive in OPC. */
  has(path: string): boolean {
    const k = path.toLowerCase();
    const o = this.overlay.get(k);
    if (o) return o.data !== undefined || o.part !== undefined;
    return this.byLower.has(k);
  }

  /** The name as stored in the zip (or as added), for a case-insensitive lookup. */
  actualName(path: string): string {
    const k = path.toLowerCase();
    return this.overlay.get(k)?.name ?? this.byLower.get(k)?.name ?? path;
  }

  text(path: string): string | undefined {
    const k = path.toLowerCase();
    const o = this.overlay.get(k);
    if (o)
      return o.part
        ? decodeXml(
            entryData(
              {
                name: o.name,
                method: 8,
                crc: o.part.crc,
                size: o.part.size,
                raw: concatBytes(o.part.raw),
                time: 0,
                date: 0,
              },
              this.codec
            )
          )
        : o.data;
    const cached = this.textCache.get(k);
    if (cached !== undefined) return cached;
    const e = this.byLower.get(k);
    if (!e) return undefined;
    const t = decodeXml(entryData(e, this.codec, this.budget));
    this.textCache.set(k, t);
    return t;
  }

  /** Drops a decoded part from the cache (used for big sheets once they are read). */
  forget(path: string): void {
    this.textCache.delete(path.toLowerCase());
  }

  setText(path: string, text: string): void {
    this.overlay.set(path.toLowerCase(), { name: this.actualName(path), data: text });
  }

  /**
   * Sets a part's text given in pieces (a big sheet), compressing them as they come so that the whole
   * text is never held.
   */
  writePart(path: string, pieces: Iterable<string>): void {
    const w = new PartWriter(this.codec);
    for (const text of pieces) w.write(text);
    this.overlay.set(path.toLowerCase(), { name: this.actualName(path), part: w.finish() });
  }

  /** writePart, compressing on the codec's thread pool (when it has one) while the next pieces are made. */
  async writePartAsync(path: string, pieces: Iterable<string>): Promise<void> {
    if (!this.codec.deflateRawAsync) return this.writePart(path, pieces);
    const w = new PartWriter(this.codec, true);
    for (const text of pieces) {
      w.write(text);
      const room = w.room();
      if (room) await room;
    }
    this.overlay.set(path.toLowerCase(), {
      name: this.actualName(path),
      part: await w.finishAsync(),
    });
  }

  remove(path: string): void {
    this.overlay.set(path.toLowerCase(), { name: this.actualName(path) });
  }

  get changed(): boolean {
    return this.overlay.size > 0;
  }

  /** The package as zip bytes: untouched entries copied verbatim, in their original order; new parts last. */
  toBytes(): Uint8Array {
    const out: ZipOutput[] = [];
    const seen = new Set<string>();
    for (const e of this.entries) {
      const k = e.name.toLowerCase();
      seen.add(k);
      const o = this.overlay.get(k);
      if (!o) out.push({ copy: e });
      else if (o.part) out.push({ name: e.name, part: o.part });
      else if (o.data !== undefined) out.push({ name: e.name, data: encodeXml(o.data) });
    }
    for (const [k, o] of this.overlay) {
      if (seen.has(k)) continue;
      if (o.part) out.push({ name: o.name, part: o.part });
      else if (o.data !== undefined) out.push({ name: o.name, data: encodeXml(o.data) });
    }
    return writeZip(out, this.codec);
  }
}

// ---- paths ----

export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function relsPathFor(part: string): string {
  const dir = dirOf(part);
  const base = part.slice(dir.length ? dir.length + 1 : 0);
  return `${dir ? dir + "/" : ""}_rels/${base}.rels`;
}

/** Resolves a relationship target against its source part; returns a zip path (no leading '/'). */
export function resolveTarget(sourcePart: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(t);
  } catch {
    /* keep as written */
  }
  const segs = t.startsWith("/") ? [] : dirOf(sourcePart).split("/").filter(Boolean);
  for (const s of t.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segs.pop();
    else segs.push(s);
  }
  return segs.join("/");
}

/** The target to write in `sourcePart`'s rels for `targetPart` (relative, as Excel writes them). */
export function relativeTarget(sourcePart: string, targetPart: string): string {
  const from = dirOf(sourcePart).split("/").filter(Boolean);
  const to = targetPart.split("/");
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/");
}

// ---- relationships ----

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function parseRels(xml: string | undefined): Relationship[] {
  if (!xml) return [];
  const root = rootElement(xml);
  return childElements(xml, root)
    .filter((e) => e.local === "Relationship")
    .map((e) => {
      const a = parseAttrs(startTag(xml, e));
      return {
        id: a.Id ?? "",
        type: a.Type ?? "",
        target: a.Target ?? "",
        external: (a.TargetMode ?? "") === "External",
      };
    });
}

/** Adds a relationship to a rels part (creating it); returns the new id. */
export function addRelationship(
  store: PartStore,
  sourcePart: string,
  type: string,
  targetPart: string
): string {
  const path = relsPathFor(sourcePart);
  const xml =
    store.text(path) ??
    `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`;
  const used = new Set(parseRels(xml).map((r) => r.id));
  let n = used.size + 1;
  while (used.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const root = rootElement(xml);
  const rel = `<Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(relativeTarget(sourcePart, targetPart))}"/>`;
  store.setText(path, appendChildText(xml, root, rel));
  return id;
}

/** Removes every relationship of `sourcePart` that points at `targetPart`. */
export function removeRelationshipsTo(
  store: PartStore,
  sourcePart: string,
  targetPart: string
): void {
  const path = relsPathFor(sourcePart);
  let xml = store.text(path);
  if (!xml) return;
  const root = rootElement(xml);
  const kids = childElements(xml, root).reverse();
  for (const e of kids) {
    const a = parseAttrs(startTag(xml, e));
    if (
      a.TargetMode !== "External" &&
      a.Target &&
      resolveTarget(sourcePart, a.Target).toLowerCase() === targetPart.toLowerCase()
    ) {
      xml = xml.slice(0, e.start) + xml.slice(e.end);
    }
  }
  store.setText(path, xml);
}

// ---- content types ----

const CT_PATH = "[Content_Types].xml";

/** Whether a [Content_Types].xml child is the Override of `part` (its PartName is "/" + part, in any case). */
function isOverrideOf(e: XmlElement, a: Record<string, string>, part: string): boolean {
  return e.local === "Override" && (a.PartName ?? "").toLowerCase() === `/${part}`.toLowerCase();
}

/** The text of [Content_Types].xml, which a package must have to be changed. */
function contentTypesXml(store: PartStore): string {
  const xml = store.text(CT_PATH);
  if (xml === undefined) throw new Error("[Content_Types].xml is missing");
  return xml;
}

export function contentTypeOf(store: PartStore, part: string): string | undefined {
  const xml = store.text(CT_PATH);
  if (!xml) return undefined;
  const root = rootElement(xml);
  let byExt: string | undefined;
  const ext = part.slice(part.lastIndexOf(".") + 1).toLowerCase();
  for (const e of childElements(xml, root)) {
    const a = parseAttrs(startTag(xml, e));
    if (isOverrideOf(e, a, part)) return a.ContentType;
    if (e.local === "Default" && (a.Extension ?? "").toLowerCase() === ext) byExt = a.ContentType;
  }
  return byExt;
}

export function addOverride(store: PartStore, part: string, contentType: string): void {
  let xml = contentTypesXml(store);
  const root = rootElement(xml);
  for (const e of childElements(xml, root))
    if (isOverrideOf(e, parseAttrs(startTag(xml, e)), part)) return; // already there
  xml =
    xml.slice(0, root.contentEnd) +
    `<Override PartName="/${escapeAttr(part)}" ContentType="${escapeAttr(contentType)}"/>` +
    xml.slice(root.contentEnd);
  store.setText(CT_PATH, xml);
}

export function removeOverride(store: PartStore, part: string): void {
  const xml = store.text(CT_PATH);
  if (xml === undefined) return;
  const next = removeOverrideFrom(xml, part);
  if (next !== xml) store.setText(CT_PATH, next);
}

function removeOverrideFrom(xml: string, part: string): string {
  const root = rootElement(xml);
  for (const e of childElements(xml, root).reverse()) {
    if (isOverrideOf(e, parseAttrs(startTag(xml, e)), part))
      return xml.slice(0, e.start) + xml.slice(e.end);
  }
  return xml;
}

/** Ensures a Default for an extension exists (e.g. "rels"). */
export function ensureDefault(store: PartStore, ext: string, contentType: string): void {
  let xml = contentTypesXml(store);
  const root = rootElement(xml);
  for (const e of childElements(xml, root)) {
    if (
      e.local === "Default" &&
      (attr(parseAttrs(startTag(xml, e)), "Extension") ?? "").toLowerCase() === ext
    )
      return;
  }
  xml =
    xml.slice(0, root.openEnd) +
    `<Default Extension="${ext}" ContentType="${contentType}"/>` +
    xml.slice(root.openEnd);
  store.setText(CT_PATH, xml);
}
