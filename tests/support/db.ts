import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, migrateDatabase, type DB } from "../../db/client.ts";

/** A real, migrated SQLite file in a fresh temp dir; `cleanup` closes and deletes it. */
export function tempDatabase(): { db: DB; file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "switchyard-test-"));
  const file = path.join(dir, "test.db");
  const db = openDatabase(file);
  migrateDatabase(db);
  return {
    db,
    file,
    cleanup: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
