import { HTTP_STATUS, type ErrorCode } from "../errors.ts";
import type { ProblemView } from "./v1/schemas.ts";

/** What an API handler answers, already serialised: stored as is for idempotent replays, byte for byte. */
export type ApiAnswer = { status: number; headers: Record<string, string>; body: string };

export const PROBLEM_JSON = "application/problem+json";

/** One title per error code; the type URI names the code (RFC 9457 §3.1: a tag URI, stable, not meant to be fetched). */
export const PROBLEM_TITLES: Record<ErrorCode, string> = {
  unauthenticated: "Missing, unknown or revoked API key",
  forbidden: "The API key lacks the scope for this",
  invalid_input: "The request is malformed",
  invalid_transition: "The order's status does not allow this",
  conflict: "The order changed or is in a state that refuses this",
  not_found: "No such order",
  insufficient_stock: "Not enough stock",
  rate_limited: "Too many requests for this API key",
  unprocessable: "The request cannot be applied as sent",
  idempotency_mismatch: "Idempotency-Key reused with a different request",
  idempotency_in_progress: "A request with this Idempotency-Key is still running",
  payload_too_large: "The body is too large",
  unsupported_media_type: "The body must be application/json",
  method_not_allowed: "This path does not answer that method",
};

export const problemType = (code: ErrorCode) => `tag:switchyard.dev,2026:problems/${code}`;

export function problemAnswer(
  code: ErrorCode,
  detail: string,
  o: { instance: string; errors?: ProblemView["errors"]; currentStatus?: ProblemView["current_status"]; orderNumber?: string; headers?: Record<string, string> },
): ApiAnswer {
  const status = HTTP_STATUS[code];
  const body: ProblemView = {
    type: problemType(code),
    title: PROBLEM_TITLES[code],
    status,
    detail,
    instance: o.instance,
    code,
    ...(o.errors?.length ? { errors: o.errors } : {}),
    ...(o.currentStatus ? { current_status: o.currentStatus } : {}),
    ...(o.orderNumber ? { order_number: o.orderNumber } : {}),
  };
  const headers: Record<string, string> = { "content-type": PROBLEM_JSON, ...o.headers };
  if (code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="switchyard"';
  return { status, headers, body: JSON.stringify(body) };
}

export function jsonAnswer(status: number, data: unknown, headers: Record<string, string> = {}): ApiAnswer {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(data) };
}

export function responseOf(answer: ApiAnswer, extra: Record<string, string> = {}): Response {
  return new Response(answer.body, { status: answer.status, headers: { ...answer.headers, ...extra } });
}
