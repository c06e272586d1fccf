import { DomainError } from "../errors.ts";
import type { SearchBackend } from "./backend.ts";

type BackendName = SearchBackend["name"];

/** The one refusal for a page cursor that is not one we gave out: a 400 that says what is wrong with it. */
export function invalidCursor(why: string): DomainError {
  return new DomainError("invalid_input", `The page cursor is not valid for this search (${why}); start again from the first page.`);
}

/** Cursors name their backend, so a page token from one backend is never fed to another. */
export function encodeCursor(backend: BackendName, after: string): string {
  return Buffer.from(JSON.stringify({ b: backend, a: after })).toString("base64url");
}

/**
 * The backend's own continuation token inside a cursor, or a refusal: not base64url, not a JSON
 * object of exactly { b, a }, another backend's, or an empty token. The backend then checks the token itself.
 */
export function decodeCursor(cursor: string, backend: BackendName): string {
  if (!/^[A-Za-z0-9_-]{1,500}$/.test(cursor)) throw invalidCursor("it is not base64url text");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor("it does not decode to JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidCursor("it is not an object");
  const keys = Object.keys(parsed).sort();
  if (keys.join(",") !== "a,b") throw invalidCursor(`it has keys ${keys.join(", ") || "none"}, not a and b`);
  const { a, b } = parsed as { a: unknown; b: unknown };
  if (b !== backend) throw invalidCursor(typeof b === "string" ? `it belongs to the ${b} backend, not ${backend}` : "its backend is not named");
  if (typeof a !== "string" || a.length === 0 || a.length > 200) throw invalidCursor("its position is not a token");
  return a;
}
