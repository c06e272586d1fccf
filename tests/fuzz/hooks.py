# Schemathesis hooks for `npm test`'s fuzzing tier (scripts/lib/fuzz.ts).
import uuid

import schemathesis


@schemathesis.hook
def before_call(context, case, **kwargs):
    """A real client sends a fresh Idempotency-Key with every new request: do the same for well-formed cases, so
    they reach the orders rather than the idempotency refusals (key reuse has its own tests in
    tests/integration/api-idempotency.test.ts). Malformed cases keep the header as generated."""
    meta = case.meta
    positive = meta is not None and meta.generation.mode.is_positive
    if positive and case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
