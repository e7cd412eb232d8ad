/**
 * The CLI papercuts of issue 12: --version, <command> --help, "did you mean", the document-no message,
 * {"usageError"} with --json, How to Fix in --json's skipped items.
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { didYouMean, editDistance } from "../../src/cli/usage";
import { exampleIn } from "../acceptance/formats";

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

test("glpost --version prints the version of package.json", async () => {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")
  ) as { version: string };
  for (const flag of ["--version", "-V"]) {
    const r = await glpost(flag);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`glpost ${pkg.version}\n`);
  }
});

test("glpost <command> --help prints that command's usage, not the whole list", async () => {
  const post = await glpost("post", "--help");
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/^Usage:\n {2}glpost post <input>/);
  expect(post.stdout).toContain("--dry-run");
  expect(post.stdout).not.toContain("glpost reconcile");
  // Also after other arguments, and as "glpost help <command>".
  expect((await glpost("check", "some.xlsx", "--help")).stdout).toMatch(
    /^Usage:\n {2}glpost check <input>/
  );
  expect((await glpost("help", "init")).stdout).toMatch(/^Usage:\n {2}glpost init <output/);
  const all = await glpost("--help");
  expect(all.stdout).toContain("glpost init");
  expect(all.stdout).toContain("glpost --version | glpost <command> --help");
});

test('a misspelled option or command gets "did you mean"', async () => {
  const opt = await glpost("post", "x.xlsx", "--documnet-no", "A");
  expect(opt.code).toBe(2);
  expect(opt.stderr).toContain(
    '"--documnet-no" is not an option of glpost post. Did you mean "--document-no"?'
  );
  const cmd = await glpost("pots", "x.xlsx");
  expect(cmd.code).toBe(2);
  expect(cmd.stderr).toContain('Unknown command "pots".');
  expect(cmd.stderr).toContain('Did you mean "post"?');
  // Nothing close: no guess.
  expect((await glpost("post", "x.xlsx", "--frobnicate")).stderr).not.toContain("Did you mean");
  expect(editDistance("--dryrun", "--dry-run")).toBe(1);
  expect(didYouMean("--dry", ["--dry-run", "--json"])).toBeNull();
  expect(didYouMean("chekc", ["post", "check"])).toBe("check");
});

test("the missing document no. message names --document-no and --method entry; nothing is read or written", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const before = fs.readdirSync(input).map((f) => fs.readFileSync(path.join(input, f), "utf8"));
  const r = await glpost("post", input);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("Please enter a Document No. when posting per Posting Group.");
  expect(r.stderr).toContain("--document-no <no>");
  expect(r.stderr).toContain("--method entry");
  const both = await glpost("check", input, "--method", "entry", "--document-no", "X");
  expect(both.code).toBe(2);
  expect(both.stderr).toContain(
    "Do not enter a Document No. when posting per Entry. Leave out --document-no"
  );
  expect(fs.readdirSync(input).map((f) => fs.readFileSync(path.join(input, f), "utf8"))).toEqual(
    before
  );
});

test('with --json a usage error is {"usageError": ...} on stdout, exit 2', async () => {
  const parse = await glpost("post", "x.xlsx", "--json", "--methd", "entry");
  expect(parse.code).toBe(2);
  expect(JSON.parse(parse.stdout)).toEqual({
    usageError: expect.stringContaining(
      '"--methd" is not an option of glpost post. Did you mean "--method"?'
    ),
  });
  const input = await exampleIn("fifo-purchase-sale", "csv");
  const rule = await glpost("post", input, "--json");
  expect(rule.code).toBe(2);
  expect(JSON.parse(rule.stdout).usageError).toMatch(
    /^Please enter a Document No\. when posting per Posting Group\./
  );
  // A usage error found after opening (a bad filter) is JSON too.
  const filter = await glpost("post", input, "--method", "entry", "--item", "C..A", "--json");
  expect(filter.code).toBe(2);
  expect(JSON.parse(filter.stdout).usageError).toContain('"C..A" is not a valid Item No. filter');
});

test("--json's skipped items carry How to Fix", async () => {
  const input = await exampleIn("fifo-purchase-sale", "csv", (table, rows) =>
    table === "General Posting Setup" ? rows.map((r) => ({ ...r, "COGS Account": "" })) : rows
  );
  const r = await glpost("post", input, "--method", "entry", "--dry-run", "--json");
  expect(r.code).toBe(0);
  const skipped = JSON.parse(r.stdout).skipped as {
    entryNo: number;
    reasonCode: string;
    howToFix: string;
  }[];
  expect(skipped).toHaveLength(1);
  expect(skipped[0].entryNo).toBe(3);
  // The same text the Skipped Entries table's How to Fix column holds: it names the setup field to fill in.
  expect(skipped[0].howToFix).toContain("COGS Account");
  expect(skipped[0].howToFix).toContain("General Posting Setup");
});

describe("glpost post --stream", () => {
  test("posts a CSV folder and says on stderr how far it got", async () => {
    const input = await exampleIn("bike-chain", "csv");
    const r = await glpost("post", input, "--stream", "--method", "entry", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).entries.posted).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/value entries read/);
  });

  test("refuses an .xlsx file and a dry run as wrong usage (exit 2), naming what to do", async () => {
    const xlsx = await exampleIn("bike-chain", "xlsx");
    const a = await glpost("post", xlsx, "--stream", "--document-no", "X");
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--stream reads a folder .*without --stream/);
    const csv = await exampleIn("bike-chain", "csv");
    const b = await glpost("post", csv, "--stream", "--dry-run", "--method", "entry");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--stream posts/);
  });
});
