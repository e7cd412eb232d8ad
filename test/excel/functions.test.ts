import { accountPairs } from "../../src/excel/functions/accounts";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";

describe("=INVT.ACCOUNTS", () => {
  test("returns the expected and actual pairs of rules.md section 2", () => {
    expect(accountPairs("Purchase", "Direct Cost")).toEqual([
      ["Inventory (Interim)", "Invt. Accrual (Interim)"],
      ["Inventory", "Direct Cost Applied"],
    ]);
    expect(accountPairs("positive_adjmt", "direct cost")).toEqual([
      ["Inventory (Interim)", "COGS (Interim)"],
      ["Inventory", "Inventory Adjmt."],
    ]);
    expect(accountPairs("Output", "Variance", "Material")).toEqual([
      ["", ""],
      ["Inventory", "Material Variance"],
    ]);
    expect(accountPairs("", "Direct Cost", "", "Assembly")).toEqual([
      ["", ""],
      ["Inventory Adjmt.", "Direct Cost Applied"],
    ]);
  });

  test("unknown options and invalid combinations are errors", () => {
    expect(() => accountPairs("Purchase", "Bogus")).toThrow(/not a valid Entry Type/);
    expect(() => accountPairs("Consumption", "Indirect Cost")).toThrow(/INVALID_COMBINATION/);
  });

  test("functions.json metadata: ACCOUNTS with two optional parameters and a matrix result", async () => {
    const result = await generateCustomFunctionsMetadata(
      ["src/excel/functions/functions.ts"],
      true
    );
    expect(result.errors).toEqual([]);
    const meta = JSON.parse(result.metadataJson);
    const f = meta.functions.find((x: { id: string }) => x.id === "ACCOUNTS");
    expect(f.name).toBe("ACCOUNTS");
    expect(f.result.dimensionality).toBe("matrix");
    expect(
      f.parameters.map((p: { name: string; optional?: boolean }) => [p.name, !!p.optional])
    ).toEqual([
      ["itemLedgerEntryType", false],
      ["entryType", false],
      ["varianceType", true],
      ["orderType", true],
    ]);
  });
});
