/** The closed set of failures the UI and the API switch on. */
export const ERROR_CODES = [
  "unauthenticated",
  "forbidden",
  "invalid_input",
  "invalid_transition",
  "conflict",
  "not_found",
  "insufficient_stock",
  "rate_limited",
  // The orders API's own refusals (problem+json); the dashboard never produces them.
  "unprocessable",
  "idempotency_mismatch",
  "idempotency_in_progress",
  "payload_too_large",
  "unsupported_media_type",
  "method_not_allowed",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One HTTP status per code, for route handlers. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 400,
  invalid_transition: 409,
  conflict: 409,
  not_found: 404,
  insufficient_stock: 409,
  rate_limited: 429,
  unprocessable: 422,
  idempotency_mismatch: 422,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
};

/** A failure the user can act on; thrown inside a transaction so nothing is written. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: Record<string, string[]> };
