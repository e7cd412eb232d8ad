// ESLint for the whole tree: typescript-eslint's recommended rules, the Office.js rules of
// eslint-plugin-office-addins on the add-in code, and eslint-config-prettier last (layout is Prettier's:
// office-addin-prettier-config, `npm run format`). Every rule switched off says why.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import officeAddins from "eslint-plugin-office-addins";
import prettier from "eslint-config-prettier";
import globals from "globals";

export default tseslint.config(
  {
    ignores: ["dist/", "lib/", "out/", "coverage/", "node_modules/", "test/fixtures/", "samples/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are errors, except a leading underscore (an argument an interface requires).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // The add-in runs in the browser (task pane, ribbon, custom functions); so do the fake Excel and the try page.
    files: ["src/excel/**/*.ts", "test/excel/fake/**/*.ts", "test/excel/try/**/*.ts"],
    languageOptions: {
      globals: {
        ...globals.browser,
        Office: "readonly",
        Excel: "readonly",
        OfficeRuntime: "readonly",
        CustomFunctions: "readonly",
      },
    },
  },
  {
    files: ["src/excel/**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: {
      "office-addins/call-sync-after-load": "error",
      "office-addins/call-sync-before-read": "error",
      "office-addins/load-object-before-read": "error",
      "office-addins/no-context-sync-in-loop": "error",
      "office-addins/no-empty-load": "error",
      "office-addins/no-navigational-load": "error",
      "office-addins/no-office-initialize": "error",
      "office-addins/test-for-null-using-isNullObject": "error",
    },
  },
  {
    // CommonJS scripts and the test children (require, module.exports).
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    languageOptions: { globals: { ...globals.jest } },
  },
  prettier
);
