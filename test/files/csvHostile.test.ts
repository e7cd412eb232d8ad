/**
 * Hostile CSV input (issue 8, points 4, 5, 6, 16, 17): the reader never guesses. Each case runs glpost in
 * process on a copy of the bike-chain sample with one file changed, and checks the exit code, the input error
 * (table, CSV line, column, value, what to do) and that nothing was written on an input error.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { decodeCsv, encodeCsvField, encodeText, parseCsv } from "../../src/files/csv";
import { CENTS, moneyScale } from "../../src/engine/money";
import { parseInteger, parseMoney, parsePrecisionText } from "../../src/workbook/values";

const SAMPLE = path.join(__dirname, "..", "fixtures", "examples", "bike-chain");
const TABLES = [
  "GL Accounts.csv",
  "General Posting Setup.csv",
  "Inventory Posting Setup.csv",
  "Items.csv",
  "Settings.csv",
  "Value Entries.csv",
];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), "csvhostile-"));
  dirs.push(d);
  return d;
}

type Change = (text: string) => string | Buffer;

/** The sample folder with some files changed (text in, text or bytes out). */
async function sample(changes: Record<string, Change> = {}): Promise<string> {
  const dir = await tempDir();
  for (const f of TABLES) {
    const text = await fs.readFile(path.join(SAMPLE, f), "utf8");
    const change = changes[f];
    await fs.writeFile(path.join(dir, f), change === undefined ? text : change(text));
  }
  return dir;
}

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  for (const f of (await fs.readdir(dir)).sort()) m.set(f, await fs.readFile(path.join(dir, f)));
  return m;
}

interface Run {
  code: number;
  stderr: string;
  errors: { table: string; row?: number; column?: string; value?: string; message: string }[];
}

async function glpost(args: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const io: Io = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), tty: false };
  const code = await main([...args, "--json"], io);
  if (process.env.DBG) console.log(code, err, out);
  let errors: Run["errors"] = [];
  try {
    errors = JSON.parse(out).inputErrors ?? [];
  } catch {
    errors = [];
  }
  return { code, stderr: err, errors };
}

/** Posts per Entry into in-place `dir` (or into --out when given). */
const post = (dir: string, out?: string) =>
  glpost(["post", dir, ...(out ? ["--out", out] : []), "--method", "entry"]);

/** An input error run: exit 1, nothing written (the folder byte-identical). */
async function refused(dir: string): Promise<Run> {
  const before = await snapshot(dir);
  const r = await post(dir);
  expect(r.code).toBe(1);
  expect(await snapshot(dir)).toEqual(before);
  return r;
}

/** Value Entries line `line` (1 = header) with field `col` (0-based) replaced. */
function setField(text: string, line: number, col: number, value: string): string {
  const lines = text.split("\n");
  const f = lines[line - 1].split(",");
  f[col] = value;
  lines[line - 1] = f.join(",");
  return lines.join("\n");
}
const COST_ACTUAL = 16; // "Cost Amount (Actual)"
const DESCRIPTION = 20;
const DOCUMENT_NO = 15;

async function glEntries(dir: string): Promise<string[][]> {
  const p = parseCsv(
    decodeCsv(await fs.readFile(path.join(dir, "G/L Entries.csv".replace("/", "")))).text
  );
  return [p.header, ...p.rows.map((r) => r.map((v) => (v === null ? "" : String(v))))];
}

