import type { DB, Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { patchConsumerState, pendingFor, readCursor } from "../worker/cursors.ts";
import type { Degraded } from "./backend.ts";

/**
 * What the Elasticsearch consumer notes in its outbox cursor (outbox_cursors.state), read by the web
 * app to decide whether Elasticsearch can be trusted and shown to admins on /alerts/metrics.
 */
export type IndexBuild = {
  status: "running" | "done" | "failed";
  reason: string;
  done: number;
  total: number;
  startedAt: number;
  /** A running build's heartbeat: a build not heard of for a while died with its worker. */
  updatedAt: number;
  finishedAt?: number;
  index?: string;
  error?: string;
};

export type SearchSyncState = {
  /** The highest document version written to the concrete index behind the alias: it must hold at least this much. */
  highWater?: { index: string; version: number };
  build?: IndexBuild;
  /** Set by `npm start` (or an admin) to have the worker rebuild the index; the reason is shown. */
  rebuildRequested?: string;
};

/** The consumer (and cursor) name of an alias: one cursor per index kept in sync. */
export function searchConsumerName(alias: string): string {
  return `elasticsearch:${alias}`;
}

export function readSyncState(db: DB | Tx, alias: string): { state: SearchSyncState; lastId: number } | null {
  const cursor = readCursor(db, searchConsumerName(alias));
  return cursor ? { state: cursor.state as SearchSyncState, lastId: cursor.lastId } : null;
}

export function writeSyncState(db: DB | Tx, alias: string, patch: Partial<Record<keyof SearchSyncState, unknown>>): void {
  patchConsumerState(db, searchConsumerName(alias), patch);
}

/** A build is live while its worker keeps its heartbeat (every progress step, at most seconds apart). */
const BUILD_HEARTBEAT_MS = 30_000;

function buildRunning(state: SearchSyncState, now = Date.now()): boolean {
  return state.build?.status === "running" && now - state.build.updatedAt < BUILD_HEARTBEAT_MS;
}

export type SyncStatus = {
  consumer: string;
  configured: boolean;
  build: IndexBuild | null;
  building: boolean;
  /** Messages the consumer has yet to apply, and how long the oldest has waited. */
  pending: number;
  lagMs: number | null;
  lastError: string | null;
  failingSince: number | null;
  deliveredAt: number | null;
  rebuildRequested: string | null;
};

/** The sync of one alias, as admins see it. */
export function searchSyncStatus(db: DB, alias: string, configured: boolean, now = Date.now()): SyncStatus {
  const name = searchConsumerName(alias);
  const cursor = readCursor(db, name);
  const state = (cursor?.state ?? {}) as SearchSyncState;
  const pending = pendingFor(db, name);
  return {
    consumer: name,
    configured,
    build: state.build ?? null,
    building: buildRunning(state, now),
    pending: pending.count,
    lagMs: pending.oldestAt === null ? null : Math.max(0, now - pending.oldestAt),
    lastError: cursor?.lastError ?? null,
    failingSince: cursor?.failingSince ?? null,
    deliveredAt: cursor?.deliveredAt ?? null,
    rebuildRequested: state.rebuildRequested ?? null,
  };
}

/** Messages older than this not yet in the index mean it is behind: the worker is stopped or the node failing. */
const BEHIND_AFTER_MS = 10_000;

/**
 * Why the alias cannot be trusted for search right now, or null: never built from this database, being
 * rebuilt, or behind the outbox. Cheap (two primary-key reads); the degrading backend asks it per search.
 */
export function indexDistrust(db: DB | Tx, alias: string, now = Date.now()): Degraded | null {
  const cursor = readCursor(db, searchConsumerName(alias));
  const state = (cursor?.state ?? {}) as SearchSyncState;
  if (buildRunning(state, now)) {
    const b = state.build!;
    return { reason: "rebuilding", notice: `the Elasticsearch index is being rebuilt (${b.done.toLocaleString("en-GB")} of ${b.total.toLocaleString("en-GB")} orders)` };
  }
  if (!state.highWater) return { reason: "not_built", notice: "the Elasticsearch index has not been built from this database yet" };
  const oldest = oldestPendingAt(db, cursor!.lastId);
  if (oldest !== null && now - oldest > BEHIND_AFTER_MS) {
    return { reason: "behind", notice: `the Elasticsearch index is ${Math.round((now - oldest) / 1000)} s behind` };
  }
  return null;
}

function oldestPendingAt(db: DB | Tx, lastId: number): number | null {
  return (prepared(db, "SELECT created_at AS at FROM outbox WHERE id > ? ORDER BY id LIMIT 1").get(lastId) as { at: number } | undefined)?.at ?? null;
}
