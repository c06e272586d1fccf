import "server-only";
import type { z } from "zod";
import { database } from "../../db/index.ts";
import type { DB, Tx } from "../../db/client.ts";
import { savepoint } from "../../db/raw.ts";
import type { Actor } from "../audit.ts";
import type { ErrorCode } from "../errors.ts";
import type { Permission } from "../auth/permissions.ts";
import { guardedAs, refusalOf, type Refusal } from "../guard.ts";
import { apiKeyCaller, authenticateApiKey, noteKeyUsed } from "./keys.ts";
import { takeToken } from "./rate-limit.ts";
import { problemAnswer, responseOf, type ApiAnswer } from "./problem.ts";
import { headerValues, pathParams, queryValues, readJsonBody, type JsonBody } from "./request.ts";
import { claimIdempotencyKey, confirmClaim, giveBack, requestFingerprint, storeAnswer } from "./idempotency.ts";
import { scopeFor, type ApiScope } from "./scopes.ts";

type Parts = { path?: z.ZodType; query?: z.ZodType; headers?: z.ZodType; body?: z.ZodType };
export type OperationInput = z.ZodObject<{ [K in keyof Parts]?: z.ZodType }>;

/** One documented operation: the OpenAPI document (lib/api/v1/openapi.ts) and the handler are both made from this. */
export type ApiOperation<I extends OperationInput = OperationInput> = {
  id: string;
  method: "GET" | "POST";
  /** The OpenAPI path under /api/v1, e.g. "/orders/{number}/cancel". */
  path: string;
  summary: string;
  description: string;
  permission: Permission;
  input: I;
  success: { status: 200 | 201; description: string; schema: z.ZodType; location?: boolean };
  /** Problems this operation may answer besides those every operation may (400, 401, 403, 429, and 409/413/415/422 on POSTs). */
  problems: ErrorCode[];
};

export type ReadContext = { db: DB; instance: string };
/** A write runs inside one immediate transaction that also holds the Idempotency-Key claim and stores the answer. */
export type WriteContext = { tx: Tx; at: number; actor: Actor; instance: string; apiKeyId: number; idempotencyKey: string; body: JsonBody };

/** What the permission matrix and the contract test read off an API route handler. */
type ApiKeyAuthenticated = { readonly apiOperation: string; readonly apiKeyScope: ApiScope };
type RouteHandler = ((req: Request) => Promise<Response>) & ApiKeyAuthenticated;

/** Refusals from the guard or a DomainError as problem+json, with field paths split into body pointers and parameters. */
function refusalAnswer(r: Refusal, instance: string): ApiAnswer {
  const errors = r.issues?.map((i) => {
    const [part, name] = i.pointer.split("/").slice(1);
    if (part === "body") return { pointer: i.pointer.slice("/body".length), detail: i.message };
    if (part === "headers") return { header: name === "idempotency-key" ? "Idempotency-Key" : (name ?? ""), detail: i.message };
    return { parameter: name ?? part ?? "", detail: i.message };
  });
  const d = r.details ?? {};
  return problemAnswer(r.code, r.issues ? `The request does not match the API: ${r.issues.map((i) => `${i.pointer || "/"} ${i.message}`).join("; ")}` : r.message, {
    instance,
    errors,
    currentStatus: d.currentStatus as never,
    orderNumber: typeof d.orderNumber === "string" ? d.orderNumber : undefined,
  });
}

/**
 * The API-key transport onto the guard core: the key (401), its rate (429), for POSTs the media type (415),
 * size (413) and JSON (400); then guardedAs does the scope (403), the zod input (400) and the DomainError
 * mapping, and `run` answers. Everything answers problem+json on refusal.
 */
