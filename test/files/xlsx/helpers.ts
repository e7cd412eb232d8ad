/** Test helpers: fixtures built with exceljs (an independent writer/reader), zip and XML checks. */
import { execFileSync } from "child_process";
import * as ExcelJS from "exceljs";
import { strToU8, unzipSync, zipSync } from "fflate";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

export async function excelBytes(
  build: (wb: ExcelJS.Workbook) => void | Promise<void>
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await build(wb);
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

export async function loadExcel(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

export function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

export function partText(bytes: Uint8Array, name: string): string {
  const e = unzip(bytes)[name];
  if (!e) throw new Error(`no part ${name}`);
  return Buffer.from(e).toString("utf8");
}

/** A package from part texts (for hand-written XML fixtures). */
export function zipParts(parts: Record<string, string>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(parts)) files[k] = strToU8(v);
  return zipSync(files);
}

export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A minimal workbook package around the given sheet XMLs (and optional extra parts). */
export function minimalPackage(
  sheets: { name: string; xml: string }[],
  extra: Record<string, string> = {},
  sharedStrings?: string,
  more: { workbookRels?: string; overrides?: string } = {}
): Uint8Array {
  const overrides =
    (more.overrides ?? "") +
    sheets
      .map(
        (_s, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
      )
      .join("");
  const parts: Record<string, string> = {
    "[Content_Types].xml":
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}` +
      (sharedStrings
        ? `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
        : "") +
      `</Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels":
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      sheets
        .map(
          (_s, i) =>
            `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
        )
        .join("") +
      (sharedStrings
        ? `<Relationship Id="rIdSst" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`
        : "") +
      (more.workbookRels ?? "") +
      `</Relationships>`,
    ...extra,
  };
  sheets.forEach((s, i) => (parts[`xl/worksheets/sheet${i + 1}.xml`] = s.xml));
  if (sharedStrings) parts["xl/sharedStrings.xml"] = sharedStrings;
  return zipParts(parts);
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "xlsx-test-"));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const HAVE_XMLLINT = existsSync("/usr/bin/xmllint");

/** Every XML part of the package must be well-formed (xmllint when available, else a tag-balance check). */
export function assertWellFormed(bytes: Uint8Array, only?: string[]): void {
  const entries = unzip(bytes);
  const names = Object.keys(entries).filter(
    (n) => /\.(xml|rels)$/i.test(n) && (!only || only.includes(n))
  );
  if (HAVE_XMLLINT) {
    const dir = tempDir();
    try {
      const files = names.map((n, i) => {
        const f = path.join(dir, `${i}.xml`);
        writeFileSync(f, entries[n]);
        return f;
      });
      try {
        execFileSync("/usr/bin/xmllint", ["--noout", ...files], { stdio: "pipe" });
      } catch (e) {
        const err = e as { stderr?: Buffer };
        throw new Error(`xmllint: ${err.stderr?.toString() ?? e}\nfiles: ${names.join(", ")}`);
      }
    } finally {
      removeDir(dir);
    }
    return;
  }
  for (const n of names) balanced(Buffer.from(entries[n]).toString("utf8"), n);
}

function balanced(xml: string, name: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([\w:.-]+)[^>]*?(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    if (!m[2]) continue;
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`${name}: unbalanced </${m[2]}>`);
    } else stack.push(m[2]);
  }
  if (stack.length) throw new Error(`${name}: unclosed <${stack.pop()}>`);
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

/** The raw XML of each <si> item of a package's shared string part (unprefixed), in order. */
export function sharedStringItems(bytes: Uint8Array, part = "xl/sharedStrings.xml"): string[] {
  const xml = partText(bytes, part);
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => m[1] ?? "");
}

/**
 * A worksheet's XML with every cell that has no r given the reference its place implies (one column after
 * the cell before it, or A): the form readers that need every reference (exceljs's streaming reader) take.
 * Rows are found by `<row r="n"`, as the writers here make them.
 */
export function withImpliedCellRefs(xml: string): string {
  const letters = (n: number): string => {
    let s = "";
    for (let c = n + 1; c > 0; c = Math.floor((c - 1) / 26))
      s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
    return s;
  };
  const colOf = (ref: string): number =>
    [...ref].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return xml.replace(
    /<row r="(\d+)"([^>]*)>([\s\S]*?)<\/row>/g,
    (_m, num: string, attrs: string, cells: string) => {
      let prev = -1;
      const withR = cells.replace(/<c(?=[ />])([^>]*)>/g, (_c, attrs: string) => {
        const ref = / r="([A-Z]+)\d+"/.exec(attrs);
        prev = ref ? colOf(ref[1]) : prev + 1;
        return ref ? `<c${attrs}>` : `<c r="${letters(prev)}${num}"${attrs}>`;
      });
      return `<row r="${num}"${attrs}>${withR}</row>`;
    }
  );
}

/**
 * A worksheet of the package with every shared string cell written as the inline string it refers to
 * (`<c ... t="s"><v>7</v></c>` → `<c ... t="inlineStr"><is>item 7's XML</is></c>`), and every cell without
 * r given the reference its place implies: the form the writer had before it used shared strings, so that
 * a test can compare with that. Indices outside the table throw.
 */
export function inlinedSheet(bytes: Uint8Array, sheetPart: string): string {
  const items = sharedStringItems(bytes);
  return withImpliedCellRefs(partText(bytes, sheetPart)).replace(
    / t="s"><v>(\d+)<\/v><\/c>/g,
    (_m, i: string) => {
      if (+i >= items.length) throw new Error(`shared string ${i} is not in the table`);
      return ` t="inlineStr"><is>${items[+i]}</is></c>`;
    }
  );
}
