// URL normalisation before routing (spec §1.1, §1.2, §7 item 5):
// - `/v2/<collection>/…` + `X-Project-Id: P` → `/v2/P/<collection>/…` (the header form);
// - a `.json` suffix is dropped (JSON is the only format);
// - the singular spellings used in the guide's Location headers (`browse-request`,
//   `vault-encryption-request`, `vault-password-verification-request`) reach the plural routes.
import { COLLECTIONS } from "../projectIds.js";

/** Rewrites a raw request URL as described above. */
export function rewriteUrl(url: string, projectHeader: string | string[] | undefined): string {
  const q = url.indexOf("?");
  let path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q);
  if (path.startsWith("/v2/")) path = path.replace(/\.json$/i, "");
  path = path.replace(/\/(browse|vault-encryption|vault-password-verification)-request(?=\/|$)/g, "/$1-requests");
  const header = Array.isArray(projectHeader) ? projectHeader[0] : projectHeader;
  if (header !== undefined && header.length > 0) {
    const m = /^\/v2\/([^/]+)(?:\/|$)/.exec(path);
    if (m !== null && COLLECTIONS.has(m[1] ?? "") && m[1] !== header) path = `/v2/${encodeURIComponent(header)}${path.slice(3)}`;
  }
  return path + query;
}