describe("encoding (point 4)", () => {
  test("invalid UTF-8 that is not Windows-1252 either is an input error naming the file and the line", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        Buffer.concat([
          Buffer.from(t.slice(0, t.indexOf("\n5,"))),
          Buffer.from([0x0a, 0x35, 0x81, 0x2c]),
          Buffer.from(t.slice(t.indexOf("\n5,") + 3)),
        ]),
    });
    const r = await refused(dir);
    const e = r.errors.find((x) => x.table === "Value Entries");
    expect(e).toBeDefined();
    expect(e!.row).toBe(6);
    expect(e!.message).toContain("Value Entries.csv");
    expect(e!.message).toContain("0x81");
    expect(e!.message).toContain("UTF-8");
  });

  test("a Windows-1252 file is read as such and written back in Windows-1252, unchanged fields byte-exact", async () => {
    const text = "für Müller, 5 €";
    const cp = (t: string) => encodeText(t, "windows-1252");
    const dir = await sample({
      "Value Entries.csv": (t) => cp(setField(t, 2, DESCRIPTION, `"${text}"`)),
      // A UTF-8 file beside it (per file): its account name goes into the new G/L Entries file.
      "GL Accounts.csv": (t) =>
        t.replace("Raw Materials (Interim)", "Rohstoffe für Müller (Interim)"),
    });
    const before = await fs.readFile(path.join(dir, "Value Entries.csv"));
    // The bytes really are Windows-1252: ü = 0xFC, € = 0x80 (not valid UTF-8).
    expect(before.includes(Buffer.from([0xfc]))).toBe(true);
    expect(before.includes(Buffer.from([0x80]))).toBe(true);
    const r = await post(dir);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    const after = await fs.readFile(path.join(dir, "Value Entries.csv"));
    // Line 2 (entry 1): only the posted columns changed; the description keeps its bytes.
    const line = (b: Buffer, n: number) =>
      b.subarray(0, b.length).toString("latin1").split("\n")[n - 1];
    expect(line(after, 2)).toContain(`"${Buffer.from(cp(text)).toString("latin1")}"`);
    expect(decodeCsv(after).encoding).toBe("windows-1252");
    // Every line except the posted columns is as before.
    const strip = (l: string) =>
      l
        .split(",")
        .filter((_, i) => i !== 18 && i !== 19)
        .join(",");
    const lb = before.toString("latin1").split("\n");
    const la = after.toString("latin1").split("\n");
    expect(la.map(strip)).toEqual(lb.map(strip));
    // New files of the folder take the Windows-1252 encoding of Value Entries.
    const gl = await fs.readFile(path.join(dir, "GL Entries.csv"));
    expect(decodeCsv(gl).encoding).toBe("windows-1252");
    expect(gl.includes(cp("Rohstoffe für Müller (Interim)"))).toBe(true);
    // The UTF-8 file that was only read is untouched.
    expect(await fs.readFile(path.join(dir, "GL Accounts.csv"), "utf8")).toContain(
      "Rohstoffe für Müller (Interim)"
    );
  });

  test("text a Windows-1252 file cannot hold stops the run before any write (exit 3), naming file and character", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        encodeText(setField(t, 2, DESCRIPTION, "für Müller"), "windows-1252"),
      "GL Accounts.csv": (t) => t.replace("Raw Materials (Interim)", "Surowce Łódź (Interim)"),
    });
    const before = await snapshot(dir);
    const r = await post(dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'GL Entries.csv is a Windows-1252 file and cannot hold the character "Ł"'
    );
    expect(r.stderr).toContain("Nothing was written");
    expect(await snapshot(dir)).toEqual(before);
  });

  test("detection is per file and by bytes alone", () => {
    expect(decodeCsv(Buffer.from("a\nü\n", "utf8"))).toEqual({ text: "a\nü\n", encoding: "utf-8" });
    expect(decodeCsv(Buffer.from([0x61, 0x0a, 0xfc, 0x80, 0x0a]))).toEqual({
      text: "a\nü€\n",
      encoding: "windows-1252",
    });
    for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const d = decodeCsv(Buffer.from([0x61, 0x0a, 0x0a, 0xfc, b]));
      expect(d.problem?.line).toBe(3);
    }
    // UTF-16 with a BOM reads as UTF-16 and encodes back to the same bytes.
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a;b\r\n1;ü\r\n", "utf16le")]);
    const d = decodeCsv(le);
    expect(d).toEqual({ text: "\ufeffa;b\r\n1;ü\r\n", encoding: "utf-16le" });
    expect(encodeText(d.text, d.encoding).equals(le)).toBe(true);
    const be = Buffer.from(le).swap16();
    expect(decodeCsv(be).text).toBe("\ufeffa;b\r\n1;ü\r\n");
    // UTF-16 without a BOM holds NUL bytes: refused, not read as garbage.
    expect(decodeCsv(Buffer.from("a,b\n", "utf16le")).problem?.message).toContain("NUL");
  });

  test("a UTF-16 file (with BOM) is posted and written back as UTF-16", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")]),
    });
    const r = await post(dir);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    const after = await fs.readFile(path.join(dir, "Value Entries.csv"));
    expect([after[0], after[1]]).toEqual([0xff, 0xfe]);
    expect(decodeCsv(after).text).toContain(
      "2,2026-01-08,LINK,Purchase,Direct Cost,,No,BLUE,RAW MAT,DOMESTIC,RAW MAT,Vendor,10000,,,PI-1001,165,-150,165.00,"
    );
  });
});

