import { z } from "zod";
import { HTTP_STATUS, type ErrorCode } from "../../errors.ts";
import { PROBLEM_JSON, PROBLEM_TITLES, problemType } from "../problem.ts";
import { API_SCOPES, SCOPE_LABELS, scopeFor } from "../scopes.ts";
import { IDEMPOTENCY_TTL_MS } from "../idempotency.ts";
import { API_MAX_BODY_BYTES } from "../request.ts";
import type { ApiOperation } from "../operation.ts";
import { OPERATIONS } from "./operations.ts";
import { Problem } from "./schemas.ts";

type Json = Record<string, unknown>;

/** Every operation may answer these; POSTs also the body and Idempotency-Key ones. */
const EVERY: ErrorCode[] = ["invalid_input", "unauthenticated", "forbidden", "rate_limited"];
const POSTS: ErrorCode[] = ["idempotency_in_progress", "payload_too_large", "unsupported_media_type", "idempotency_mismatch"];

/**
 * The OpenAPI 3.1 document, generated from the operations table and the zod schemas the handlers validate
 * with (z.toJSONSchema, JSON Schema 2020-12): request schemas as the handlers read them (io "input"),
 * response schemas as they are written (io "output"). Named schemas (.meta({ id })) become components.
 */
export function openApiDocument(): Json {
  const components: Record<string, Json> = {};
  const schema = (s: z.ZodType, io: "input" | "output"): Json => {
    const json = z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "throw" }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    for (const [id, def] of Object.entries(defs)) components[id] = refs(def) as Json;
    return refs(json) as Json;
  };
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of Object.values(OPERATIONS) as ApiOperation[]) {
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation(op, schema);
  }
  schema(Problem, "output");
  return {
    openapi: "3.1.0",
    info: { title: "Switchyard orders API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    tags: [{ name: "orders", description: "Place, read, pay and cancel orders." }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: `An API key an admin created under /admin/api-keys, as \`Authorization: Bearer sy_…\`. Scopes: ${API_SCOPES.map((s) => `\`${s}\` (${SCOPE_LABELS[s]})`).join(", ")}.`,
        },
      },
    },
  };
}

/** `#/$defs/X` → `#/components/schemas/X`. */
function refs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(refs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", "#/components/schemas/") : refs(v)]),
  );
}

function operation(op: ApiOperation, schema: (s: z.ZodType, io: "input" | "output") => Json): Json {
  const shape = op.input.shape as Record<string, z.ZodType | undefined>;
  const parameters: Json[] = [];
  for (const [part, where] of [["path", "path"], ["query", "query"], ["headers", "header"]] as const) {
    const s = shape[part];
    if (!s) continue;
    const json = schema(s, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      parameters.push({
        name: where === "header" ? headerName(name) : name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        ...(typeof prop.description === "string" ? { description: prop.description } : {}),
        schema: prop,
      });
    }
  }
  const rateHeaders = {
    "RateLimit-Limit": { description: "Requests a minute this key may make.", schema: { type: "integer" } },
    "RateLimit-Remaining": { description: "Requests left in the current minute.", schema: { type: "integer" } },
  };
  const responses: Record<string, Json> = {
    [op.success.status]: {
      description: op.success.description,
      headers: {
        ...rateHeaders,
        ...(op.success.location ? { Location: { required: true, description: "The order's URL.", schema: { type: "string" } } } : {}),
        ...(op.method === "POST" ? { "Idempotent-Replayed": { description: "`true` when this is the stored first response to the same Idempotency-Key and body.", schema: { type: "string", enum: ["true"] } } } : {}),
      },
      content: { "application/json": { schema: schema(op.success.schema, "output") } },
    },
  };
  const codes = [...EVERY, ...(op.method === "POST" ? POSTS : []), ...op.problems];
  for (const status of [...new Set(codes.map((c) => HTTP_STATUS[c]))].sort()) {
    const here = [...new Set(codes.filter((c) => HTTP_STATUS[c] === status))];
    const headers: Json = {};
    if (here.includes("rate_limited") || here.includes("idempotency_in_progress")) headers["Retry-After"] = { required: here.every((c) => c === "rate_limited" || c === "idempotency_in_progress"), description: "Seconds to wait.", schema: { type: "string" } };
    if (here.includes("unauthenticated")) headers["WWW-Authenticate"] = { required: true, schema: { type: "string" } };
    responses[String(status)] = {
      description: here.map((c) => `\`${c}\`: ${PROBLEM_TITLES[c]}`).join("; "),
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { [PROBLEM_JSON]: { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  return {
    operationId: op.id,
    summary: op.summary,
    description: `${op.description}\n\nNeeds the \`${scopeFor(op.permission)}\` scope.`,
    tags: ["orders"],
    security: [{ apiKey: [scopeFor(op.permission)] }],
    ...(parameters.length ? { parameters } : {}),
    ...(shape.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(shape.body, "input") } } } } : {}),
    responses,
  };
}

const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

const DESCRIPTION = `Place, read, pay and cancel orders from a checkout or support tool.

**Authentication.** \`Authorization: Bearer <API key>\`. A missing, unknown or revoked key is a 401; a key without the operation's scope a 403. Neither writes anything. Each key has a rate limit (requests a minute); past it, 429 with \`Retry-After\`.

**Idempotency.** Every POST needs an \`Idempotency-Key\` header (400 without). The same key with the same method, path and body answers the first response again, byte for byte, with \`Idempotent-Replayed: true\`; with a different request it is a 422 (\`idempotency_mismatch\`); while the first request still runs, a 409 (\`idempotency_in_progress\`) with \`Retry-After\`. The response is stored in the same transaction as the change. Keys are kept ${IDEMPOTENCY_TTL_MS / 3_600_000} hours per API key. Requests refused before the change ran (401, 403, 400, 413, 415, 429) are not stored: fix and retry with the same key.

**Money** is integer minor units (cents) in the order's currency (ISO 4217); prices come from the catalogue.

**Errors** are RFC 9457 \`application/problem+json\`: \`type\` (\`${problemType("unprocessable")}\` and so on), \`title\`, \`status\`, \`detail\`, \`code\`, and \`errors[]\` with a JSON pointer into the body (or the parameter or header) for each field at fault.

**Pagination** is by keyset: pass \`next_cursor\` as \`cursor\`. Orders placed while you page never shift or repeat a page.

Bodies are at most ${API_MAX_BODY_BYTES / 1024} KB of \`application/json\`.`;
