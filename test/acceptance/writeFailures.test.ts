/**
 * cli.md exit codes 3 and 4 and the lock, through glpost itself: a write that fails is not an input error
 * (exit 3, the path, the OS error, the state of the files, no temporary file left); a bug is exit 4 and
 * writes nothing; a workbook another run holds is refused (exit 1) naming who holds it since when.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as post from "../../src/engine/post";
import { main, type Io } from "../../src/cli/main";
import { cents, exampleIn, readTable, tempDir, type Format } from "./formats";

afterEach(() => jest.restoreAllMocks());

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

function osError(code: string, message: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: ${message}`) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

/** Every file under a folder with its bytes (to show "the input is unchanged"). */
function snapshot(p: string): Record<string, string> {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return { [path.basename(p)]: fs.readFileSync(p).toString("base64") };
  return Object.fromEntries(
    fs
      .readdirSync(p)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(p, f)).toString("base64")])
  );
}

/** What lies beside the input (its folder, or the CSV folder itself). */
const besides = (input: string) =>
  fs.readdirSync(fs.statSync(input).isDirectory() ? input : path.dirname(input)).sort();
/** Temp, journal and lock files beside the input: none may stay after a run. */
const leftovers = (input: string) =>
  besides(input).filter((f) => f.startsWith(".") || f.includes("glpost"));
const extOf = (f: Format) => (f === "csv" ? "" : `.${f}`);

