// Compression for `npm start` (scripts/serve.ts), in place of Next's own (`compress: false` in next.config.ts).
// Next pipes a page to a compressing stream and flushes it after every chunk React writes: 40–67 flushes for a
// list page, each its own deflate block and thread-pool round trip. That made a page 2.5–3.7× bigger than the
// same bytes compressed whole (/shipments 41 KB against 11 KB) and added 3–13 ms to each answer here. A page,
// a server-component payload or JSON is complete within milliseconds, so it is held and compressed once at
// its end (brotli or gzip, as the client accepts); anything else (a CSV export streaming 100,000 rows, an
// event stream) passes through as written, uncompressed, never held in memory.
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";

/** Answers held and compressed whole: what the app renders at once. */
const WHOLE = /^(text\/html|text\/x-component|application\/json|text\/plain|text\/css|text\/javascript|application\/javascript|image\/svg\+xml)\b/i;
/** Smaller answers are sent as they are: compressing them saves less than it costs. */
const MIN_BYTES = 1024;
/** An answer that grows past this while held is sent as it is, and the rest streams through. */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

type Encoding = "br" | "gzip";

/** The encoding to answer in: brotli if the client takes it, else gzip, else none (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (e: string) => accepted.get(e) ?? accepted.get("*") ?? 0;
  const br = weight("br");
  const gzip = weight("gzip");
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

/** Compressed on the thread pool (a big answer must not stop this process serving others meanwhile). */
function compressBody(body: Buffer, encoding: Encoding, done: (error: Error | null, compressed: Buffer) => void): void {
  // Quality 4 / level 6: within 1 ms for a 200 KB page here, smaller than gzip's default for brotli.
  if (encoding === "br") zlib.brotliCompress(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }, done);
  else zlib.gzip(body, { level: 6 }, done);
}

/**
 * Wraps `res` before the app writes to it: holds a compressible answer and sends it compressed at its end;
 * decides at the first write (the headers are set by then) and lets anything else through untouched.
 */
export function compressWhole(req: IncomingMessage, res: ServerResponse): void {
  const encoding = chooseEncoding(req.headers["accept-encoding"]);
  if (!encoding || req.method === "HEAD") return;
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const flushHeaders = res.flushHeaders.bind(res);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  let mode: "undecided" | "hold" | "through" = "undecided";
  const held: Buffer[] = [];
  let size = 0;
  let compressing = false;

  const toBuffer = (chunk: unknown, enc?: unknown): Buffer =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(String(chunk), typeof enc === "string" ? (enc as BufferEncoding) : "utf8");
  const decide = () => {
    if (mode !== "undecided") return;
    const type = String(res.getHeader("content-type") ?? "");
    // Not a part of a file (206: its Content-Range counts the plain bytes), nor an answer with no body.
    const compressible =
      WHOLE.test(type) &&
      !res.getHeader("content-encoding") &&
      !res.getHeader("content-range") &&
      !/\bno-transform\b/i.test(String(res.getHeader("cache-control") ?? "")) &&
      res.statusCode >= 200 &&
      ![204, 206, 304].includes(res.statusCode);
    mode = compressible ? "hold" : "through";
  };
  // Let what was held go as it is, and the rest stream through (a held answer grew too big).
  const release = () => {
    mode = "through";
    for (const b of held.splice(0)) write(b);
  };

  // Headers given to writeHead are kept on the response (not sent) until the answer is complete.
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (mode === "through") return writeHead(status, ...rest);
    res.statusCode = status;
    if (typeof rest[0] === "string") res.statusMessage = rest.shift() as string;
    const headers = rest[0] as Record<string, string | number | string[]> | (string | string[])[] | undefined;
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) res.appendHeader(String(headers[i]), headers[i + 1]!);
    else if (headers) for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    return res;
  }) as ServerResponse["writeHead"];
  res.flushHeaders = () => {
    if (mode === "undecided") decide();
    if (mode === "through") flushHeaders();
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    decide();
    if (mode === "through") return write(chunk, ...rest);
    const b = toBuffer(chunk, rest[0]);
    held.push(b);
    size += b.length;
    if (size > MAX_HELD_BYTES) release();
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }) as ServerResponse["write"];
  res.end = ((...args: unknown[]) => {
    // Ended already and being compressed: a second end (an `if (!res.writableEnded) res.end()`) must not cut it short.
    if (compressing) return res;
    const callback = args.find((a) => typeof a === "function") as (() => void) | undefined;
    const chunk = typeof args[0] === "function" ? undefined : args[0];
    if (chunk !== undefined && chunk !== null) {
      decide();
      if (mode === "through") return end(...args);
      const b = toBuffer(chunk, typeof args[1] === "string" ? args[1] : undefined);
      held.push(b);
      size += b.length;
    } else decide();
    if (mode === "through") return callback ? end(callback) : end();
    // From here Node writes the head itself (through writeHead, so it must no longer be held).
    mode = "through";
    const body = Buffer.concat(held.splice(0));
    if (body.length < MIN_BYTES) {
      res.setHeader("Content-Length", body.length);
      return callback ? end(body, callback) : end(body);
    }
    compressing = true;
    compressBody(body, encoding, (error, compressed) => {
      if (res.destroyed) return;
      if (error) {
        // Sent as written rather than not at all.
        res.setHeader("Content-Length", body.length);
        return callback ? end(body, callback) : end(body);
      }
      const vary = String(res.getHeader("vary") ?? "");
      if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) res.setHeader("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
      res.setHeader("Content-Encoding", encoding);
      res.setHeader("Content-Length", compressed.length);
      return callback ? end(compressed, callback) : end(compressed);
    });
    return res;
  }) as ServerResponse["end"];
}
