/**
 * Offline checks of manifest.xml (office-addin-manifest validate needs a network): well-formed XML
 * (xmllint), and the structure a shared-runtime Excel add-in with custom functions and ribbon commands needs.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DOMParser } from "@xmldom/xmldom";

const ROOT = path.resolve(__dirname, "../..");
const MANIFEST = path.join(ROOT, "manifest.xml");
const OV = "http://schemas.microsoft.com/office/taskpaneappversionoverrides";
const BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";
const BASE = "https://localhost:3000";

type El = Element;
const doc = new DOMParser().parseFromString(
  fs.readFileSync(MANIFEST, "utf8"),
  "text/xml"
) as unknown as Document;
const root = doc.documentElement;

function all(scope: El | Document, ns: string, tag: string): El[] {
  return Array.from(scope.getElementsByTagNameNS(ns, tag));
}
function kids(el: El, tag?: string): El[] {
  return Array.from(el.childNodes).filter(
    (n): n is El => n.nodeType === 1 && (tag === undefined || (n as El).localName === tag)
  );
}
function kid(el: El, tag: string): El {
  const k = kids(el, tag);
  if (k.length !== 1)
    throw new Error(`expected one <${tag}> in <${el.localName}>, found ${k.length}`);
  return k[0];
}
const xsiType = (el: El) => el.getAttributeNS(XSI, "type");

const vo = all(doc, OV, "VersionOverrides")[0];
const resources = kid(vo, "Resources");
function resourceMap(group: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const g of kids(resources, group))
    for (const r of kids(g)) {
      const id = r.getAttribute("id")!;
      if (m.has(id)) throw new Error(`resource ${id} defined twice`);
      m.set(id, r.getAttribute("DefaultValue")!);
    }
  return m;
}
const images = resourceMap("Images");
const urls = resourceMap("Urls");
const shortStrings = resourceMap("ShortStrings");
const longStrings = resourceMap("LongStrings");

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}
function localFile(url: string): string {
  expect(url.startsWith(BASE + "/")).toBe(true);
  return url.slice(BASE.length + 1);
}

describe("manifest.xml (offline)", () => {
  test("is well-formed XML (xmllint --noout)", () => {
    expect(() => execFileSync("xmllint", ["--noout", MANIFEST], { stdio: "pipe" })).not.toThrow();
  });

  test("is an Excel task pane add-in with the shared runtime requirement", () => {
    expect(root.localName).toBe("OfficeApp");
    expect(xsiType(root)).toBe("TaskPaneApp");
    const top = kids(root).map((e) => e.localName);
    const order = [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ];
    expect(top).toEqual(order);
    expect(kid(root, "Id").textContent).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
    );
    expect(kid(root, "Version").textContent).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(kids(kid(root, "Hosts"), "Host").map((h) => h.getAttribute("Name"))).toEqual([
      "Workbook",
    ]);
    const sets = kids(kid(kid(root, "Requirements"), "Sets"), "Set");
    expect(sets.map((s) => [s.getAttribute("Name"), s.getAttribute("MinVersion")])).toContainEqual([
      "SharedRuntime",
      "1.1",
    ]);
    expect(kid(root, "Permissions").textContent).toBe("ReadWriteDocument");
    expect(xsiType(vo)).toBe("VersionOverridesV1_0");
  });

  test("one runtime (lifetime long) hosts the task pane, the function file and the custom functions page", () => {
    const host = kids(kid(vo, "Hosts"), "Host");
    expect(host).toHaveLength(1);
    expect(xsiType(host[0])).toBe("Workbook");
    expect(kids(host[0]).map((e) => e.localName)).toEqual([
      "Runtimes",
      "AllFormFactors",
      "DesktopFormFactor",
    ]);
    const runtimes = kids(kid(host[0], "Runtimes"), "Runtime");
    expect(runtimes).toHaveLength(1);
    expect(runtimes[0].getAttribute("lifetime")).toBe("long");
    const runtime = runtimes[0].getAttribute("resid")!;
    expect(urls.get(runtime)).toBe(`${BASE}/taskpane.html`);
    expect(kid(kid(root, "DefaultSettings"), "SourceLocation").getAttribute("DefaultValue")).toBe(
      urls.get(runtime)
    );

    const cf = kids(kid(host[0], "AllFormFactors"), "ExtensionPoint").find(
      (e) => xsiType(e) === "CustomFunctions"
    )!;
    expect(kids(cf).map((e) => e.localName)).toEqual(["Script", "Page", "Metadata", "Namespace"]);
    expect(kid(kid(cf, "Page"), "SourceLocation").getAttribute("resid")).toBe(runtime);
    expect(urls.get(kid(kid(cf, "Script"), "SourceLocation").getAttribute("resid")!)).toBe(
      `${BASE}/taskpane.js`
    );
    expect(urls.get(kid(kid(cf, "Metadata"), "SourceLocation").getAttribute("resid")!)).toBe(
      `${BASE}/functions.json`
    );
    const ns = shortStrings.get(kid(cf, "Namespace").getAttribute("resid")!);
    expect(ns).toBe("INVT");

    const desktop = kid(host[0], "DesktopFormFactor");
    expect(kids(desktop).map((e) => e.localName)).toEqual([
      "GetStarted",
      "FunctionFile",
      "ExtensionPoint",
    ]);
    expect(kid(desktop, "FunctionFile").getAttribute("resid")).toBe(runtime);
  });

  test('the ribbon tab "Inventory Costing" has Post Cost to G/L, Test Report, Undo Last Run, Reconcile and Show Task Pane', () => {
    const tab = all(vo, OV, "CustomTab")[0];
    expect(shortStrings.get(kid(tab, "Label").getAttribute("resid")!)).toBe("Inventory Costing");
    const controls = all(tab, OV, "Control");
    const summary = controls.map((c) => {
      const action = kid(c, "Action");
      return [
        shortStrings.get(kid(c, "Label").getAttribute("resid")!),
        xsiType(action),
        xsiType(action) === "ExecuteFunction"
          ? kid(action, "FunctionName").textContent
          : urls.get(kid(action, "SourceLocation").getAttribute("resid")!),
      ];
    });
    expect(summary).toEqual([
      ["Post Cost to G/L", "ExecuteFunction", "postCostToGL"],
      ["Test Report", "ExecuteFunction", "testReport"],
      ["Undo Last Run", "ExecuteFunction", "undoLastRun"],
      ["Reconcile", "ExecuteFunction", "reconcile"],
      ["Trace", "ExecuteFunction", "traceSelection"],
      ["Show Task Pane", "ShowTaskpane", `${BASE}/taskpane.html`],
    ]);
    for (const c of controls) {
      expect(xsiType(c)).toBe("Button");
      expect(kids(c).map((e) => e.localName)).toEqual(["Label", "Supertip", "Icon", "Action"]);
      expect(kids(kid(c, "Icon")).map((i) => i.getAttribute("size"))).toEqual(["16", "32", "80"]);
      expect(longStrings.has(kid(kid(c, "Supertip"), "Description").getAttribute("resid")!)).toBe(
        true
      );
    }
    // The function names are the ones the commands module associates.
    const commands = fs.readFileSync(path.join(ROOT, "src/excel/commands/commands.ts"), "utf8");
    for (const [, , fn] of summary.slice(0, 5))
      expect(commands).toMatch(new RegExp(`associate\\(["']${fn}["']`));
  });

  test("every resid is defined, every id is unique, strings fit their limits", () => {
    const defined = new Set([
      ...images.keys(),
      ...urls.keys(),
      ...shortStrings.keys(),
      ...longStrings.keys(),
    ]);
    const used = Array.from(vo.getElementsByTagName("*"))
      .filter((e) => e.hasAttribute("resid"))
      .map((e) => e.getAttribute("resid")!);
    for (const r of used) expect(defined.has(r) ? r : `undefined resid ${r}`).toBe(r);
    for (const d of defined) expect(used.includes(d) ? d : `unused resource ${d}`).toBe(d);
    const ids = Array.from(vo.getElementsByTagName("*"))
      .filter((e) => e.hasAttribute("id") && e.namespaceURI !== BT)
      .map((e) => e.getAttribute("id"));
    expect(new Set(ids).size).toBe(ids.length);
    for (const [id, s] of shortStrings) expect([id, s.length <= 125]).toEqual([id, true]);
    for (const [id, s] of longStrings) expect([id, s.length <= 250]).toEqual([id, true]);
    for (const c of all(vo, OV, "Control")) {
      const label = shortStrings.get(kid(c, "Label").getAttribute("resid")!)!;
      expect(label.length).toBeLessThanOrEqual(32);
    }
  });

  test("icons exist in assets/ as PNGs of the stated size; every URL is on the dev server and its domain", () => {
    for (const [id, url] of images) {
      const file = path.join(ROOT, localFile(url));
      expect(fs.existsSync(file) ? id : `${id}: missing ${file}`).toBe(id);
      const size = Number(/(\d+)x\1$/.exec(id)?.[1] ?? NaN);
      expect(pngSize(file)).toEqual([size, size]);
    }
    for (const tag of ["IconUrl", "HighResolutionIconUrl"]) {
      const url = kid(root, tag).getAttribute("DefaultValue")!;
      const [w] = pngSize(path.join(ROOT, localFile(url)));
      expect(w).toBe(tag === "IconUrl" ? 32 : 64);
    }
    const domains = kids(kid(root, "AppDomains"), "AppDomain").map((d) => d.textContent);
    expect(domains).toEqual([BASE]);
    for (const url of [...urls.values(), ...images.values()])
      expect(url.startsWith(BASE + "/")).toBe(true);
    // The build emits what the URLs name (webpack.config.js: taskpane.html, taskpane.js, functions.json, assets/).
    // Read as tokens: quotes and line breaks are the formatter's.
    const config = fs
      .readFileSync(path.join(ROOT, "webpack.config.js"), "utf8")
      .replace(/\s+/g, " ")
      .replace(/"/g, "'");
    for (const name of [
      "taskpane.html",
      "functions.json",
      "filename: '[name].js'",
      "entry: { taskpane:",
      "assets/[name][ext]",
    ])
      expect(config).toContain(name);
  });
});