describe("ragged records (point 5)", () => {
  test("an unquoted 1,165.00 (22 fields for 21 columns) is an input error naming line and column", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) => setField(t, 3, COST_ACTUAL, "1,165.00"),
    });
    const r = await refused(dir);
    const e = r.errors.find((x) => x.table === "Value Entries" && x.row === 3)!;
    expect(e.message).toContain("22 fields but the header has 21 columns");
    expect(e.message).toContain('"1,165.00"');
    expect(e.column).toBe("Cost Amount (Actual)");
    expect(e.value).toContain("2,2026-01-08,LINK");
  });

  test("a stray opening quote that would swallow the rest of the file is an input error", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) => setField(t, 5, DESCRIPTION, '"Purchase variance 150 - 165 - 3'),
    });
    const r = await refused(dir);
    const e = r.errors.find((x) => x.table === "Value Entries" && x.row === 5)!;
    expect(e.column).toBe("Description");
    expect(e.message).toContain("never closed");
  });

  test("a quote pairing that leaves text after a closing quote is an input error", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) => setField(t, 5, DESCRIPTION, '"Purchase "variance"'),
    });
    const r = await refused(dir);
    expect(r.errors.find((x) => x.row === 5)!.message).toContain("closing quote");
  });

  test("a file cut off mid-record is an input error (fewer fields, or inside a quoted field)", async () => {
    const cut = (t: string) => t.slice(0, t.indexOf("\n14,") + 30); // "14,2026-01-25,CHAIN,Output,Re" without a line end
    const r1 = await refused(await sample({ "Value Entries.csv": cut }));
    const e1 = r1.errors.find((x) => x.row === 15)!;
    expect(e1.message).toContain("cut off");
    expect(e1.column).toBe("Entry Type");
    expect(e1.value).toBe("14,2026-01-25,CHAIN,Output,Re");
    const r2 = await refused(
      await sample({
        "Value Entries.csv": (t) =>
          setField(t, 15, DESCRIPTION, '"Revalue chain from 150').replace(/\n$/, ""),
      })
    );
    expect(r2.errors.find((x) => x.row === 15)!.message).toContain("never closed");
  });

  test("a blank line is a blank row; a record of only empty fields is too", async () => {
    const dir = await sample({ "Value Entries.csv": (t) => t.replace("\n5,", "\n\n,,\n5,") });
    const r = await post(dir);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe("parseCsv problems and number style", () => {
  test("records that cannot be read for sure are problems with line, column and value", () => {
    const p = parseCsv('a,b,c\n1,"open,3\n4,5,6\n');
    expect(p.problems).toEqual([
      expect.objectContaining({ line: 2, rowIndex: 0, column: "b", value: '"open,3\n4,5,6\n' }),
    ]);
    expect(parseCsv('a,b\n"x"y,1\n').problems![0]).toMatchObject({
      line: 2,
      column: "a",
      value: '"x"y',
    });
    expect(parseCsv("a,b\n1,2,3\n").problems![0]).toMatchObject({ line: 2, value: "1,2,3" });
    // Fine: blanks after a closing quote, a stray quote inside an unquoted field, blank and empty records.
    expect(parseCsv('a,b\n"x" ,5" pipe\n\n,\n').problems).toEqual([]);
  });

  test("the style is decided from number columns only, by the values that read one way, majority first", () => {
    expect(parseCsv("Note;Amount\n2,5 mm;1.500\n").numberStyle).toEqual({ decimal: null });
    expect(parseCsv("Date;Amount\n31.01.2026;1.500\n").numberStyle).toEqual({ decimal: null });
    expect(parseCsv("No;Amount\n1;1.500\n2;-3,25\n").numberStyle).toEqual({
      decimal: ",",
      decidedBy: '"-3,25" in line 3, column "Amount"',
    });
    expect(parseCsv('A,B\n1.25,"1,5"\n2.50,3\n').numberStyle).toMatchObject({ decimal: "." });
    // The style is the file's: new amounts are written in it (CsvStyle.decimalComma).
    expect(parseCsv('A,B\n"1,25",1\n').style.decimalComma).toBe(true);
  });
});

describe("number style per file (point 6)", () => {
  /** The sample as a decimal-comma semicolon file: amounts "165,00"; one amount "1.500" (1500 in that style). */
  const commaFile = (t: string) =>
    t
      .split("\n")
      .map((l, i) => {
        if (l === "") return l;
        const f = l.split(",");
        if (i > 0) for (const c of [16, 17]) f[c] = f[c] === "0" ? "0" : `${f[c]},00`;
        return f.join(";");
      })
      .join("\n");

  test("1.500 in a decimal-comma file is 1500, and amounts are written back with a decimal comma", async () => {
    // Entry 14 (revaluation, -10) becomes -1.500: 1500 in this file's style.
    const dir = await sample({
      "Value Entries.csv": (t) => commaFile(t).replace(";REVAL-01;-10,00;", ";REVAL-01;-1.500;"),
    });
    const r = await post(dir);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    const ve = parseCsv(await fs.readFile(path.join(dir, "Value Entries.csv"), "utf8"));
    const last = ve.rows[ve.rows.length - 1];
    expect(last[16]).toBe("-1.500"); // untouched
    expect(last[18]).toBe("-1500,00"); // Cost Posted to G/L, in the file's style
    const gl = await glEntries(dir);
    const amount = gl[0].indexOf("Amount");
    const amounts = gl.slice(1).map((r) => r[amount]);
    expect(amounts).toContain("-1500,00");
    expect(amounts).toContain("1500,00");
  });

  test("a file whose only amounts are 1.500 (and integers) is an input error saying how to write it", async () => {
    const dir = await sample({ "Value Entries.csv": (t) => setField(t, 3, COST_ACTUAL, "1.500") });
    const r = await refused(dir);
    const e = r.errors.find((x) => x.table === "Value Entries" && x.row === 3)!;
    expect(e.column).toBe("Cost Amount (Actual)");
    expect(e.value).toBe("1.500");
    expect(e.message).toContain("1.5 or as 1500");
    expect(e.message).toContain("without a thousands separator");
  });

  test("one decimal point among decimal commas does not flip the file: it is an input error", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) => commaFile(t).replace(";REVAL-01;-10,00;", ";REVAL-01;-10.00;"),
    });
    const r = await refused(dir);
    const e = r.errors.find((x) => x.row === 15)!;
    expect(e.value).toBe("-10.00");
    expect(e.message).toContain("decimal comma");
    expect(e.message).toContain("-10,00");
  });

  test("0,01 as Amount Rounding Precision in a decimal-comma Settings file is accepted", async () => {
    const dir = await sample({
      "Settings.csv": (t) => t.replace(/,/g, ";").replace("Precision;0.01", "Precision;0,01"),
      "Value Entries.csv": commaFile,
    });
    const r = await post(dir);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
  });

  test("(-18) is an input error, not +18; (18) is -18", async () => {
    const r = await refused(
      await sample({ "Value Entries.csv": (t) => setField(t, 5, COST_ACTUAL, "(-18)") })
    );
    const e = r.errors.find((x) => x.row === 5)!;
    expect(e.value).toBe("(-18)");
    expect(e.message).toContain("not a number");
    const ok = await post(
      await sample({ "Value Entries.csv": (t) => setField(t, 5, COST_ACTUAL, "(18)") })
    );
    expect(ok.code).toBe(0);
  });

  test("parseMoney and parseInteger under a decided or undecided style", () => {
    const comma = { decimal: "," as const };
    const point = { decimal: "." as const };
    const none = { decimal: null };
    expect(parseMoney("1.234,50", CENTS, comma)).toEqual({ ok: true, value: 123450 });
    expect(parseMoney("1.234,50", CENTS, none)).toEqual({ ok: true, value: 123450 });
    expect(parseMoney("1.500", CENTS, comma)).toEqual({ ok: true, value: 150000 });
    expect(parseMoney("1.500", CENTS, point)).toEqual({ ok: true, value: 150 });
    expect(parseMoney("1,500", CENTS, point)).toEqual({ ok: true, value: 150000 });
    expect(parseMoney("1,500", CENTS, none).ok).toBe(false);
    expect(parseMoney("1.500", CENTS, none).ok).toBe(false);
    expect(parseMoney("-165,00", CENTS, none)).toEqual({ ok: true, value: -16500 });
    expect(parseMoney("(1.234,50)", CENTS, comma)).toEqual({ ok: true, value: -123450 });
    expect(parseMoney("165.00", CENTS, comma).ok).toBe(false);
    expect(parseMoney("1,234.50", CENTS, comma).ok).toBe(false);
    expect(parseMoney("165,00", CENTS, point).ok).toBe(false);
    expect(parseMoney("0.500", CENTS, none)).toEqual({ ok: true, value: 50 });
    expect(parseMoney("(-18)", CENTS)).toMatchObject({ ok: false, kind: "not a number" });
    expect(parseInteger("1.000", comma)).toEqual({ ok: true, value: 1000 });
    expect(parseInteger("1.000", none).ok).toBe(false);
    expect(parseInteger("1000", none)).toEqual({ ok: true, value: 1000 });
    const p = parsePrecisionText("0,01", none);
    expect(p).toEqual({ ok: true, value: "0.01" });
    expect(moneyScale("0.01")).not.toBeNull();
  });
});

