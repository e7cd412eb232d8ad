/**
 * The commit protocol (src/files/commit.ts): lock, snapshot guard, atomic save through symlinks, the CSV
 * folder journal and its roll-forward, JSON written in pieces.
 */
import { spawnSync } from "child_process";
import * as fsSync from "fs";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import {
  acquireLock,
  commitFolder,
  JOURNAL_NAME,
  LockHeldError,
  lockPathFor,
  recoverFolder,
  saveFile,
  stampOf,
  checkUnchanged,
} from "../../src/files/commit";
import { CsvFolderWorkbook } from "../../src/files/csv";
import { jsonChunks } from "../../src/files/json";
import { openForRun } from "../../src/files/open";
import { ConcurrentChangeError, WriteFailedError } from "../../src/workbook/port";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});
afterEach(() => jest.restoreAllMocks());

async function tempDir(): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "commit-")));
  dirs.push(dir);
  return dir;
}

/** The pid of a process that has ended (a stale lock's holder). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

function osError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated, ${syscall} '${file}'`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  return e;
}

const listing = async (dir: string) => (await fs.readdir(dir)).sort();

describe("lock", () => {
  test("O_EXCL lock file beside a file / inside a folder, holding owner, host, pid and start time; released", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "book.json");
    await fs.writeFile(file, "{}");
    const lockPath = await lockPathFor(file, false);
    expect(lockPath).toBe(path.join(dir, "book.json.glpost-lock"));
    expect(await lockPathFor(dir, true)).toBe(path.join(dir, ".glpost-lock"));
    const lock = await acquireLock(lockPath, file, "post");
    const info = JSON.parse(await fs.readFile(lockPath, "utf8"));
    expect(info).toEqual({
      glpost: "lock",
      owner: os.userInfo().username,
      host: os.hostname(),
      pid: process.pid,
      started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      command: "post",
    });
    // A second taker (this process again: alive) is refused, naming who holds it since when.
    const second = await acquireLock(lockPath, file, "post").catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LockHeldError);
    expect((second as Error).message).toContain(
      `is being posted by ${os.userInfo().username} on ${os.hostname()} (process ${process.pid}, glpost post) since ${info.started}`
    );
    await lock.release();
    expect(fsSync.existsSync(lockPath)).toBe(false);
    (await acquireLock(lockPath, file)).release();
  });

  test("a stale lock (same host, process gone) is taken over and reported; another host's lock is refused with what to do", async () => {
    const dir = await tempDir();
    const lockPath = path.join(dir, "x.glpost-lock");
    const stale = {
      glpost: "lock",
      owner: "BOB",
      host: os.hostname(),
      pid: deadPid(),
      started: "2026-01-05T08:00:00.000Z",
      command: "post",
    };
    await fs.writeFile(lockPath, JSON.stringify(stale));
    const lock = await acquireLock(lockPath, "x");
    expect(lock.tookOver).toEqual(stale);
    expect(JSON.parse(await fs.readFile(lockPath, "utf8")).pid).toBe(process.pid);
    expect(fsSync.existsSync(lockPath + ".takeover")).toBe(false);
    await lock.release();

    const remote = { ...stale, host: "other-host-" + os.hostname() };
    await fs.writeFile(lockPath, JSON.stringify(remote));
    const e = (await acquireLock(lockPath, "x").catch((err: unknown) => err)) as LockHeldError;
    expect(e).toBeInstanceOf(LockHeldError);
    expect(e.message).toBe(
      `x is being posted by BOB on ${remote.host} (process ${stale.pid}, glpost post) since 2026-01-05T08:00:00.000Z. Wait until that run ends and run again; if no glpost run is active on ${remote.host}, delete ${lockPath} and run again.`
    );
    // Never removed by a run that does not hold it.
    expect(JSON.parse(await fs.readFile(lockPath, "utf8"))).toEqual(remote);
  });

  test("openForRun holds the lock until close, on every path; a symlink and its target share one lock", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "book.json");
    await fs.writeFile(file, '{"Value Entries": []}');
    await fs.symlink(file, path.join(dir, "link.json"));
    const opened = await openForRun(file);
    await expect(openForRun(path.join(dir, "link.json"))).rejects.toBeInstanceOf(LockHeldError);
    await opened.close();
    expect(await listing(dir)).toEqual(["book.json", "link.json"]);
    // Opening fails (broken JSON): the lock is released all the same.
    await fs.writeFile(file, '{"Value Entries": [');
    await expect(openForRun(file)).rejects.toThrow("is not valid JSON");
    expect(await listing(dir)).toEqual(["book.json", "link.json"]);
  });
});

describe("single file: snapshot guard and atomic save", () => {
  test("the guard re-checks under the lock just before the rename: an edit in between wins, nothing is written, no temp left", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "book.json");
    await fs.writeFile(file, "old");
    const stamp = await stampOf(file);
    await expect(
      saveFile(file, Buffer.from("new"), {
        inPlace: true,
        guard: async () => {
          await fs.writeFile(file, "edited by someone else");
          await checkUnchanged(stamp, file);
        },
      })
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(await fs.readFile(file, "utf8")).toBe("edited by someone else");
    expect(await listing(dir)).toEqual(["book.json"]);
  });

  test("through a symlink: the target is written, the link stays a link, permissions kept", async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, "shared"));
    const target = path.join(dir, "shared", "book.json");
    await fs.writeFile(target, "old");
    await fs.chmod(target, 0o640);
    const link = path.join(dir, "book.json");
    await fs.symlink(path.join("shared", "book.json"), link);
    expect(await saveFile(link, ["n", "ew"], { inPlace: true })).toBe(target);
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, "utf8")).toBe("new");
    expect((await fs.stat(target)).mode & 0o777).toBe(0o640);
    expect(await listing(path.join(dir, "shared"))).toEqual(["book.json"]);
  });

  test("an I/O failure is a WriteFailedError naming the path, the OS error and the state; the temp file is removed", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "book.xlsx");
    await fs.writeFile(file, "old");
    const rename = jest.spyOn(fs, "rename").mockRejectedValue(osError("EBUSY", "rename", file));
    const e = (await saveFile(file, Buffer.from("new"), { inPlace: true }).catch(
      (err: unknown) => err
    )) as WriteFailedError;
    expect(rename).toHaveBeenCalled();
    expect(e).toBeInstanceOf(WriteFailedError);
    expect([e.path, e.code, e.state]).toEqual([file, "EBUSY", "inputUnchanged"]);
    expect(e.message).toBe(
      `Cannot write ${file}: simulated (EBUSY). Nothing was written; the input is unchanged.`
    );
    expect(await listing(dir)).toEqual(["book.xlsx"]);
    expect(await fs.readFile(file, "utf8")).toBe("old");
  });

  test("a directory where the output file should be (EISDIR) and a parent that is a file (ENOTDIR)", async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, "out.json"));
    const a = (await saveFile(path.join(dir, "out.json"), Buffer.from("x"), {
      inPlace: false,
    }).catch((err: unknown) => err)) as WriteFailedError;
    expect([a.code, a.state]).toEqual(["EISDIR", "nothingWritten"]);
    expect(await listing(dir)).toEqual(["out.json"]);
    await fs.writeFile(path.join(dir, "plain"), "x");
    const b = (await saveFile(path.join(dir, "plain", "out.json"), Buffer.from("x"), {
      inPlace: false,
    }).catch((err: unknown) => err)) as WriteFailedError;
    expect([b.code, b.state]).toEqual(["ENOTDIR", "nothingWritten"]);
  });
});

describe("CSV folder commit: a journal as the commit point", () => {
  async function folderWith(files: Record<string, string>): Promise<string> {
    const dir = await tempDir();
    for (const [n, c] of Object.entries(files)) await fs.writeFile(path.join(dir, n), c);
    return dir;
  }
  const files = (dir: string, names: string[], tag: string) =>
    names.map((n) => ({ final: path.join(dir, n), content: Buffer.from(`${n} ${tag}\n`) }));
  const contents = async (dir: string, names: string[]) =>
    Promise.all(names.map((n) => fs.readFile(path.join(dir, n), "utf8")));
  const NAMES = [
    "G-L Entries.csv",
    "G-L - Item Ledger Relation.csv",
    "Value Entries.csv",
    "G-L Registers.csv",
  ];

  test('a rename failing midway (EBUSY) leaves the journal: exit-3 state "half done", and the next open completes it', async () => {
    const dir = await folderWith(Object.fromEntries(NAMES.map((n) => [n, `${n} old\n`])));
    const real = fs.rename.bind(fs);
    let calls = 0;
    // The journal's own rename is call 1; the third file's rename (call 4) fails as if Excel held it.
    jest.spyOn(fs, "rename").mockImplementation(async (a, b) => {
      calls++;
      if (calls >= 4 && String(b).endsWith("Value Entries.csv"))
        throw osError("EBUSY", "rename", String(b));
      return real(a, b);
    });
    const e = (await commitFolder(dir, files(dir, NAMES, "new"), { inPlace: true }).catch(
      (err: unknown) => err
    )) as WriteFailedError;
    expect(e).toBeInstanceOf(WriteFailedError);
    expect([e.path, e.code, e.state]).toEqual([
      path.join(dir, "Value Entries.csv"),
      "EBUSY",
      "halfDone",
    ]);
    expect(e.stateText).toContain(
      "The commit is half done: 2 of 4 files are in place, not yet Value Entries.csv, G-L Registers.csv."
    );
    expect(e.stateText).toContain(`the next glpost run on ${dir} completes it`);
    expect(await contents(dir, NAMES)).toEqual([
      "G-L Entries.csv new\n",
      "G-L - Item Ledger Relation.csv new\n",
      "Value Entries.csv old\n",
      "G-L Registers.csv old\n",
    ]);
    const journal = JSON.parse(await fs.readFile(path.join(dir, JOURNAL_NAME), "utf8"));
    expect(journal).toMatchObject({ glpost: "commit-journal", version: 1 });
    expect(journal.renames.map((r: { to: string }) => r.to)).toEqual(NAMES);
    expect(journal.renames[2].from).toMatch(/^\.Value Entries\.csv\.glpost-[0-9a-f]{12}\.tmp$/);

    jest.restoreAllMocks();
    // A reader (a CSV adapter open, as every run does) completes it before reading: never the mix.
    const wb = await CsvFolderWorkbook.open(dir);
    expect(wb.recovered?.completed).toBe(2);
    expect(await contents(dir, NAMES)).toEqual(NAMES.map((n) => `${n} new\n`));
    expect(await listing(dir)).toEqual([...NAMES].sort());
  });

  test("a crash before the commit point: the staged files are removed and the folder stays old", async () => {
    const dir = await folderWith(Object.fromEntries(NAMES.map((n) => [n, `${n} old\n`])));
    // Staged temp files and a journal written to its temporary name only (the rename never happened).
    await fs.writeFile(path.join(dir, ".Value Entries.csv.glpost-0123456789ab.tmp"), "half");
    await fs.writeFile(path.join(dir, ".glpost-journal.0123456789ab.tmp"), '{"glpost":"commit-jou');
    expect(await recoverFolder(dir)).toBeNull();
    expect(await listing(dir)).toEqual([...NAMES].sort());
    expect(await contents(dir, NAMES)).toEqual(NAMES.map((n) => `${n} old\n`));
  });

  test("a staged file that is not what the journal says is refused, never renamed in", async () => {
    const dir = await folderWith({ "Value Entries.csv": "old\n" });
    const temp = ".Value Entries.csv.glpost-0123456789ab.tmp";
    await fs.writeFile(path.join(dir, temp), "corrupt");
    await fs.writeFile(
      path.join(dir, JOURNAL_NAME),
      JSON.stringify({
        glpost: "commit-journal",
        version: 1,
        id: "0123456789ab",
        created: "x",
        renames: [{ from: temp, to: "Value Entries.csv", size: 3, sha256: "ab" }],
      })
    );
    await expect(recoverFolder(dir)).rejects.toThrow("is not what the interrupted run wrote");
    expect(await fs.readFile(path.join(dir, "Value Entries.csv"), "utf8")).toBe("old\n");
  });

  test('a failure while staging (ENOSPC) removes every staged file: "the input is unchanged"', async () => {
    const dir = await folderWith(Object.fromEntries(NAMES.map((n) => [n, `${n} old\n`])));
    const realOpen = fs.open.bind(fs);
    let opened = 0;
    jest.spyOn(fs, "open").mockImplementation(async (p, flags, mode) => {
      if (flags === "wx" && ++opened === 3) throw osError("ENOSPC", "open", String(p));
      return realOpen(p, flags, mode);
    });
    const e = (await commitFolder(dir, files(dir, NAMES, "new"), { inPlace: true }).catch(
      (err: unknown) => err
    )) as WriteFailedError;
    expect([e.code, e.state]).toEqual(["ENOSPC", "inputUnchanged"]);
    expect(e.message).toBe(
      `Cannot write ${path.join(dir, "Value Entries.csv")}: simulated (ENOSPC). Nothing was written; the input is unchanged.`
    );
    expect(await listing(dir)).toEqual([...NAMES].sort());
    expect(await contents(dir, NAMES)).toEqual(NAMES.map((n) => `${n} old\n`));
  });

  test("a symlinked CSV file in the folder is read and written through", async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, "shared"));
    await fs.mkdir(path.join(dir, "book"));
    await fs.writeFile(path.join(dir, "shared", "G-L Entries.csv"), "Entry No.,Amount\n1,5.00\n");
    await fs.symlink(
      path.join("..", "shared", "G-L Entries.csv"),
      path.join(dir, "book", "G-L Entries.csv")
    );
    await fs.writeFile(path.join(dir, "book", "Value Entries.csv"), "Entry No.\n1\n");
    const wb = await CsvFolderWorkbook.open(path.join(dir, "book"));
    expect((await wb.listTables()).map((t) => t.name)).toEqual(["G-L Entries", "Value Entries"]);
    const gl = await wb.readTable({ name: "G-L Entries", kind: "csv" });
    expect(gl.rows).toEqual([["1", "5.00"]]);
    await wb.write(
      [
        {
          kind: "append",
          names: {
            name: "G/L Entries",
            sheetName: "G-L Entries",
            excelTableName: "GLEntries",
            csvName: "G-L Entries",
          },
          existing: gl.ref,
          columns: [
            { name: "Entry No.", format: "integer" },
            { name: "Amount", format: "money" },
          ],
          rows: [[2, "7.00"]],
        },
      ],
      null
    );
    expect((await fs.lstat(path.join(dir, "book", "G-L Entries.csv"))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(dir, "shared", "G-L Entries.csv"), "utf8")).toBe(
      "Entry No.,Amount\n1,5.00\n2,7.00\n"
    );
    expect(await listing(path.join(dir, "shared"))).toEqual(["G-L Entries.csv"]);
  });
});

describe("JSON written in pieces", () => {
  test("the pieces join to exactly JSON.stringify, compact and pretty", () => {
    const data = {
      "Value Entries": [
        { "Entry No.": 1, Text: 'a\nb "q"', Nested: { x: [1, 2] } },
        null,
        { "Entry No.": 2 },
      ],
      Empty: [],
      "G/L Entries": [{ Amount: -1.5 }],
    } as never;
    expect([...jsonChunks(data, false)].join("")).toBe(JSON.stringify(data) + "\n");
    expect([...jsonChunks(data, true)].join("")).toBe(JSON.stringify(data, null, 2) + "\n");
    expect([...jsonChunks({} as never, true)].join("")).toBe("{}\n");
    // No piece is the whole of a big table: each is bounded (a 200 MB file never becomes one string).
    const big = {
      T: Array.from({ length: 20000 }, (_, i) => ({ "Entry No.": i, Description: "x".repeat(40) })),
    } as never;
    const pieces = [...jsonChunks(big, false)];
    expect(pieces.join("")).toBe(JSON.stringify(big) + "\n");
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(70_000);
  });
});

describe("a large JSON workbook", () => {
  test('a ~60 MB compact input is posted and written compactly (today: pretty-printed at 3x; 200 MB failed with "Invalid string length")', async () => {
    const { main } = await import("../../src/cli/main");
    const { exampleIn } = await import("../acceptance/formats");
    const input = await exampleIn("bike-chain", "json");
    const book = JSON.parse(await fs.readFile(input, "utf8"));
    // Bulk that is read and written back untouched: 300,000 records of ~200 bytes.
    const note = "x".repeat(150);
    book["Item Notes"] = Array.from({ length: 300_000 }, (_, i) => ({
      "Item No.": `ITEM-${i}`,
      Note: note,
      Line: i,
    }));
    const text = JSON.stringify(book);
    await fs.writeFile(input, text);
    expect(text.length).toBeGreaterThan(55_000_000);
    let stdout = "";
    const code = await main(["post", input, "--method", "entry", "--json"], {
      stdout: (s) => void (stdout += s),
      stderr: () => {},
      tty: false,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).glEntries).toBe(34);
    const out = await fs.readFile(input, "utf8");
    // Compact like the input: only the posted tables add bytes (34 G/L entries and their relations).
    expect(out.length).toBeLessThan(text.length + 100_000);
    expect(out.indexOf("\n")).toBe(out.length - 1);
    const back = JSON.parse(out);
    expect(back["Item Notes"]).toHaveLength(300_000);
    expect(back["Item Notes"][299_999]).toEqual({
      "Item No.": "ITEM-299999",
      Note: note,
      Line: 299_999,
    });
    expect(back["G/L Entries"]).toHaveLength(34);
  });
});
