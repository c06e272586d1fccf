import type { OrdersIndex } from "./client.ts";
import { aliasTargets } from "./indexing.ts";
import { MAPPING_VERSION } from "./mapping.ts";

/** Why an index cannot be trusted; each one is repaired by a rebuild. */
export type IndexProblem =
  | { kind: "missing"; detail: string }
  | { kind: "outdated"; detail: string }
  | { kind: "behind"; detail: string }
  | { kind: "incomplete"; detail: string };

type IndexInspection = { index: string | null; docs: number | null; highWater: number | null; problem: IndexProblem | null };

const TIMEOUT = { requestTimeout: 5_000, maxRetries: 0 };

/**
 * Checks the alias against what SQLite expects of it: that it exists, was built with today's mapping,
 * holds at least the high-water mark last written to it (documents carry the outbox position they were
 * read at; a node restored from an older copy holds less), and, when `orders` is given (nothing in flight), holds one document per order. Network errors
 * propagate: an unreachable node is not a broken index.
 */
export async function inspectIndex(
  target: OrdersIndex,
  expected: { highWater: { index: string; version: number } | null; orders?: number },
): Promise<IndexInspection> {
  const indices = await aliasTargets(target);
  if (indices.length === 0) {
    return { index: null, docs: null, highWater: null, problem: { kind: "missing", detail: `the alias "${target.alias}" does not exist` } };
  }
  const index = indices.sort().at(-1)!;
  const mapping = (await target.client.indices.getMapping({ index }, TIMEOUT)).body as Record<string, { mappings?: { _meta?: { switchyard?: { mapping?: number } } } }>;
  const version = mapping[index]?.mappings?._meta?.switchyard?.mapping ?? null;
  if (version !== MAPPING_VERSION) {
    return { index, docs: null, highWater: null, problem: { kind: "outdated", detail: `${index} has mapping version ${version ?? "none"}, this code writes ${MAPPING_VERSION}` } };
  }
  // What the last writes made visible: the figures below read only refreshed documents.
  await target.client.indices.refresh({ index: target.alias }, TIMEOUT);
  const res = await target.client.search(
    { index: target.alias, body: { size: 0, track_total_hits: true, aggs: { highWater: { max: { field: "syncVersion" } } } } },
    TIMEOUT,
  );
  const body = res.body as { hits: { total: { value: number } }; aggregations: { highWater: { value: number | null } } };
  const docs = body.hits.total.value;
  const highWater = body.aggregations.highWater.value;
  const found = { index, docs, highWater };
  // A mark noted for another index (the alias was swapped by a reindex since) says nothing about this one.
  const mark = expected.highWater?.index === index ? expected.highWater.version : null;
  if (mark !== null && (highWater ?? 0) < mark) {
    return { ...found, problem: { kind: "behind", detail: `${index} holds changes up to outbox #${highWater ?? 0}, but #${mark} was written to it` } };
  }
  if (expected.orders !== undefined && docs !== expected.orders) {
    return { ...found, problem: { kind: "incomplete", detail: `the index holds ${docs} order(s), SQLite has ${expected.orders}` } };
  }
  return { ...found, problem: null };
}