describe.each<Format>(["csv", "json", "xlsx"])("%s", (format) => {
  test('--out under a path whose parent is a file (ENOTDIR): exit 3, the path, the OS error, "nothing was written"', async () => {
    const input = await exampleIn("bike-chain", format);
    const before = snapshot(input);
    const blocker = path.join(path.dirname(input), "not-a-folder");
    fs.writeFileSync(blocker, "x");
    const out = path.join(blocker, `posted${extOf(format)}`);
    const r = await glpost("post", input, "--out", out, "--method", "entry", "--json");
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).writeError;
    // mkdir says ENOTDIR for a folder under the file, EEXIST for the file itself as the folder.
    expect(err).toMatchObject({
      code: format === "csv" ? "ENOTDIR" : "EEXIST",
      state: "nothingWritten",
      stateText: "Nothing was written.",
    });
    expect(err.path.startsWith(blocker)).toBe(true);
    expect(r.stderr).toContain(
      `Cannot write ${err.path}: ${format === "csv" ? "not a directory (ENOTDIR)" : "file already exists (EEXIST)"}. Nothing was written.`
    );
    expect(r.stderr).not.toContain("input error");
    expect(snapshot(input)).toEqual(before);
  });

  test("a rename that fails (EBUSY: the file is open in Excel): exit 3, the input unchanged, no temp or lock file left", async () => {
    const input = await exampleIn("bike-chain", format);
    const before = snapshot(input);
    // Every rename fails: for a CSV folder the first is the journal's, so the commit never starts.
    jest
      .spyOn(fs.promises, "rename")
      .mockRejectedValue(osError("EBUSY", "resource busy or locked"));
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).writeError;
    expect(err).toMatchObject({
      code: "EBUSY",
      osError: "resource busy or locked (EBUSY)",
      state: "inputUnchanged",
    });
    expect(r.stderr).toContain("Nothing was written; the input is unchanged.");
    jest.restoreAllMocks();
    expect(snapshot(input)).toEqual(before);
    expect(leftovers(input)).toEqual([]);
    // And the next run posts normally.
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    expect(await readTable(input, format, "G/L Entries")).toHaveLength(34);
  });

  test("an internal error (a bug) exits 4, says so and writes nothing", async () => {
    const input = await exampleIn("bike-chain", format);
    const before = snapshot(input);
    jest.spyOn(post, "postInventoryCostToGL").mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'entryNo')");
    });
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).internalError.message).toBe(
      "Internal error (a bug in glpost, please report it): Cannot read properties of undefined (reading 'entryNo'). Nothing was written."
    );
    expect(r.stderr).toContain("Internal error (a bug in glpost, please report it)");
    expect(r.stderr).not.toContain("input error");
    expect(snapshot(input)).toEqual(before);
  });

  test("a workbook another live run holds is refused (exit 1) naming who and since when; the lock is released on every path", async () => {
    const input = await exampleIn("bike-chain", format);
    const lockFile = format === "csv" ? path.join(input, ".glpost-lock") : `${input}.glpost-lock`;
    // This test's own process is alive: its lock is live.
    const holder = {
      glpost: "lock",
      owner: "ALICE",
      host: os.hostname(),
      pid: process.pid,
      started: "2026-02-01T09:30:00.000Z",
      command: "post",
    };
    fs.writeFileSync(lockFile, JSON.stringify(holder));
    const before = snapshot(input);
    const r = await glpost("post", input, "--method", "entry", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).locked).toMatchObject({ lockFile, holder, stale: false });
    expect(r.stderr).toContain(
      `is being posted by ALICE on ${os.hostname()} (process ${process.pid}, glpost post) since 2026-02-01T09:30:00.000Z`
    );
    expect(snapshot(input)).toEqual(before);
    // A lock whose process is gone (same host) is taken over, and the run says so.
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    fs.writeFileSync(lockFile, JSON.stringify({ ...holder, pid: Number(dead) }));
    const stale = await glpost(
      "post",
      input,
      "--method",
      "entry",
      "--date",
      "2026-01-01..2026-01-02"
    );
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain(
      `glpost: Took over the lock ${lockFile} left by ALICE (process ${dead}, since 2026-02-01T09:30:00.000Z), which is no longer running.`
    );

    expect(leftovers(input)).toEqual([]);
    // Success, wrong usage, a write failure and an input error all release it.
    expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
    expect(leftovers(input)).toEqual([]);
    expect((await glpost("post", input, "--method", "group")).code).toBe(2);
    expect(leftovers(input)).toEqual([]);
    jest.spyOn(fs.promises, "rename").mockRejectedValue(osError("EROFS", "read-only file system"));
    // check writes its report only with --out (cli.md): into the input itself here, so the rename fails.
    expect((await glpost("check", input, "--method", "entry", "--out", input)).code).toBe(3);
    jest.restoreAllMocks();
    expect(leftovers(input)).toEqual([]);
    if (format === "csv")
      fs.writeFileSync(
        path.join(input, "Value Entries.csv"),
        "Entry No.,Cost Amount (Actual)\n1,12a\n"
      );
    else fs.writeFileSync(input, format === "json" ? '{"Value Entries": [' : "not a zip");
    expect((await glpost("post", input, "--method", "entry")).code).toBe(1);
    expect(leftovers(input)).toEqual([]);
  });
});

