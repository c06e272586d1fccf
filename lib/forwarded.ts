import { isIP } from "node:net";
import { env } from "./env.ts";

/** The client address when it cannot be known: every such visitor shares it. */
export const UNKNOWN_ADDRESS = "direct";

/** Request headers as a Fetch Headers object or as next-auth's plain object of lower-cased names. */
export type HeaderSource = Headers | Record<string, unknown>;

function header(headers: HeaderSource | undefined, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "string" ? value : null;
}

/** The entry `hops` places from the right of a comma list: the one our nearest trusted proxy wrote. */
function fromTrustedProxy(value: string | null, hops: number): string | null {
  const entries = (value ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)] ?? null;
}

function normaliseAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = a.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return isIP(a) ? a : null;
}

/**
 * Who is asking, for throttling sign-ins. Without TRUST_PROXY forwarded headers are ignored (a client
 * could rotate them freely) and, as route handlers see no socket, every caller is UNKNOWN_ADDRESS.
 */
export function clientAddress(headers: HeaderSource | undefined, hops: number = env().TRUST_PROXY): string {
  if (hops <= 0) return UNKNOWN_ADDRESS;
  const picked = fromTrustedProxy(header(headers, "x-forwarded-for"), hops);
  return (picked && normaliseAddress(picked)) ?? UNKNOWN_ADDRESS;
}

/** Whether the visitor reached us over HTTPS: our public URL says so, or a trusted proxy does. */
export function servedOverHttps(headers: HeaderSource | undefined, e: { NEXTAUTH_URL: string; TRUST_PROXY: number } = env()): boolean {
  if (e.NEXTAUTH_URL.startsWith("https://")) return true;
  if (e.TRUST_PROXY <= 0) return false;
  return fromTrustedProxy(header(headers, "x-forwarded-proto"), e.TRUST_PROXY)?.toLowerCase() === "https";
}
