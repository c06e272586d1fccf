/** Where sign-in lands when the place asked for is missing or not ours. */
export const AFTER_SIGN_IN = "/orders";

/** Tabs and line breaks are dropped by browsers inside URLs, so they cannot hide a second slash. */
const DROPPED_BY_BROWSERS = /[\t\n\r]/g;

function decodedOnce(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The same-origin path (with its query and hash) that `raw` names, else AFTER_SIGN_IN. `raw` is parsed
 * the way a browser parses it (tabs and newlines dropped, "\" read as "/"), so "/\evil.test",
 * "/\t/evil.test" or "https://evil.test" can never send a freshly signed-in browser off-site.
 */
export function safeCallbackPath(raw: unknown, origin: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return AFTER_SIGN_IN;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return AFTER_SIGN_IN;
  }
  if (url.origin !== base.origin) return AFTER_SIGN_IN;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.test" resolves to the path "//evil.test", which a browser reads as another host; an
  // encoded "/%2F%2Fevil.test" is refused too, in case anything downstream decodes it once more.
  for (const candidate of [path, decodedOnce(path)]) {
    const bare = candidate.replace(DROPPED_BY_BROWSERS, "");
    if (!bare.startsWith("/") || bare.startsWith("//") || bare.startsWith("/\\")) return AFTER_SIGN_IN;
  }
  return path;
}