test('a CSV commit whose rename fails midway: exit 3 "half done", and the next run completes it before reading (nothing posted twice or lost)', async () => {
  const input = await exampleIn("bike-chain", "csv");
  const real = fs.promises.rename.bind(fs.promises);
  jest.spyOn(fs.promises, "rename").mockImplementation(async (from, to) => {
    if (String(to).endsWith("Value Entries.csv")) throw osError("EBUSY", "resource busy or locked");
    return real(from, to);
  });
  const r = await glpost("post", input, "--method", "entry", "--json");
  expect(r.code).toBe(3);
  const err = JSON.parse(r.stdout).writeError;
  expect(err).toMatchObject({
    code: "EBUSY",
    state: "halfDone",
    path: path.join(input, "Value Entries.csv"),
  });
  expect(err.stateText).toMatch(
    /^The commit is half done: \d of \d files are in place, not yet Value Entries\.csv/
  );
  expect(err.stateText).toContain(`the next glpost run on ${input} completes it`);
  expect(fs.existsSync(path.join(input, ".glpost-journal"))).toBe(true);
  jest.restoreAllMocks();

  // The next run completes the commit first, says so, and then finds everything posted.
  const again = await glpost("post", input, "--method", "entry", "--json");
  expect(again.code).toBe(0);
  expect(again.stderr).toContain("Completed the commit of an interrupted run");
  expect(JSON.parse(again.stdout).entries).toMatchObject({ posted: 0, alreadyPosted: 14 });
  expect(fs.readdirSync(input).filter((f) => f.startsWith("."))).toEqual([]);
  const gl = await readTable(input, "csv", "G/L Entries");
  expect(gl).toHaveLength(34);
  expect(await readTable(input, "csv", "G/L Registers")).toHaveLength(1);
  // Every value entry's posted cost is what its G/L entries post: the debits of its lines.
  const rel = await readTable(input, "csv", "G/L - Item Ledger Relation");
  const debit = new Map(gl.map((g) => [g["Entry No."], cents(g["Debit Amount"] || "0")]));
  for (const v of await readTable(input, "csv", "Value Entries")) {
    const lines = rel
      .filter((x) => x["Value Entry No."] === v["Entry No."])
      .map((x) => debit.get(x["G/L Entry No."])!);
    expect(lines.reduce((a, b) => a + b, 0)).toBe(
      Math.abs(cents(v["Cost Posted to G/L"] || "0")) +
        Math.abs(cents(v["Expected Cost Posted to G/L"] || "0"))
    );
  }
});

test("a directory where the output file should be (EISDIR): exit 3, nothing written", async () => {
  const input = await exampleIn("bike-chain", "json");
  const out = path.join(path.dirname(input), "posted.json");
  fs.mkdirSync(out);
  const r = await glpost("post", input, "--out", out, "--method", "entry");
  expect(r.code).toBe(3);
  expect(r.stderr).toContain(
    `Cannot write ${fs.realpathSync(out)}: illegal operation on a directory (EISDIR). Nothing was written.`
  );
  expect(fs.readdirSync(out)).toEqual([]);
});

test("in place through a symlink: the link's target is posted and the link stays a link", async () => {
  for (const format of ["xlsx", "json"] as const) {
    const target = await exampleIn("bike-chain", format);
    const link = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "glpost-link-")),
      `shared${extOf(format)}`
    );
    fs.symlinkSync(target, link);
    expect((await glpost("post", link, "--method", "entry")).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(await readTable(target, format, "G/L Entries")).toHaveLength(34);
    // The next person posting through the link finds it posted.
    const again = await glpost("post", link, "--method", "entry", "--json");
    expect(JSON.parse(again.stdout).entries.posted).toBe(0);
  }
});

test("a read-only input folder: with --out elsewhere the run goes on without a lock (and says so); in place it is a write failure", async () => {
  const input = await exampleIn("bike-chain", "json");
  const before = snapshot(input);
  const realOpen = fs.promises.open.bind(fs.promises);
  jest.spyOn(fs.promises, "open").mockImplementation(async (p, flags, mode) => {
    if (String(p).startsWith(input)) throw osError("EROFS", "read-only file system");
    return realOpen(p, flags, mode);
  });
  const out = path.join(tempDir(), "posted.json");
  const elsewhere = await glpost("post", input, "--out", out, "--method", "entry");
  expect(elsewhere.code).toBe(0);
  expect(elsewhere.stderr).toContain(
    `glpost: The input's folder is read-only: ${input} was read without a lock.`
  );
  expect(await readTable(out, "json", "G/L Entries")).toHaveLength(34);
  const inPlace = await glpost("post", input, "--method", "entry", "--json");
  expect(inPlace.code).toBe(3);
  expect(JSON.parse(inPlace.stdout).writeError).toMatchObject({
    path: `${input}.glpost-lock`,
    code: "EROFS",
    state: "inputUnchanged",
  });
  jest.restoreAllMocks();
  expect(snapshot(input)).toEqual(before);
});
