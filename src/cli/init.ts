/**
 * glpost init <file.xlsx | folder | file.json> (issue 12): a new, empty workbook to paste one's own Business
 * Central data into (the tables of app/init.ts), written by the same adapters a run writes with. It never
 * overwrites: an existing file, or a folder that is not empty, is refused.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { initWrites } from "../app/init";
import { CsvFolderWorkbook } from "../files/csv";
import { JsonWorkbook } from "../files/json";
import type { WorkbookPort } from "../workbook/port";

export type InitFormat = "xlsx" | "json" | "csv";

function initFormat(target: string): InitFormat {
  const ext = path.extname(target).toLowerCase();
  return ext === ".xlsx" ? "xlsx" : ext === ".json" ? "json" : "csv";
}

/** Thrown when the target exists: the caller reports it as wrong usage (nothing is written). */
export class TargetExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetExistsError";
  }
}

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The smallest workbook Excel opens: one empty README sheet (it takes the README table) and a stylesheet. */
function xlsxSkeleton(): { name: string; data: Uint8Array }[] {
  const enc = new TextEncoder();
  const parts: Record<string, string> = {
    "[Content_Types].xml":
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    "_rels/.rels": `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="README" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels":
      `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
    // README's columns: Table, Column, Required, What goes here (wide, wrapped by Excel's column width).
    "xl/worksheets/sheet1.xml":
      `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="A1"/><sheetFormatPr defaultRowHeight="15"/>` +
      `<cols><col min="1" max="1" width="26" customWidth="1"/><col min="2" max="2" width="34" customWidth="1"/><col min="3" max="3" width="44" customWidth="1"/><col min="4" max="4" width="150" customWidth="1"/></cols>` +
      `<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
    "xl/styles.xml":
      `<styleSheet xmlns="${MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
      `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
      `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
      `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
      `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
      `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  };
  return Object.entries(parts).map(([name, xml]) => ({ name, data: enc.encode(DECL + xml) }));
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false
  );
}

/**
 * Writes the new workbook. Returns the path written. A write failure (a folder that cannot be created, a full
 * disk) is thrown as the OS error; an existing target is TargetExistsError.
 */
export async function initWorkbook(target: string): Promise<{ format: InitFormat; path: string }> {
  const format = initFormat(target);
  const writes = initWrites();
  if (format === "xlsx") {
    if (await exists(target))
      throw new TargetExistsError(
        `${target} already exists; glpost init never overwrites a file. Name a new file.`
      );
    // Loaded only here: the xlsx adapter is big.
    /* eslint-disable @typescript-eslint/no-require-imports -- see above */
    const { XlsxBook } = require("../files/xlsx") as typeof import("../files/xlsx");
    const { writeZip } = require("../files/xlsx/zip") as typeof import("../files/xlsx/zip");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const bytes = XlsxBook.fromBytes(writeZip(xlsxSkeleton()), { name: target }).toBytes(writes);
    await fs.mkdir(path.dirname(path.resolve(target)), { recursive: true });
    // 'wx': fails if someone created the file meanwhile.
    await fs.writeFile(target, bytes, { flag: "wx" });
    return { format, path: target };
  }
  let port: WorkbookPort;
  if (format === "json") {
    if (await exists(target))
      throw new TargetExistsError(
        `${target} already exists; glpost init never overwrites a file. Name a new file.`
      );
    await fs.mkdir(path.dirname(path.resolve(target)), { recursive: true });
    await fs.writeFile(target, "{}\n", { flag: "wx" });
    port = await JsonWorkbook.open(target);
  } else {
    const st = await fs.stat(target).catch(() => null);
    if (st !== null && !st.isDirectory())
      throw new TargetExistsError(
        `${target} already exists and is not a folder; glpost init never overwrites a file.`
      );
    if (st !== null && (await fs.readdir(target)).length > 0)
      throw new TargetExistsError(
        `The folder ${target} is not empty; glpost init writes only into a new or empty folder.`
      );
    await fs.mkdir(target, { recursive: true });
    port = await CsvFolderWorkbook.open(target);
  }
  await port.write(writes, null);
  return { format, path: target };
}
