/**
 * =INVT.RECONCILE on the bike-chain example as Excel passes tables (2-D ranges with header rows): the same
 * matrix and explanations as glpost reconcile, before and after posting; errors name the argument.
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { reconcileValues, RECONCILE_HEADER } from "../../src/excel/functions/reconcileFormula";
import { FormulaError } from "../../src/excel/functions/ranges";
import { exampleIn, parseCsv } from "../acceptance/formats";

const range = (dir: string, file: string) =>
  parseCsv(fs.readFileSync(path.join(dir, `${file}.csv`), "utf8"));
const quiet: Io = { stdout: () => {}, stderr: () => {}, tty: false };

test("before posting every difference is unposted cost; with the posted G/L no difference", async () => {
  const dir = await exampleIn("bike-chain", "csv");
  const args = (d: string) => ({
    valueEntries: range(d, "Value Entries"),
    inventoryPostingSetup: range(d, "Inventory Posting Setup"),
    generalPostingSetup: range(d, "General Posting Setup"),
    settings: range(d, "Settings"),
    items: range(d, "Items"),
    glAccounts: range(d, "GL Accounts"),
  });
  const before = await reconcileValues(args(dir));
  expect(before[0]).toEqual(RECONCILE_HEADER);
  expect(before.find((r) => r[0] === "Direct Cost Applied")).toEqual([
    "Direct Cost Applied",
    -165,
    "",
    -120,
    -285,
    0,
    285,
    "Post Cost to G/L",
  ]);
  expect(before.slice(20).map((r) => [r[0], r[6]])).toEqual([
    ["Inventory difference: Post Cost to G/L", 10],
    ["Direct Cost Applied difference: Post Cost to G/L", 285],
    ["Overhead Applied difference: Post Cost to G/L", 40],
    ["Inventory Adjmt. difference: Post Cost to G/L", -10],
    ["COGS difference: Post Cost to G/L", -150],
    ["Purchase Variance difference: Post Cost to G/L", -18],
    ["Material Variance difference: Post Cost to G/L", -157],
  ]);

  expect(await main(["post", dir, "--document-no", "INVT-1"], quiet)).toBe(0);
  const after = await reconcileValues({
    ...args(dir),
    glEntries: range(dir, "GL Entries"),
    relations: range(dir, "GL - Item Ledger Relation"),
  });
  expect(after).toHaveLength(19);
  expect(after.find((r) => r[0] === "COGS")).toEqual(["COGS", 150, "", "", 150, 150, 0, ""]);
});

test("a bad date filter or a range without its header row is a formula error naming the argument", async () => {
  const dir = await exampleIn("bike-chain", "csv");
  const base = {
    valueEntries: range(dir, "Value Entries"),
    inventoryPostingSetup: range(dir, "Inventory Posting Setup"),
    generalPostingSetup: range(dir, "General Posting Setup"),
  };
  await expect(reconcileValues({ ...base, dateFilter: "2026-02-30" })).rejects.toMatchObject({
    code: "#VALUE!",
    message: expect.stringMatching(/^dateFilter: /),
  });
  await expect(
    reconcileValues({
      ...base,
      glEntries: [
        ["x", "y"],
        [1, 2],
      ],
    })
  ).rejects.toBeInstanceOf(FormulaError);
  await expect(
    reconcileValues({
      ...base,
      glEntries: [
        ["x", "y"],
        [1, 2],
      ],
    })
  ).rejects.toMatchObject({ code: "#REF!", message: expect.stringMatching(/^glEntries: /) });
});
