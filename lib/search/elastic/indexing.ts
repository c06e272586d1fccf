import type { OrdersIndex } from "./client.ts";
import type { OrderSnapshot } from "./documents.ts";
import { INDEX_MAPPINGS, INDEX_SETTINGS } from "./mapping.ts";

/** A new concrete index behind `alias`, named by creation time so a reindex never collides. */
export async function createIndex(target: OrdersIndex, o: { bulkLoad?: boolean } = {}): Promise<string> {
  const index = `${target.alias}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  // A bulk load writes faster without refreshes or a replica; both come back in finishBulkLoad.
  const settings = o.bulkLoad ? { ...INDEX_SETTINGS, refresh_interval: "-1", auto_expand_replicas: false, number_of_replicas: 0 } : INDEX_SETTINGS;
  await target.client.indices.create({ index, body: { settings, mappings: INDEX_MAPPINGS } });
  return index;
}

/** Settings back to live values, then one segment: fuzzy and prefix queries rewrite per segment. */
export async function finishBulkLoad(target: OrdersIndex, index: string): Promise<void> {
  await target.client.indices.refresh({ index });
  await target.client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 600_000 });
  await target.client.indices.putSettings({
    index,
    body: { index: { refresh_interval: INDEX_SETTINGS.refresh_interval, auto_expand_replicas: INDEX_SETTINGS.auto_expand_replicas } },
  });
  await target.client.indices.refresh({ index });
}

/** The concrete indices behind the alias (one, except for a moment during a swap); [] when there is none. */
export async function aliasTargets(target: OrdersIndex): Promise<string[]> {
  const res = await target.client.indices.getAlias({ name: target.alias }, { ignore: [404] });
  return res.statusCode === 404 ? [] : Object.keys(res.body as Record<string, unknown>);
}

/**
 * Writes a snapshot in one bulk request: every document with the snapshot's version (external_gte, so
 * re-delivery is idempotent and an older read never overwrites a newer one), deletes for missing orders.
 * Throws when any item failed for another reason than being stale, so the caller retries the batch.
 */
export async function bulkWrite(
  target: OrdersIndex,
  snapshot: OrderSnapshot,
  o: { index?: string; refresh?: boolean; timeoutMs?: number } = {},
): Promise<Written> {
  const index = o.index ?? target.alias;
  const body: object[] = [];
  const version = { version: snapshot.version, version_type: "external_gte" };
  for (const doc of snapshot.docs) body.push({ index: { _index: index, _id: String(doc.orderId), ...version } }, { ...doc, syncVersion: snapshot.version });
  for (const id of snapshot.missing) body.push({ delete: { _index: index, _id: String(id), ...version } });
  // Only written documents raise the index's high-water mark (deletes leave nothing to measure it by).
  if (body.length === 0) return { highWater: null, index: null };
  const res = await target.client.bulk({ body, refresh: o.refresh ?? false, require_alias: !o.index }, { requestTimeout: o.timeoutMs ?? 30_000 });
  const result = res.body as BulkResponse;
  const first = result.items[0] ? Object.values(result.items[0])[0] : undefined;
  const written: Written = { highWater: snapshot.docs.length ? snapshot.version : null, index: first?._index ?? null };
  if (!result.errors) return written;
  const failures = result.items
    .map((item) => Object.values(item)[0]!)
    .filter((r) => r.error && r.status !== 409); // 409: this version or a newer one is already there
  if (failures.length > 0) {
    const failed = failures[0]!;
    throw new Error(`Elasticsearch refused ${failures.length} of ${result.items.length} bulk item(s); first: ${failed.status} ${failed.error?.type}: ${failed.error?.reason}`);
  }
  return written;
}

/** What a bulk write raised the index's high-water mark to, and the concrete index behind the alias it went to. */
export type Written = { highWater: number | null; index: string | null };

type BulkItem = { _id: string; _index?: string; status: number; error?: { type?: string; reason?: string } };
type BulkResponse = { errors: boolean; items: Record<string, BulkItem>[] };

export async function refreshIndex(target: OrdersIndex): Promise<void> {
  await target.client.indices.refresh({ index: target.alias });
}
