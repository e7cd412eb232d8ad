/** Excel table parts (xl/tables/tableN.xml): what we read from them and the edits a write makes. */
import { RangeRef, formatRange, parseRange } from "./cellRef";
import {
  XML_DECLARATION,
  appendChildText,
  attr,
  childElements,
  escapeAttr,
  parseAttrs,
  rootElement,
  setAttr,
  startTag,
  q,
} from "./xml";

export interface TableColumnInfo {
  id: number;
  name: string;
}

export interface TablePartInfo {
  id: number;
  /** "queryTable" for a table filled by a query (Power Query, OData), else "worksheet". */
  tableType: string;
  name: string;
  /** The name Excel shows and formulas use. */
  displayName: string;
  ref: RangeRef;
  headerRowCount: number;
  totalsRowCount: number;
  columns: TableColumnInfo[];
}

export function parseTablePart(xml: string): TablePartInfo {
  const root = rootElement(xml);
  const a = parseAttrs(startTag(xml, root));
  const ref = parseRange(a.ref ?? "");
  if (!ref) throw new Error(`table ${a.name ?? ""} has no valid ref`);
  const cols = childElements(xml, root).find((e) => e.local === "tableColumns");
  const columns: TableColumnInfo[] = cols
    ? childElements(xml, cols)
        .filter((e) => e.local === "tableColumn")
        .map((e) => {
          const ca = parseAttrs(startTag(xml, e));
          return { id: parseInt(ca.id ?? "0", 10), name: decodeColumnName(ca.name ?? "") };
        })
    : [];
  return {
    id: parseInt(a.id ?? "0", 10),
    tableType: a.tableType ?? "worksheet",
    name: a.name ?? a.displayName ?? "",
    displayName: a.displayName ?? a.name ?? "",
    ref,
    headerRowCount: a.headerRowCount === undefined ? 1 : parseInt(a.headerRowCount, 10),
    // totalsRowShown only says a totals row was once shown; totalsRowCount says it is there now.
    totalsRowCount: a.totalsRowCount === undefined ? 0 : parseInt(a.totalsRowCount, 10),
    columns,
  };
}

/** Column names carry line breaks as _x000a_ (ST_Xstring). */
function decodeColumnName(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Sets the table's range: the ref, the autoFilter (header and data rows, not the totals row) and any
 * sort ranges (data rows only), keeping their columns.
 */
export function setTableRange(xml: string, info: TablePartInfo, ref: RangeRef): string {
  const root = rootElement(xml);
  let out =
    xml.slice(0, root.start) +
    setAttr(startTag(xml, root), "ref", formatRange(ref)) +
    xml.slice(root.openEnd);
  const dataFirst = ref.r0 + info.headerRowCount;
  const dataLast = ref.r1 - info.totalsRowCount;
  const filterRef: RangeRef = { c0: ref.c0, r0: ref.r0, c1: ref.c1, r1: dataLast };
  out = out.replace(
    /<((?:[\w.-]+:)?)(autoFilter|sortState|sortCondition)\b[^>]*>/g,
    (tag: string, _p: string, local: string) => {
      if (local === "autoFilter") return setAttr(tag, "ref", formatRange(filterRef));
      const r = parseRange(parseAttrs(tag).ref ?? "");
      if (!r) return tag;
      return setAttr(
        tag,
        "ref",
        formatRange({ c0: r.c0, c1: r.c1, r0: dataFirst, r1: Math.max(dataFirst, dataLast) })
      );
    }
  );
  return out;
}

/** Appends a tableColumn (new unique id, returned) and updates the count. */
export function addTableColumn(
  xml: string,
  name: string,
  extraAttrs = ""
): { xml: string; id: number } {
  const root = rootElement(xml);
  const cols = childElements(xml, root).find((e) => e.local === "tableColumns");
  if (!cols) throw new Error("table part has no tableColumns");
  const existing = childElements(xml, cols).filter((e) => e.local === "tableColumn");
  let maxId = 0;
  for (const e of existing)
    maxId = Math.max(maxId, parseInt(attr(parseAttrs(startTag(xml, e)), "id") ?? "0", 10));
  const id = maxId + 1;
  const added = `<${q(cols.prefix, "tableColumn")} id="${id}" name="${escapeAttr(encodeColumnName(name))}"${extraAttrs}/>`;
  const tag = setAttr(startTag(xml, cols), "count", String(existing.length + 1));
  return { xml: appendChildText(xml, cols, added, tag), id };
}

/**
 * A table filled by a query (tableType="queryTable") lists its columns again in its queryTable part;
 * a column we add is one the query does not fill: an unbound field, as Excel records a typed-in column.
 * Returns the new field id (for the tableColumn's queryTableFieldId).
 */
export function addUnboundQueryField(
  xml: string,
  tableColumnId: number
): { xml: string; fieldId: number } {
  const root = rootElement(xml);
  const refresh = childElements(xml, root).find((e) => e.local === "queryTableRefresh");
  if (!refresh) throw new Error("queryTable has no queryTableRefresh");
  const fields = childElements(xml, refresh).find((e) => e.local === "queryTableFields");
  if (!fields) throw new Error("queryTable has no queryTableFields");
  const existing = childElements(xml, fields).filter((e) => e.local === "queryTableField");
  const refreshAttrs = parseAttrs(startTag(xml, refresh));
  let fieldId = parseInt(refreshAttrs.nextId ?? "1", 10);
  for (const e of existing)
    fieldId = Math.max(fieldId, parseInt(parseAttrs(startTag(xml, e)).id ?? "0", 10) + 1);
  const field = `<${q(fields.prefix, "queryTableField")} id="${fieldId}" dataBound="0" tableColumnId="${tableColumnId}"/>`;
  const fieldsTag = setAttr(startTag(xml, fields), "count", String(existing.length + 1));
  let refreshTag = setAttr(startTag(xml, refresh), "nextId", String(fieldId + 1));
  refreshTag = setAttr(
    refreshTag,
    "unboundColumnsRight",
    String(parseInt(refreshAttrs.unboundColumnsRight ?? "0", 10) + 1)
  );
  const fieldsXml = fields.selfClosing
    ? fieldsTag.replace(/\s*\/>$/, ">") + field + `</${fields.qname}>`
    : fieldsTag +
      xml.slice(fields.openEnd, fields.contentEnd) +
      field +
      xml.slice(fields.contentEnd, fields.end);
  const out =
    xml.slice(0, refresh.start) +
    refreshTag +
    xml.slice(refresh.openEnd, fields.start) +
    fieldsXml +
    xml.slice(fields.end);
  return { xml: out, fieldId };
}

function encodeColumnName(s: string): string {
  return s.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, "_x005F_").replace(/\r?\n/g, "_x000a_");
}

/** A new table part: header row (headerRowCount spelled out: some readers ignore the default), autofilter, banded TableStyleMedium2. */
export function newTablePart(
  mainNs: string,
  id: number,
  name: string,
  ref: RangeRef,
  columns: string[]
): string {
  const r = formatRange(ref);
  const cols = columns
    .map((c, i) => `<tableColumn id="${i + 1}" name="${escapeAttr(encodeColumnName(c))}"/>`)
    .join("");
  return (
    XML_DECLARATION +
    `<table xmlns="${mainNs}" id="${id}" name="${escapeAttr(name)}" displayName="${escapeAttr(name)}" ref="${r}" headerRowCount="1" totalsRowShown="0">` +
    `<autoFilter ref="${r}"/>` +
    `<tableColumns count="${columns.length}">${cols}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>` +
    `</table>`
  );
}
