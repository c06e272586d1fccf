import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb, type DB } from "../../db/client.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { ROLES, type Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";

/**
 * The app's own database (what `database()` opens) pointed at a fresh seeded file, so server actions
 * and route handlers run unchanged under runAs(). With Elasticsearch configured (`npm test` sets
 * ELASTICSEARCH_URL) the app searches there, so this file's own alias is built from the seeded data.
 * Call before anything reads env(); one per test file; `buildElasticsearch: false` leaves the index unbuilt (vitest runs each integration file in its own process).
 */
export async function seededAppDatabase(o: { orders: number; seed?: number; buildElasticsearch?: boolean }): Promise<{ db: DB; file: string; users: Record<Role, SessionUser>; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), "switchyard-app-"));
  const file = path.join(dir, "app.db");
  const saved = process.env.DATABASE_PATH;
  process.env.DATABASE_PATH = file;
  if (process.env.ELASTICSEARCH_URL) process.env.ELASTICSEARCH_INDEX = `test-app-${process.pid}-${path.basename(dir).slice(-6).toLowerCase()}`;
  const db = getDb(file);
  await seedDatabase(db, { orders: o.orders, seed: o.seed ?? 42 });
  if (process.env.ELASTICSEARCH_URL && o.buildElasticsearch !== false) await (await import("../../lib/search/elastic/backend.ts")).elasticsearchBackend.prepare!(db);
  const users = {} as Record<Role, SessionUser>;
  for (const role of ROLES) {
    const row = db.$client.prepare("SELECT id, email, name, role FROM users WHERE role = ? ORDER BY id LIMIT 1").get(role) as SessionUser;
    users[role] = row;
  }
  return {
    db,
    file,
    users,
    cleanup: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.DATABASE_PATH;
      else process.env.DATABASE_PATH = saved;
    },
  };
}

/** Row counts of every table: "writes nothing" means this is unchanged. */
export function tableCounts(db: DB): Record<string, number> {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.$client.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** A minimal RFC 4180 reader for the export tests (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endField();
    else if (c === "\r" && body[i + 1] === "\n") {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}
