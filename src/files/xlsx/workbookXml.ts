/**
 * Edits of workbook.xml for a write: a new sheet's <sheet> entry and its print titles (a defined name),
 * and calcPr fullCalcOnLoad, each child put where the schema orders it.
 */
import { XlsxWriteError } from "./errors";
import type { PartStore } from "./opc";
import {
  appendChildText,
  childElements,
  escapeAttr,
  escapeText,
  insertAt,
  insertChildInOrder,
  parseAttrs,
  q,
  rootElement,
  setAttr,
  startTag,
} from "./xml";

/** The children of <workbook> in schema order (CT_Workbook). */
const WORKBOOK_ORDER = [
  "fileVersion",
  "fileSharing",
  "workbookPr",
  "workbookProtection",
  "bookViews",
  "sheets",
  "functionGroups",
  "externalReferences",
  "definedNames",
  "calcPr",
  "oleSize",
  "customWorkbookViews",
  "pivotCaches",
  "smartTagPr",
  "smartTagTypes",
  "webPublishing",
  "fileRecoveryPr",
  "webPublishObjects",
  "extLst",
] as const;

/** calcPr fullCalcOnLoad="1": Excel recalculates every formula when it opens the workbook. */
export function setFullCalcOnLoad(store: PartStore, path: string): void {
  const xml = store.text(path);
  if (xml === undefined) return;
  const root = rootElement(xml);
  const calcPr = childElements(xml, root).find((e) => e.local === "calcPr");
  if (calcPr) {
    const tag = startTag(xml, calcPr);
    const next = setAttr(tag, "fullCalcOnLoad", "1");
    if (next !== tag)
      store.setText(path, xml.slice(0, calcPr.start) + next + xml.slice(calcPr.openEnd));
    return;
  }
  store.setText(
    path,
    insertChildInOrder(
      xml,
      root,
      "calcPr",
      `<${q(root.prefix, "calcPr")} fullCalcOnLoad="1"/>`,
      WORKBOOK_ORDER
    )
  );
}

/**
 * `wb` (workbook.xml) with a new sheet registered: the relationships namespace declared on <workbook> when
 * missing, and the sheet's entry added to <sheets>. Gives the new text, the sheet's id and its index.
 */
export function addSheetEntry(
  wb: string,
  name: string,
  rId: string,
  relNs: string
): { xml: string; sheetId: number; sheetIndex: number } {
  let root = rootElement(wb);
  let rootTag = startTag(wb, root);
  let rPrefix = Object.entries(parseAttrs(rootTag))
    .find(([k, v]) => k.startsWith("xmlns:") && v === relNs)?.[0]
    .slice(6);
  if (!rPrefix) {
    rPrefix = "r";
    for (let i = 1; `xmlns:${rPrefix}` in parseAttrs(rootTag); i++) rPrefix = `r${i}`;
    wb =
      wb.slice(0, root.start) +
      setAttr(rootTag, `xmlns:${rPrefix}`, relNs) +
      wb.slice(root.openEnd);
    root = rootElement(wb);
    rootTag = startTag(wb, root);
  }
  const sheetsEl = childElements(wb, root).find((e) => e.local === "sheets");
  if (!sheetsEl) throw new XlsxWriteError("workbook.xml has no <sheets>");
  let maxId = 0;
  const sheetIndex = childElements(wb, sheetsEl).length;
  for (const s of childElements(wb, sheetsEl))
    maxId = Math.max(maxId, parseInt(parseAttrs(startTag(wb, s)).sheetId ?? "0", 10));
  const entry = `<${q(sheetsEl.prefix, "sheet")} name="${escapeAttr(name)}" sheetId="${maxId + 1}" ${rPrefix}:id="${rId}"/>`;
  return { xml: appendChildText(wb, sheetsEl, entry), sheetId: maxId + 1, sheetIndex };
}

/** A new sheet's header row repeats on every printed page (the _xlnm.Print_Titles name of that sheet). */
export function withPrintTitles(wb: string, sheetName: string, localSheetId: number): string {
  const root = rootElement(wb);
  const dn = q(root.prefix, "definedName");
  const entry = `<${dn} name="_xlnm.Print_Titles" localSheetId="${localSheetId}">${escapeText(`'${sheetName.replace(/'/g, "''")}'!$1:$1`)}</${dn}>`;
  const names = childElements(wb, root).find((e) => e.local === "definedNames");
  if (names === undefined)
    return insertChildInOrder(
      wb,
      root,
      "definedNames",
      `<${q(root.prefix, "definedNames")}>${entry}</${q(root.prefix, "definedNames")}>`,
      WORKBOOK_ORDER
    );
  if (names.selfClosing)
    return (
      wb.slice(0, names.start) + `<${names.qname}>${entry}</${names.qname}>` + wb.slice(names.end)
    );
  return insertAt(wb, names.contentEnd, entry);
}