function apiHandler<I extends OperationInput>(
  op: ApiOperation<I>,
  run: (input: z.output<I>, c: { db: DB; instance: string; body: JsonBody | null; apiKeyId: number; write: <T>(fn: (tx: Tx, at: number) => T) => T; actor: Actor; req: Request }) => ApiAnswer & { replayed?: boolean },
): RouteHandler {
  const shape = op.input.shape as Parts;
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const instance = url.pathname;
    const db = database();
    const auth = authenticateApiKey(db, req.headers.get("authorization"));
    if (!auth.ok) {
      await req.body?.cancel().catch(() => {});
      return responseOf(problemAnswer("unauthenticated", auth.message, { instance }));
    }
    const rate = takeToken(auth.key.id, auth.key.rateLimitPerMinute);
    if (!rate.ok) {
      await req.body?.cancel().catch(() => {});
      const detail = `This API key may make ${rate.limit} requests a minute; retry in ${rate.retryAfterSeconds} s.`;
      return responseOf(problemAnswer("rate_limited", detail, { instance, headers: { "retry-after": String(rate.retryAfterSeconds), "ratelimit-limit": String(rate.limit), "ratelimit-remaining": "0" } }));
    }
    const limits = { "ratelimit-limit": String(rate.limit), "ratelimit-remaining": String(rate.remaining) };
    let body: JsonBody | null = null;
    if (op.method === "POST") {
      const read = await readJsonBody(req, instance);
      if (!read.ok) return responseOf(read.answer, limits);
      body = read.body;
    }
    const raw: Record<string, unknown> = {};
    if (shape.path) raw.path = pathParams(op.path, url.pathname) ?? {};
    if (shape.query) raw.query = queryValues(url, shape.query);
    if (shape.headers) raw.headers = headerValues(req.headers, shape.headers);
    if (shape.body) raw.body = body?.json;
    const caller = apiKeyCaller(auth.key);
    const answer = await guardedAs({ schema: op.input, permission: op.permission }, caller, raw, (input, ctx) => {
      noteKeyUsed(db, auth.key.id);
      return run(input, { db, instance, body, apiKeyId: auth.key.id, write: ctx.write, actor: ctx.actor, req });
    });
    if (!answer.ok) return responseOf(refusalAnswer(answer, instance), limits);
    return responseOf(answer.data, answer.data.replayed ? { ...limits, "idempotent-replayed": "true" } : limits);
  };
  return Object.assign(handler, { apiOperation: op.id, apiKeyScope: scopeFor(op.permission) });
}

/** A GET: the handler reads and answers. */
export function apiRead<I extends OperationInput>(op: ApiOperation<I>, read: (input: z.output<I>, ctx: ReadContext) => ApiAnswer): RouteHandler {
  return apiHandler(op, (input, c) => read(input, { db: c.db, instance: c.instance }));
}

/**
 * A POST under its Idempotency-Key: claimed in a short transaction of its own (so a concurrent request sees
 * it running), then the change, the claim check and the stored answer in ONE immediate transaction. A
 * refusal inside the change rolls back to a savepoint and is stored as the answer; a refusal before the
 * change (the key revoked meanwhile) gives the claim back.
 */
export function apiWrite<I extends OperationInput>(op: ApiOperation<I>, write: (input: z.output<I>, ctx: WriteContext) => ApiAnswer): RouteHandler {
  return apiHandler(op, (input, c) => {
    const idempotencyKey = (input as { headers: { "idempotency-key": string } }).headers["idempotency-key"];
    const ref = { apiKeyId: c.apiKeyId, key: idempotencyKey };
    const claim = claimIdempotencyKey(c.db, { ...ref, fingerprint: requestFingerprint("POST", c.instance, c.body?.json), now: Date.now() });
    if (claim.kind === "replay") return { ...claim.answer, replayed: true };
    if (claim.kind === "mismatch") {
      return problemAnswer("idempotency_mismatch", "This Idempotency-Key was used with a different request (method, path or body); use a new key for a new request.", { instance: c.instance });
    }
    if (claim.kind === "in_progress") {
      const detail = `The first request with this Idempotency-Key is still running; retry in ${claim.retryAfterSeconds} s for its response.`;
      return problemAnswer("idempotency_in_progress", detail, { instance: c.instance, headers: { "retry-after": String(claim.retryAfterSeconds) } });
    }
    const held = { ...ref, token: claim.token };
    try {
      return c.write((tx, at) => {
        confirmClaim(tx, held);
        let answer: ApiAnswer;
        try {
          answer = savepoint(tx, "api_request", () => write(input, { tx, at, actor: c.actor, instance: c.instance, apiKeyId: c.apiKeyId, idempotencyKey, body: c.body! }));
        } catch (error) {
          answer = refusalAnswer(refusalOf(error), c.instance);
        }
        storeAnswer(tx, held, answer, at);
        return answer;
      });
    } catch (error) {
      giveBack(c.db, held);
      throw error;
    }
  });
}
