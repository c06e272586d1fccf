/** The cookie the browser sets with its IANA zone (components/ui/time-zone-cookie.tsx), read by pages and routes that compute days. */
export const TZ_COOKIE = "tz";

/** The zone named by a Cookie header, if any (validity is checked by whoever uses it). */
export function zoneFromCookieHeader(header: string | null): string | undefined {
  const m = header?.match(/(?:^|;\s*)tz=([^;]+)/);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}
