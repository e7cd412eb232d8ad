/**
 * Issue 7, "Never a silent mis-posting": a Value Entries table without a column whose absence changes what
 * posts is refused (exit 1, nothing written), naming the column and why it matters. The case from the issue:
 * BC's Value Entries page hides Location Code, Expected Cost Posted to G/L and Variance Type; such an export
 * holding an already-posted receipt would post that expected cost again and send cost to the blank location.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSample } from "../../scripts/build-sample";
import { main, type Io } from "../../src/cli/main";
import { csvRecords, EXAMPLES, readTable, tempDir, type Row } from "./formats";

async function glpost(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    tty: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The bike-chain example as a CSV folder, with Value Entries edited and some of its columns left out. */
function bikeChain(drop: string[], edit: (r: Row) => Row = (r) => r): string {
  const src = path.join(EXAMPLES, "bike-chain");
  const dir = path.join(tempDir("glpost-required-"), "book");
  fs.mkdirSync(dir);
  for (const f of fs
    .readdirSync(src)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))) {
    const rows = csvRecords(path.join(src, f));
    const isVe = f === "Value Entries.csv";
    const header = Object.keys(rows[0]).filter((h) => !(isVe && drop.includes(h)));
    const out = isVe ? rows.map(edit) : rows;
    const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    fs.writeFileSync(
      path.join(dir, f),
      [header.join(","), ...out.map((r) => header.map((h) => q(r[h] ?? "")).join(","))].join("\n") +
        "\n"
    );
  }
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "latin1")])
  );
}

// Entry 1 is the receipt: 150 expected cost, already posted to the interim accounts by an earlier run.
const postedReceipt = (r: Row): Row =>
  r["Entry No."] === "1" ? { ...r, "Expected Cost Posted to G/L": "150" } : r;

describe("a Value Entries export without the columns that decide what posts is refused", () => {
  test.each(["csv", "xlsx"] as const)(
    "%s: no Location Code, Expected Cost Posted to G/L or Variance Type",
    async (format) => {
      const folder = bikeChain(
        ["Location Code", "Expected Cost Posted to G/L", "Variance Type"],
        postedReceipt
      );
      let input = folder;
      if (format === "xlsx") {
        input = path.join(path.dirname(folder), "book.xlsx");
        await buildSample(folder, input, false);
      }
      const before =
        format === "csv" ? snapshot(input) : { file: fs.readFileSync(input, "latin1") };
      const r = await glpost("post", input, "--document-no", "INVT-1", "--json");
      expect(r.code).toBe(1);
      const errors = (
        JSON.parse(r.stdout) as {
          inputErrors: { table: string; column?: string; message: string }[];
        }
      ).inputErrors;
      const byColumn = new Map(errors.map((e) => [e.column, e]));
      // Each one named, with why it matters (the schema's reason).
      expect(byColumn.get("Location Code")?.message).toContain(
        "every entry would post to the blank-location setup row"
      );
      expect(byColumn.get("Expected Cost Posted to G/L")?.message).toContain(
        "expected cost already posted would post again"
      );
      expect(byColumn.get("Variance Type")?.message).toContain("Variance entry");
      expect(errors.every((e) => e.table === "Value Entries")).toBe(true);
      expect(errors).toHaveLength(3);
      expect(r.stderr).toContain("nothing was posted or written");
      // Nothing written.
      expect(
        format === "csv" ? snapshot(input) : { file: fs.readFileSync(input, "latin1") }
      ).toEqual(before);
    }
  );

  test("with the columns present (blank where blank is meant) the same data posts, and the posted receipt does not post again", async () => {
    const input = bikeChain([], postedReceipt);
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(0);
    const gl = await readTable(input, "csv", "G/L Entries");
    // The example's per Entry result has 34 lines, two of them entry 1's 150.00 to the interim accounts.
    expect(gl).toHaveLength(32);
    expect(gl.some((g) => g["Document No."] === "PR-1001")).toBe(false);
  });
});
