/**
 * The workbook's structure as found in the package: sheets (workbook.xml + its rels), Excel tables
 * (each sheet's rels → table parts), and where shared strings, styles and the calc chain live.
 */
import { XlsxFormatError } from "./errors";
import { PartStore, contentTypeOf, parseRels, relKind, relsPathFor, resolveTarget } from "./opc";
import { TablePartInfo, parseTablePart } from "./tablePart";
import { attr, childElements, parseAttrs, rootElement, startTag } from "./xml";

export interface SheetInfo {
  name: string;
  sheetId: number;
  /** Relationship id in workbook.xml.rels. */
  rId: string;
  /** Zip path of the worksheet part. */
  path: string;
}

export interface TableInfo extends TablePartInfo {
  /** Zip path of the table part. */
  path: string;
  sheet: SheetInfo;
  /** Zip path of its queryTable part (tables filled by a query). */
  queryTablePath?: string;
}

export interface WorkbookModel {
  workbookPath: string;
  /** Worksheets in workbook order (chart sheets and dialog sheets are not listed). */
  sheets: SheetInfo[];
  tables: TableInfo[];
  /** Names of every sheet of any kind (new sheet names must differ from all of them). */
  allSheetNames: string[];
  /** Defined names (they share a namespace with table names). */
  definedNames: string[];
  date1904: boolean;
  sharedStringsPath?: string;
  stylesPath?: string;
  calcChainPath?: string;
  /** The relationship type prefix in use (Transitional or Strict), e.g. "http://.../relationships/". */
  relTypeBase: string;
  /** The SpreadsheetML main namespace in use. */
  mainNs: string;
  /** The workbook part's content type ([Content_Types].xml): says .xlsx, .xlsm, ... (extension.ts). */
  workbookContentType?: string;
}

export function loadModel(store: PartStore, file: string): WorkbookModel {
  if (!store.has("[Content_Types].xml"))
    throw new XlsxFormatError(file, "it is a zip file but has no [Content_Types].xml");
  const rootRels = parseRels(store.text("_rels/.rels"));
  const officeDoc = rootRels.find((r) => relKind(r.type) === "officeDocument" && !r.external);
  const workbookPath = officeDoc ? resolveTarget("", officeDoc.target) : "xl/workbook.xml";
  const wbXml = store.text(workbookPath);
  if (wbXml === undefined)
    throw new XlsxFormatError(file, `it is a zip file but has no workbook part (${workbookPath})`);

  try {
    const wbRoot = rootElement(wbXml);
    if (wbRoot.local !== "workbook")
      throw new XlsxFormatError(file, `${workbookPath} is not a SpreadsheetML workbook`);
    const mainNs =
      parseAttrs(startTag(wbXml, wbRoot))[wbRoot.prefix ? `xmlns:${wbRoot.prefix}` : "xmlns"] ??
      "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const wbRels = parseRels(store.text(relsPathFor(workbookPath)));
    const relById = new Map(wbRels.map((r) => [r.id, r]));
    const target = (kind: string) => {
      const r = wbRels.find((x) => relKind(x.type) === kind && !x.external);
      return r ? resolveTarget(workbookPath, r.target) : undefined;
    };

    const sheets: SheetInfo[] = [];
    const allSheetNames: string[] = [];
    const definedNames: string[] = [];
    let date1904 = false;
    for (const el of childElements(wbXml, wbRoot)) {
      if (el.local === "workbookPr") {
        const v = parseAttrs(startTag(wbXml, el)).date1904;
        date1904 = v === "1" || v === "true";
      } else if (el.local === "sheets") {
        for (const s of childElements(wbXml, el)) {
          if (s.local !== "sheet") continue;
          const a = parseAttrs(startTag(wbXml, s));
          const name = a.name ?? "";
          allSheetNames.push(name);
          const rId = attr(a, "id", true) ?? "";
          const rel = relById.get(rId);
          if (!rel || relKind(rel.type) !== "worksheet") continue;
          sheets.push({
            name,
            sheetId: parseInt(a.sheetId ?? "0", 10),
            rId,
            path: store.actualName(resolveTarget(workbookPath, rel.target)),
          });
        }
      } else if (el.local === "definedNames") {
        for (const d of childElements(wbXml, el)) {
          const n = parseAttrs(startTag(wbXml, d)).name;
          if (n) definedNames.push(n);
        }
      }
    }

    const tables: TableInfo[] = [];
    for (const sheet of sheets) {
      for (const rel of parseRels(store.text(relsPathFor(sheet.path)))) {
        if (relKind(rel.type) !== "table" || rel.external) continue;
        const path = store.actualName(resolveTarget(sheet.path, rel.target));
        const xml = store.text(path);
        if (xml === undefined) continue;
        const qt = parseRels(store.text(relsPathFor(path))).find(
          (r) => relKind(r.type) === "queryTable" && !r.external
        );
        const queryTablePath = qt ? store.actualName(resolveTarget(path, qt.target)) : undefined;
        tables.push({ ...parseTablePart(xml), path, sheet, queryTablePath });
      }
    }

    const wsRel = wbRels.find((r) => relKind(r.type) === "worksheet");
    const relTypeBase = wsRel
      ? wsRel.type.slice(0, wsRel.type.length - "worksheet".length)
      : "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    const existing = (p: string | undefined) =>
      p && store.has(p) ? store.actualName(p) : undefined;
    return {
      workbookPath: store.actualName(workbookPath),
      sheets,
      tables,
      allSheetNames,
      definedNames,
      date1904,
      sharedStringsPath: existing(target("sharedStrings")),
      stylesPath: existing(target("styles")),
      calcChainPath: existing(target("calcChain")),
      relTypeBase,
      mainNs,
      workbookContentType: contentTypeOf(store, store.actualName(workbookPath)),
    };
  } catch (e) {
    if (e instanceof XlsxFormatError) throw e;
    throw new XlsxFormatError(
      file,
      `its workbook structure cannot be read (${(e as Error).message})`
    );
  }
}
