#!/usr/bin/env node
/**
 * `npm run dev-server`: webpack serve on https://localhost:3000. On Windows and Mac, office-addin-dev-certs
 * makes and trusts the certificate as the Office templates do (in ~/.office-addin-dev-certs). On Linux that
 * package would write to the home folder and run `sudo` to install its CA, so instead the certificate is made
 * here with openssl in <project>/.dev-certs (unless GLPOST_DEV_CERTS=home asks for office-addin-dev-certs) and
 * the steps to trust it for Excel on the web are printed. Arguments after `--` go to webpack serve.
 */
const { spawnSync, spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const CERT_DIR = path.join(ROOT, ".dev-certs");

/** A CA and a localhost certificate it signs (valid 30 days, as office-addin-dev-certs makes them). */
function makeCertificates(dir) {
  const files = ["ca.crt", "localhost.crt", "localhost.key"].map((f) => path.join(dir, f));
  const fresh =
    files.every((f) => fs.existsSync(f)) &&
    spawnSync("openssl", ["x509", "-checkend", "86400", "-noout", "-in", files[1]]).status === 0;
  if (fresh) return;
  fs.mkdirSync(dir, { recursive: true });
  const run = (args) => {
    const r = spawnSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    if (r.error || r.status !== 0)
      throw new Error(
        `openssl ${args[0]} failed: ${r.error ? r.error.message : r.stderr.toString()}`
      );
  };
  run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "30",
    "-subj",
    "/CN=Inventory Cost to GL dev CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
  ]);
  run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "localhost.key",
    "-out",
    "localhost.csr",
  ]);
  fs.writeFileSync(
    path.join(dir, "localhost.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
  );
  run([
    "x509",
    "-req",
    "-in",
    "localhost.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "30",
    "-extfile",
    "localhost.ext",
    "-out",
    "localhost.crt",
  ]);
}

function linuxHelp(dir) {
  const ca = path.join(dir, "ca.crt");
  return [
    "",
    "Excel on the web loads the add-in from https://localhost:3000 inside its page: the browser must trust the certificate.",
    `  The development CA is ${ca} (made here, valid 30 days; nothing was written to your home folder).`,
    "  Chrome, Edge, Chromium (Linux): Settings > Privacy and security > Security > Manage certificates >",
    `    Authorities > Import, choose ${ca}, tick "Trust this certificate for identifying websites".`,
    `    Or from a shell (this writes to ~/.pki/nssdb): certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Inventory Cost to GL dev CA" -i '${ca}'`,
    `  Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import, choose ${ca}.`,
    "  Then restart the browser, open https://localhost:3000/taskpane.html once to check it loads without a warning,",
    "  and in Excel on the web: Home > Add-ins > More Settings, then Upload My Add-in and choose manifest.xml.",
    "  GLPOST_DEV_CERTS=home npm run dev-server uses office-addin-dev-certs instead (~/.office-addin-dev-certs, sudo to install).",
    "",
  ].join("\n");
}

function main() {
  const env = { ...process.env };
  if (process.platform === "linux" && env.GLPOST_DEV_CERTS !== "home") {
    try {
      makeCertificates(CERT_DIR);
      env.GLPOST_DEV_CERT_DIR = CERT_DIR;
      console.log(linuxHelp(CERT_DIR));
    } catch (e) {
      console.warn(
        `Could not make a certificate with openssl (${e.message}): webpack serves with its own self-signed one.`
      );
      env.GLPOST_DEV_CERT_DIR = "none";
    }
  }
  const webpackCli = require.resolve("webpack-cli/bin/cli.js");
  const child = spawn(
    process.execPath,
    [webpackCli, "serve", "--mode", "development", ...process.argv.slice(2)],
    { stdio: "inherit", env, cwd: ROOT }
  );
  child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => child.kill(s));
}

module.exports = { makeCertificates, linuxHelp };

if (require.main === module) main();
