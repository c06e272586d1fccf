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

const ensured = new WeakMap<OrdersIndex["client"], Set<string>>();

/** Creates the index and its alias on first use; later calls in this process are free. */
export async function ensureIndex(target: OrdersIndex): Promise<void> {
  const done = ensured.get(target.client) ?? new Set<string>();
  ensured.set(target.client, done);
  if (done.has(target.alias)) return;
  if ((await aliasTargets(target)).length === 0) {
    const index = await createIndex(target);
    await target.client.indices.updateAliases({ body: { actions: [{ add: { index, alias: target.alias } }] } });
    // Two processes racing here each add an index: both keep the oldest name and drop the others.
    const [keep, ...extra] = (await aliasTargets(target)).sort();
    if (keep && extra.length) await target.client.indices.delete({ index: extra.join(",") }, { ignore: [404] });
  }
  done.add(target.alias);
}

/**
 * Writes a snapshot in one bulk request: every document with the snapshot's version (external_gte, so
 * re-delivery is idempotent and an older read never overwrites a newer one), deletes for missing orders.
 * Throws when any item failed for another reason than being stale, so the caller retries the batch.
 */
export async function bulkWrite(target: OrdersIndex, snapshot: OrderSnapshot, o: { index?: string; refresh?: boolean } = {}): Promise<void> {
  const index = o.index ?? target.alias;
  const body: object[] = [];
  const version = { version: snapshot.version, version_type: "external_gte" };
  for (const doc of snapshot.docs) body.push({ index: { _index: index, _id: String(doc.orderId), ...version } }, doc);
  for (const id of snapshot.missing) body.push({ delete: { _index: index, _id: String(id), ...version } });
  if (body.length === 0) return;
  const res = await target.client.bulk({ body, refresh: o.refresh ?? false, require_alias: !o.index });
  const result = res.body as BulkResponse;
  if (!result.errors) return;
  const failures = result.items
    .map((item) => Object.values(item)[0]!)
    .filter((r) => r.error && r.status !== 409); // 409: this version or a newer one is already there
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new Error(`Elasticsearch refused ${failures.length} of ${result.items.length} bulk item(s); first: ${first.status} ${first.error?.type}: ${first.error?.reason}`);
  }
}

type BulkItem = { _id: string; status: number; error?: { type?: string; reason?: string } };
type BulkResponse = { errors: boolean; items: Record<string, BulkItem>[] };

export async function refreshIndex(target: OrdersIndex): Promise<void> {
  await target.client.indices.refresh({ index: target.alias });
}
