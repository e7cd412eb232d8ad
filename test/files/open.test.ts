import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { CsvFolderWorkbook } from "../../src/files/csv";
import { JsonWorkbook } from "../../src/files/json";
import { openWorkbook, workbookFormat } from "../../src/files/open";

describe("openWorkbook", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "openwb-"));
    await fs.mkdir(path.join(dir, "csv"));
    await fs.writeFile(path.join(dir, "csv", "Value Entries.csv"), "Entry No.\n1\n");
    await fs.writeFile(path.join(dir, "book.json"), '{"Value Entries": []}');
    await fs.writeFile(path.join(dir, "book.txt"), "x");
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  test("picks the adapter by input", async () => {
    expect(await openWorkbook(path.join(dir, "csv"))).toBeInstanceOf(CsvFolderWorkbook);
    expect(await openWorkbook(path.join(dir, "book.json"))).toBeInstanceOf(JsonWorkbook);
    expect(await workbookFormat(path.join(dir, "x.XLSX")).catch((e: Error) => e.message)).toMatch(
      /does not exist/
    );
  });

  test("errors name the path", async () => {
    await expect(openWorkbook(path.join(dir, "book.txt"))).rejects.toThrow(
      `Cannot open "${path.join(dir, "book.txt")}"`
    );
    await expect(openWorkbook(path.join(dir, "missing.json"))).rejects.toThrow(
      `The input "${path.join(dir, "missing.json")}" does not exist.`
    );
    await expect(
      openWorkbook(path.join(dir, "book.json"), path.join(dir, "out.csv"))
    ).rejects.toThrow("must be a .json file");
    await expect(openWorkbook(path.join(dir, "csv"), path.join(dir, "book.json"))).rejects.toThrow(
      "must be a folder"
    );
  });
});
