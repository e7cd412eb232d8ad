/**
 * scripts/dev-server.js on Linux: the dev server's certificate made with openssl in a folder of the project
 * (not the home folder, where office-addin-dev-certs would write), and the message saying how to trust it.
 */
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeCertificates, linuxHelp } = require("../../scripts/dev-server.js");

test("a CA and a localhost certificate it signs, written only to the folder given", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invt-certs-"));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "invt-home-"));
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    makeCertificates(dir);
  } finally {
    process.env.HOME = saved;
  }
  const ca = new X509Certificate(fs.readFileSync(path.join(dir, "ca.crt")));
  const leaf = new X509Certificate(fs.readFileSync(path.join(dir, "localhost.crt")));
  expect(leaf.checkIssued(ca)).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
  expect(leaf.subjectAltName).toMatch(/DNS:localhost/);
  expect(leaf.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
  expect(fs.existsSync(path.join(dir, "localhost.key"))).toBe(true);
  expect(fs.readdirSync(home)).toEqual([]);

  // A second start keeps the certificate (the browser trusts that CA), while it is valid for another day.
  const before = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
  makeCertificates(dir);
  expect(fs.readFileSync(path.join(dir, "ca.crt"), "utf8")).toBe(before);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

test("the Linux message names the CA file, how to trust it, and Excel on the web's upload path", () => {
  const text: string = linuxHelp("/p/.dev-certs");
  expect(text).toContain("/p/.dev-certs/ca.crt");
  expect(text).toMatch(/Chrome, Edge, Chromium/);
  expect(text).toMatch(/Firefox/);
  expect(text).toContain("Home > Add-ins > More Settings, then Upload My Add-in");
  expect(text).toContain("GLPOST_DEV_CERTS=home");
});
