/**
 * The production build's manifest (`npm run build -- --env url=...`): scripts/manifest-url.js, the transform
 * webpack.config.js applies when copying manifest.xml to dist/, run directly on the real manifest.
 */
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { hostManifest } = require("../../scripts/manifest-url.js");

const manifest = fs.readFileSync(path.resolve(__dirname, "../../manifest.xml"), "utf8");

describe("hostManifest", () => {
  test("every dev-server URL becomes the hosted one; the AppDomain its origin", () => {
    const out: string = hostManifest(manifest, "https://contoso.example/addin/");
    expect(out).not.toMatch(/localhost/);
    expect(out).toContain(
      '<SourceLocation DefaultValue="https://contoso.example/addin/taskpane.html"/>'
    );
    expect(out).toContain(
      '<IconUrl DefaultValue="https://contoso.example/addin/assets/icon-32.png"/>'
    );
    expect(out).toContain("<AppDomain>https://contoso.example</AppDomain>");
    // Only the URLs change: the same number of https URLs, everything else byte for byte.
    const urls = (s: string) => s.match(/https:\/\/[^"<\s]*/g)?.length;
    expect(urls(out)).toBe(urls(manifest));
    expect(out.replace(/https:\/\/[^"<\s]*/g, "U")).toBe(
      manifest.replace(/https:\/\/[^"<\s]*/g, "U")
    );
  });

  test("a URL without the trailing slash gets one; no url leaves the dev manifest as it is", () => {
    expect(
      hostManifest('<a b="https://localhost:3000/taskpane.html"/>', "https://contoso.example/addin")
    ).toBe('<a b="https://contoso.example/addin/taskpane.html"/>');
    expect(hostManifest(manifest, undefined)).toBe(manifest);
  });

  test("http or a relative URL is refused", () => {
    expect(() => hostManifest(manifest, "http://contoso.example/")).toThrow(/https only/);
    expect(() => hostManifest(manifest, "addin/")).toThrow(/not an absolute URL/);
  });
});
