/**
 * End to end on the bike-chain example through the CSV adapter: read, post with the engine, plan the writes,
 * write them, read the result back and compare with the example's expected G/L entries.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { isoToDay } from "../../src/engine/dates";
import { postInventoryCostToGL } from "../../src/engine/post";
import type { RunOptions } from "../../src/engine/types";
import { CsvFolderWorkbook, parseCsv } from "../../src/files/csv";
import { planWrites } from "../../src/workbook/outputs";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { makeWriteGuard } from "../../src/workbook/readContext";

const FIXTURES = path.join(__dirname, "..", "fixtures", "examples");

const options = (post: boolean): RunOptions => ({
  postingMethod: "per Entry",
  documentNo: "",
  post,
  itemFilter: "",
  dateFilter: "",
  now: { date: isoToDay("2026-02-01")!, time: "09:00:00" },
  userId: "TEST",
});

function records(text: string): Record<string, string | null>[] {
  const p = parseCsv(text);
  return p.rows.map((r) =>
    Object.fromEntries(p.header.map((h, i) => [h, (r[i] ?? null) as string | null]))
  );
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function copyExample(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`));
  dirs.push(dir);
  for (const f of await fs.readdir(path.join(FIXTURES, name)))
    await fs.copyFile(path.join(FIXTURES, name, f), path.join(dir, f));
  return dir;
}

describe("bike-chain per Entry through CSV files", () => {
  test("posts the expected G/L entries, updates the posted columns, and a second run posts nothing", async () => {
    const dir = await copyExample("bike-chain");
    const wb = await CsvFolderWorkbook.open(dir);
    const read = await readPostingInput(wb);
    expect(read.errors.map(formatInputError)).toEqual([]);
    const result = postInventoryCostToGL(read.input!, options(true));
    await wb.write(
      planWrites(result, read.input!, read.context, null),
      makeWriteGuard(read.context)
    );

    const expected = records(
      await fs.readFile(path.join(dir, "expected-gl-per-entry.csv"), "utf8")
    );
    const gl = records(await fs.readFile(path.join(dir, "GL Entries.csv"), "utf8"));
    expect(gl).toHaveLength(34);
    expect(
      gl.map((g) => [
        g["Posting Date"],
        g["Document No."],
        g["G/L Account No."],
        g["Inventory Account Type"],
        g["Bal. Account Type"],
        g["Amount"],
      ])
    ).toEqual(
      expected.map((e) => [
        e["Posting Date"],
        e["Document No."],
        e["G/L Account No."],
        e["Inventory Account Type"],
        e["Bal. Account Type"],
        e["Amount"],
      ])
    );
    expect(gl[0]["Entry No."]).toBe("1");
    expect(gl[33]["Entry No."]).toBe("34");
    expect(gl[0]["System-Created Entry"]).toBe("Yes");
    expect(gl[0]["G/L Account Name"]).toBe("Raw Materials (Interim)");
    const relations = records(
      await fs.readFile(path.join(dir, "GL - Item Ledger Relation.csv"), "utf8")
    );
    expect(relations.map((r) => r["Value Entry No."])).toEqual(
      expected.map((e) => e["Value Entry No."])
    );
    const registers = records(await fs.readFile(path.join(dir, "GL Registers.csv"), "utf8"));
    expect(registers).toEqual([
      expect.objectContaining({
        "No.": "1",
        "From Entry No.": "1",
        "To Entry No.": "34",
        "Creation Date": "2026-02-01",
        "Posting Method": "per Entry",
        "User ID": "TEST",
      }),
    ]);
    expect(records(await fs.readFile(path.join(dir, "Skipped Entries.csv"), "utf8"))).toEqual([]);

    // Posted columns: Cost Posted to G/L = Cost Amount (Actual), Expected Cost Posted to G/L = Cost Amount (Expected);
    // cells that do not change keep their text ("0").
    const ve = records(await fs.readFile(path.join(dir, "Value Entries.csv"), "utf8"));
    expect(ve.map((v) => v["Cost Posted to G/L"])).toEqual([
      "0",
      "165.00",
      "3.00",
      "-18.00",
      "0",
      "-150.00",
      "-150.00",
      "120.00",
      "12.00",
      "0",
      "282.00",
      "25.00",
      "-157.00",
      "-10.00",
    ]);
    expect(ve.map((v) => v["Expected Cost Posted to G/L"])).toEqual([
      "150.00",
      "-150.00",
      "0",
      "0",
      "-150.00",
      "150.00",
      "0",
      "0",
      "0",
      "150.00",
      "-150.00",
      "0",
      "0",
      "0",
    ]);
    // Everything else in the file is as it was.
    const original = records(
      await fs.readFile(path.join(FIXTURES, "bike-chain", "Value Entries.csv"), "utf8")
    );
    expect(
      ve.map((v) => ({ ...v, "Cost Posted to G/L": null, "Expected Cost Posted to G/L": null }))
    ).toEqual(
      original.map((v) => ({
        ...v,
        "Cost Posted to G/L": null,
        "Expected Cost Posted to G/L": null,
      }))
    );

    // Second run on the output: nothing to post; numbering continues after the first run.
    const wb2 = await CsvFolderWorkbook.open(dir);
    const read2 = await readPostingInput(wb2);
    expect(read2.errors).toEqual([]);
    expect(read2.input!.existing).toEqual({
      lastGLEntryNo: 34,
      lastTransactionNo: expect.any(Number),
      lastRegisterNo: 1,
    });
    const again = postInventoryCostToGL(read2.input!, options(true));
    expect(again.glEntries).toEqual([]);
    const writes2 = planWrites(again, read2.input!, read2.context, null);
    expect(writes2.map((w) => w.kind)).toEqual(["replace"]);
  });

  test("a dry run writes only Skipped Entries", async () => {
    const dir = await copyExample("fifo-purchase-sale");
    const before = (await fs.readdir(dir)).sort();
    const wb = await CsvFolderWorkbook.open(dir);
    const read = await readPostingInput(wb);
    const result = postInventoryCostToGL(read.input!, options(false));
    await wb.write(
      planWrites(result, read.input!, read.context, null),
      makeWriteGuard(read.context)
    );
    expect((await fs.readdir(dir)).sort()).toEqual([...before, "Skipped Entries.csv"].sort());
    expect(await fs.readFile(path.join(dir, "Value Entries.csv"), "utf8")).toBe(
      await fs.readFile(path.join(FIXTURES, "fifo-purchase-sale", "Value Entries.csv"), "utf8")
    );
  });
});
