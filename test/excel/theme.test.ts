/** The pane's theme from Office.context.officeTheme (src/excel/taskpane/theme.ts). */
import { luminance, themeVariables } from "../../src/excel/taskpane/theme";

describe("themeVariables", () => {
  test("Office's dark theme (dark gray body) is dark, its colors become the pane's variables", () => {
    // Office's Dark Gray / Black themes: body #262626 / #000000 with white text (WCAG luminance 0.019 / 0).
    expect(
      themeVariables({
        bodyBackgroundColor: "#262626",
        bodyForegroundColor: "#FFFFFF",
        controlBackgroundColor: "#3b3b3b",
      })
    ).toEqual({
      theme: "dark",
      vars: { "--bg2": "#262626", "--fg1": "#FFFFFF", "--bg1": "#3b3b3b" },
    });
    expect(themeVariables({ bodyBackgroundColor: "#000000" })?.theme).toBe("dark");
  });

  test("Colorful / White themes are light; isDarkTheme, when the host gives it, decides", () => {
    expect(
      themeVariables({ bodyBackgroundColor: "#FFFFFF", bodyForegroundColor: "#000000" })?.theme
    ).toBe("light");
    expect(themeVariables({ bodyBackgroundColor: "#E6E6E6" })?.theme).toBe("light");
    expect(themeVariables({ bodyBackgroundColor: "#FFFFFF", isDarkTheme: true })?.theme).toBe(
      "dark"
    );
  });

  test("no theme, or colors that are not colors: nothing set (the CSS falls back to prefers-color-scheme)", () => {
    expect(themeVariables(undefined)).toBeNull();
    expect(themeVariables({})).toBeNull();
    expect(themeVariables({ bodyBackgroundColor: "dark" })).toBeNull();
    expect(themeVariables({ isDarkTheme: false, bodyBackgroundColor: "red" })).toEqual({
      theme: "light",
      vars: {},
    });
  });

  test("luminance: WCAG relative luminance of #rgb and #rrggbb", () => {
    expect(luminance("#fff")).toBeCloseTo(1, 10);
    expect(luminance("000000")).toBe(0);
    // sRGB 0x80 = 128/255 -> ((0.502 + 0.055) / 1.055)^2.4 = 0.2159
    expect(luminance("#808080")).toBeCloseTo(0.2159, 3);
  });
});
