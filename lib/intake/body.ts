/** The largest body any source may send; larger ones are refused with 413 before anything is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body up to `max` bytes and stops reading past it: a lying or missing Content-Length
 * cannot make us buffer more. Returns null when the body is too large.
 */
export async function readCapped(req: Request, max = MAX_BODY_BYTES): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > max) {
    await req.body?.cancel().catch(() => {});
    return null;
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
