/**
 * Builds the add-in (default) or the try page (--env try).
 *
 *   webpack --mode production            dist/: taskpane.html + taskpane.js (task pane, ribbon commands and
 *                                         custom functions in one bundle for the shared runtime),
 *                                         functions.json, taskpane.css, manifest.xml, assets/
 *   webpack --mode development --env try  dist/try/: the same task pane and adapter against the fake Excel
 *                                         (Office.js stubbed, exceljs's browser build for .xlsx)
 *   webpack --mode production --env url=https://contoso.example/addin/
 *                                         the same, with dist/manifest.xml pointing at the hosted URL
 *   webpack serve --mode development      https://localhost:3000 for sideloading (office-addin-dev-certs)
 *   Both builds emit help.html (the README's user sections, scripts/build-help.js).
 */
const path = require("path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const { hostManifest } = require("./scripts/manifest-url");
const { helpHtml } = require("./scripts/build-help");

const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

function common(mode) {
  return {
    mode,
    devtool: mode === "production" ? "source-map" : "eval-cheap-module-source-map",
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              configFile: "tsconfig.excel.json",
              transpileOnly: true,
              compilerOptions: { noEmit: false, module: "es2020", sourceMap: true },
            },
          },
        },
      ],
    },
    performance: { hints: false },
  };
}

/** help.html from the README's user sections (scripts/build-help.js), rebuilt when the README changes. */
const helpPage = {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("HelpPage", (compilation) => {
      const readme = path.resolve(__dirname, "README.md");
      compilation.fileDependencies.add(readme);
      compilation.hooks.processAssets.tap(
        { name: "HelpPage", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          compilation.emitAsset(
            "help.html",
            new compiler.webpack.sources.RawSource(
              helpHtml(require("fs").readFileSync(readme, "utf8"))
            )
          );
        }
      );
    });
  },
};

async function devServer() {
  let server = { type: "https" };
  // scripts/dev-server.js on Linux: its own certificate in <project>/.dev-certs ('none': webpack's self-signed).
  const dir = process.env.GLPOST_DEV_CERT_DIR;
  if (dir === "none")
    return {
      port: 3000,
      server,
      headers: { "Access-Control-Allow-Origin": "*" },
      static: { directory: path.resolve(__dirname, "dist") },
    };
  if (dir) {
    const read = (f) => require("fs").readFileSync(path.join(dir, f));
    server = {
      type: "https",
      options: { ca: read("ca.crt"), cert: read("localhost.crt"), key: read("localhost.key") },
    };
    return {
      port: 3000,
      server,
      headers: { "Access-Control-Allow-Origin": "*" },
      static: { directory: path.resolve(__dirname, "dist") },
    };
  }
  try {
    const devCerts = require("office-addin-dev-certs");
    server = { type: "https", options: await devCerts.getHttpsServerOptions() };
  } catch (e) {
    console.warn("office-addin-dev-certs unavailable: serving with a self-signed certificate.");
  }
  return {
    port: 3000,
    server,
    headers: { "Access-Control-Allow-Origin": "*" },
    static: { directory: path.resolve(__dirname, "dist") },
  };
}

module.exports = async (env = {}, argv = {}) => {
  const mode = argv.mode || "development";
  if (env.try) {
    return {
      ...common(mode),
      entry: { try: "./test/excel/try/try.ts" },
      output: { path: path.resolve(__dirname, "dist/try"), filename: "[name].js", clean: true },
      plugins: [
        new HtmlWebpackPlugin({
          filename: "index.html",
          template: "./src/excel/taskpane/taskpane.html",
          title: "Try Inventory Cost to G/L",
          officeJs: "",
          tryPage: true,
          chunks: ["try"],
        }),
        new CopyWebpackPlugin({
          patterns: [
            { from: "src/excel/taskpane/taskpane.css", to: "taskpane.css" },
            { from: "test/excel/try/try.css", to: "try.css" },
            { from: "assets/*.png", to: "assets/[name][ext]" },
          ],
        }),
        helpPage,
        {
          // The try page links try.css after taskpane.css.
          apply(compiler) {
            compiler.hooks.compilation.tap("TryCss", (compilation) => {
              HtmlWebpackPlugin.getHooks(compilation).beforeEmit.tap("TryCss", (data) => {
                data.html = data.html.replace(
                  /<link rel="stylesheet" href="taskpane.css"\s*\/?>/,
                  '<link rel="stylesheet" href="taskpane.css" /><link rel="stylesheet" href="try.css" />'
                );
                return data;
              });
            });
          },
        },
      ],
    };
  }
  return {
    ...common(mode),
    entry: {
      taskpane: [
        "./src/excel/taskpane/taskpane.ts",
        "./src/excel/commands/commands.ts",
        "./src/excel/functions/functions.ts",
      ],
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: { keep: /^try\// },
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        output: "functions.json",
        input: "./src/excel/functions/functions.ts",
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/excel/taskpane/taskpane.html",
        title: "Inventory Cost to G/L",
        officeJs: OFFICE_JS,
        tryPage: false,
        chunks: ["taskpane"],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "src/excel/taskpane/taskpane.css", to: "taskpane.css" },
          { from: "assets/*.png", to: "assets/[name][ext]" },
          // --env url=https://host/path/: the manifest's dev-server URLs replaced by where dist/ is hosted.
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => hostManifest(content.toString(), env.url),
          },
        ],
      }),
      helpPage,
    ],
    devServer: env.WEBPACK_SERVE ? await devServer() : undefined,
  };
};
