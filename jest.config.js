/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // tsconfig.json sets isolatedModules: ts-jest transpiles per file; type-checking happens once in
    // `npm test` (tsc --noEmit), not per test file.
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    // hyparquet and hyparquet-writer are ESM only. Plain Node (20.19+) loads them with require(esm), which is
    // what the compiled CLI does; jest's CommonJS module system does not, so their .js files are transpiled to
    // CommonJS here (ts-jest with allowJs, per file), the way the project's own .ts files are.
    "/node_modules/hyparquet(-writer)?/src/.+\\.js$": [
      "ts-jest",
      { tsconfig: { allowJs: true, isolatedModules: true, module: "commonjs", target: "ES2022" } },
    ],
  },
  // Default ["/node_modules/"] except those two packages (above).
  transformIgnorePatterns: ["/node_modules/(?!hyparquet/|hyparquet-writer/)"],
  moduleNameMapper: {
    // office-addin-mock pulls ESM-only deps through office-addin-manifest's index (toolchain.md).
    "^office-addin-manifest$": "<rootDir>/node_modules/office-addin-manifest/lib/officeApp.js",
  },
  testTimeout: 60000,
};
