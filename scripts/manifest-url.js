/**
 * The production manifest: every dev-server URL (https://localhost:3000/...) replaced by where dist/ is hosted,
 * as the Office templates' webpack config does (`npm run build -- --env url=https://contoso.example/addin/`).
 * The AppDomain (an origin, no path) becomes the hosted URL's origin.
 */
const DEV_URL = "https://localhost:3000/";
const DEV_ORIGIN = "https://localhost:3000";

/** The hosted URL as the manifest needs it: absolute https, ending in a slash. */
function normalizeUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--env url=${url}: not an absolute URL (e.g. https://contoso.example/addin/)`);
  }
  if (u.protocol !== "https:")
    throw new Error(`--env url=${url}: Office loads add-ins over https only`);
  return u.href.endsWith("/") ? u.href : `${u.href}/`;
}

/** manifest.xml's text with the dev-server URLs replaced; unchanged when url is undefined (a dev build). */
function hostManifest(xml, url) {
  if (url === undefined || url === "" || url === true) return xml;
  const base = normalizeUrl(String(url));
  const origin = new URL(base).origin;
  return xml.split(DEV_URL).join(base).split(DEV_ORIGIN).join(origin);
}

module.exports = { hostManifest, normalizeUrl, DEV_URL };
