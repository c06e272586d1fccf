import { z } from "zod";
import { readCapped } from "../intake/body.ts";
import { problemAnswer, type ApiAnswer } from "./problem.ts";

/** The largest request body the API reads (100 lines of an order are a few KB); past it, 413 before parsing. */
export const API_MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export type JsonBody = { text: string; json: unknown };

/** Content type (415), size (413), UTF-8 JSON (400): the body is read once and kept as sent, for the intake's raw record. */
export async function readJsonBody(req: Request, instance: string): Promise<{ ok: true; body: JsonBody } | { ok: false; answer: ApiAnswer }> {
  const [type, ...params] = (req.headers.get("content-type") ?? "").split(";").map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replaceAll('"', "");
  if (type !== "application/json" || (charset !== undefined && charset !== "utf-8")) {
    await req.body?.cancel().catch(() => {});
    return { ok: false, answer: problemAnswer("unsupported_media_type", `Send the body as application/json (UTF-8), not ${req.headers.get("content-type") ?? "without a Content-Type"}.`, { instance }) };
  }
  const bytes = await readCapped(req, API_MAX_BODY_BYTES);
  if (bytes === null) return { ok: false, answer: problemAnswer("payload_too_large", `The body is larger than ${API_MAX_BODY_BYTES / 1024} KB.`, { instance }) };
  let text: string;
  try {
    text = utf8.decode(bytes);
    return { ok: true, body: { text, json: JSON.parse(text) as unknown } };
  } catch (error) {
    return { ok: false, answer: problemAnswer("invalid_input", `The body is not UTF-8 JSON: ${(error as Error).message}`, { instance, errors: [{ pointer: "", detail: "Not valid JSON." }] }) };
  }
}

/** The path parameters of an OpenAPI path template ("/orders/{number}") in a request path, or null when it does not match. */
export function pathParams(template: string, pathname: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = new RegExp(`^/api/v1${template.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)"))}/?$`);
  const m = pattern.exec(pathname);
  if (!m) return null;
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
  } catch {
    return Object.fromEntries(names.map((n, i) => [n, m[i + 1]!]));
  }
}

/**
 * Query parameters as JSON values for the schema: a parameter the schema types as an integer is read as one
 * when it is written as one; a repeated parameter stays a list, so a single-valued schema refuses it.
 */
export function queryValues(url: URL, schema: z.ZodType | undefined): Record<string, unknown> {
  const { integers } = propertiesOf(schema);
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key).map((v) => (integers.has(key) && /^-?\d{1,15}$/.test(v) ? Number(v) : v));
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Only the headers the schema names, lower-cased, so the guard validates them like any other input. */
export function headerValues(headers: Headers, schema: z.ZodType | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of propertiesOf(schema).names) {
    const v = headers.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}

const cache = new WeakMap<z.ZodType, { names: string[]; integers: Set<string> }>();

/** A parameter object's property names and which of them are integers, read from its JSON Schema once. */
function propertiesOf(schema: z.ZodType | undefined): { names: string[]; integers: Set<string> } {
  if (!schema) return { names: [], integers: new Set() };
  let found = cache.get(schema);
  if (!found) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, { type?: string }> };
    const entries = Object.entries(json.properties ?? {});
    found = { names: entries.map(([k]) => k), integers: new Set(entries.filter(([, p]) => p.type === "integer").map(([k]) => k)) };
    cache.set(schema, found);
  }
  return found;
}