describe("formula injection (point 16)", () => {
  test("text written by the CLI that starts with = + - @ is escaped; negative amounts stay numbers; input fields untouched", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        setField(setField(t, 3, DOCUMENT_NO, "=1+2"), 5, DOCUMENT_NO, "@SUM(A1)"),
    });
    const r = await post(dir);
    expect(r.code).toBe(0);
    const gl = await fs.readFile(path.join(dir, "GL Entries.csv"), "utf8");
    expect(gl).toContain(`,"'=1+2",`);
    expect(gl).toContain(`,"'@SUM(A1)",`);
    expect(gl).not.toMatch(/,=1\+2,/);
    // The negative amounts of the variance entry stay plain numbers.
    expect(gl).toMatch(/,-18\.00,/);
    expect(gl).not.toContain(`'-18`);
    // Value Entries keeps its own field as it was.
    expect(await fs.readFile(path.join(dir, "Value Entries.csv"), "utf8")).toContain(
      ",,,=1+2,165,"
    );
  });

  test("Skipped Entries: Source No. and posting group text escaped, the skipped amount stays a number", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        t.replace(
          "4,2026-01-08,LINK,Purchase,Variance,Purchase,No,BLUE,RAW MAT,DOMESTIC,RAW MAT,Vendor,10000,",
          "4,2026-01-08,LINK,Purchase,Variance,Purchase,No,BLUE,RAW MAT,DOMESTIC,-BAD,Vendor,@SRC,"
        ),
    });
    const r = await post(dir);
    expect(r.code).toBe(0);
    const skipped = parseCsv(await fs.readFile(path.join(dir, "Skipped Entries.csv"), "utf8"));
    const row = skipped.rows[0];
    const at = (name: string) => row[skipped.header.indexOf(name)];
    expect(at("Source No.")).toBe("'@SRC");
    expect(at("Gen. Prod. Posting Group")).toBe("'-BAD");
    expect(at("Cost Amount")).toBe("-18.00");
    expect(await fs.readFile(path.join(dir, "Skipped Entries.csv"), "utf8")).toContain(`,"'@SRC",`);
  });

  test("encodeCsvField escapes only text columns", () => {
    for (const t of ["=A1", "+1", "-x", "@x", "\tx", "\rx"])
      expect(encodeCsvField(t, ",", true)).toBe(`"'${t}"`);
    expect(encodeCsvField("=A1", ",")).toBe("=A1");
    expect(encodeCsvField("-18.00", ",")).toBe("-18.00");
    expect(encodeCsvField('a"b', ",", true)).toBe('"a""b"');
  });
});

describe("duplicate columns (point 17)", () => {
  test("two columns that are loosely the same name are an input error naming both", async () => {
    const dir = await sample({
      "Value Entries.csv": (t) =>
        t
          .split("\n")
          .map((l, i) => (l === "" ? l : l + (i === 0 ? ",Cost_Amount_(Actual)" : ",999")))
          .join("\n"),
    });
    const r = await refused(dir);
    const e = r.errors.find(
      (x) => x.table === "Value Entries" && x.message.includes("Cost_Amount_(Actual)")
    )!;
    expect(e.message).toContain('"Cost Amount (Actual)"');
  });
});
