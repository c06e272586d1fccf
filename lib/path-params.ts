/**
 * A URL path segment decoded, or null when it is not valid percent-encoding ("%FF", "%E0%A4"), so a
 * malformed address answers 404 instead of throwing URIError into a bare 500.
 */
export function decodePathParam(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** True when every segment of the path is valid percent-encoding (Next.js answers a bare 500 otherwise). */
export function isDecodablePath(pathname: string): boolean {
  return pathname.split("/").every((segment) => decodePathParam(segment) !== null);
}
