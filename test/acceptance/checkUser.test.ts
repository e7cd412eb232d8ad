/**
 * check and post read the same user's allowed posting dates (rules.md section 8: a User Setup row for the
 * run's user takes precedence over Allow Posting From/To), so the test report warns exactly where the run skips.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { exampleIn } from "./formats";

async function glpost(...argv: string[]) {
  let stdout = "";
  const io: Io = { stdout: (s) => void (stdout += s), stderr: () => {}, tty: false };
  const code = await main(argv, io);
  return { code, stdout };
}

test("the test report applies the run user's User Setup dates as the posting run does", async () => {
  const dir = await exampleIn("bike-chain", "csv");
  // glpost's default user is the OS user, upper-cased (as post's --user default).
  const user = os.userInfo().username.toUpperCase();
  fs.writeFileSync(
    path.join(dir, "User Setup.csv"),
    `User ID,Allow Posting From,Allow Posting To\n${user},2026-01-01,2026-01-10\n`
  );
  const post = await glpost("post", dir, "--method", "entry", "--dry-run", "--json");
  expect(post.code).toBe(0);
  const skipped = (JSON.parse(post.stdout).skipped as { entryNo: number; reasonCode: string }[])
    .filter((s) => s.reasonCode === "POSTING_DATE_NOT_ALLOWED")
    .map((s) => s.entryNo);
  // By hand from Value Entries.csv: entries 6-14 are dated 2026-01-12 .. 2026-01-25, all with cost to post.
  expect(skipped).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
  const check = await glpost("check", dir, "--method", "entry", "--json");
  expect(check.code).toBe(0);
  const lines = JSON.parse(check.stdout).lines as {
    valueEntryNo: number;
    postingDate: string;
    warnings: string[];
  }[];
  const warned = [
    ...new Set(
      lines
        .filter((l) =>
          l.warnings.some((w) => w.includes("not within your range of allowed posting dates"))
        )
        .map((l) => l.valueEntryNo)
    ),
  ];
  expect(warned).toEqual(skipped);
  expect(
    lines.filter((l) => warned.includes(l.valueEntryNo)).every((l) => l.postingDate > "2026-01-10")
  ).toBe(true);
});
