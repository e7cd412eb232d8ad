/**
 * The worked examples of ../shared/spec/examples in each workbook format (a CSV folder, a .json file, an
 * .xlsx file), and an independent reader for the tables a run writes (exceljs for .xlsx, a plain CSV parser,
 * JSON.parse), so acceptance tests do not check the adapters with the adapters.
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSample } from "../../scripts/build-sample";

export const EXAMPLES = path.join(__dirname, "..", "fixtures", "examples");
export type Format = "csv" | "json" | "xlsx";
export const FORMATS: Format[] = ["csv", "json", "xlsx"];
export type Row = Record<string, string>;

export function parseCsv(text: string): string[][] {
  text = text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === "," || c === ";") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c !== ""));
}

export function csvRecords(file: string): Row[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

export function tempDir(prefix = "glpost-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const NUMERIC =
  /^(Entry No\.|Cost Amount|Cost Posted|Expected Cost Posted|Standard Cost|Overhead Rate)/;

/** The example folder in the given format, in a fresh temp folder; returns the input path. */
export async function exampleIn(
  example: string,
  format: Format,
  edit?: (table: string, rows: Row[]) => Row[]
): Promise<string> {
  const src = path.join(EXAMPLES, example);
  const dir = tempDir();
  const csvDir = path.join(dir, `${example}-csv`);
  fs.mkdirSync(csvDir);
  for (const f of fs
    .readdirSync(src)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))) {
    const table = f.slice(0, -4);
    let rows = csvRecords(path.join(src, f));
    const header = Object.keys(rows[0] ?? {});
    if (edit) rows = edit(table, rows);
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    fs.writeFileSync(
      path.join(csvDir, f),
      [header.join(","), ...rows.map((r) => header.map((h) => quote(r[h] ?? "")).join(","))].join(
        "\n"
      ) + "\n"
    );
  }
  if (format === "csv") return csvDir;
  if (format === "json") {
    const obj: Record<string, unknown[]> = {};
    for (const f of fs.readdirSync(csvDir)) {
      obj[f.slice(0, -4)] = csvRecords(path.join(csvDir, f)).map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            NUMERIC.test(k) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
          ])
        )
      );
    }
    const file = path.join(dir, `${example}.json`);
    fs.writeFileSync(file, JSON.stringify(obj, null, 2));
    return file;
  }
  const file = path.join(dir, `${example}.xlsx`);
  await buildSample(csvDir, file, false);
  return file;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object" && "result" in v)
    return cellText((v as { result: ExcelJS.CellValue }).result);
  if (typeof v === "object" && "richText" in v)
    return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
  if (typeof v === "number") return String(v);
  return String(v);
}

/** A sheet or file name as the tests match it: case and punctuation aside ("G/L Entries" = "GL Entries"). */
export const loose = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** A table written by a run, as records of text (numbers as JS number text, dates ISO). [] when missing. */
export async function readTable(input: string, format: Format, table: string): Promise<Row[]> {
  if (format === "csv") {
    const f = fs
      .readdirSync(input)
      .find((x) => x.endsWith(".csv") && loose(x.slice(0, -4)) === loose(table));
    return f ? csvRecords(path.join(input, f)) : [];
  }
  if (format === "json") {
    const obj = JSON.parse(fs.readFileSync(input, "utf8")) as Record<
      string,
      Record<string, unknown>[]
    >;
    const key = Object.keys(obj).find((k) => loose(k) === loose(table));
    return key
      ? obj[key].map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [
              k,
              v === null || v === undefined
                ? ""
                : typeof v === "boolean"
                  ? v
                    ? "Yes"
                    : "No"
                  : String(v),
            ])
          )
        )
      : [];
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  const ws = wb.worksheets.find(
    (w) =>
      loose(w.name) === loose(table) ||
      Object.keys((w as unknown as { tables: Record<string, unknown> }).tables ?? {}).some(
        (t) => loose(t) === loose(table)
      )
  );
  if (!ws) return [];
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (c, col) => (header[col - 1] = cellText(c.value)));
  const out: Row[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const rec: Row = {};
    let any = false;
    header.forEach((h, i) => {
      const t = cellText(row.getCell(i + 1).value);
      if (t !== "") any = true;
      rec[h] = t;
    });
    if (any) out.push(rec);
  }
  return out;
}

/** Amount text of any format as cents (exact: parsed from decimal text). */
export function cents(text: string): number {
  const m = /^(-)?(\d*)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${text}`);
  const frac = (m[3] ?? "").padEnd(2, "0");
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2)))
    throw new Error(`more than 2 decimals: ${text}`);
  const v = Number(m[2] || "0") * 100 + Number(frac.slice(0, 2));
  return m[1] ? -v : v;
}
