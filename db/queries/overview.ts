import "server-only";
import { asc } from "drizzle-orm";
import { database } from "../index.ts";
import { users } from "../schema/index.ts";

/** Users for the admin screen: never the password hash. */
export function listUsers() {
  return database()
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabled: users.disabled })
    .from(users)
    .orderBy(asc(users.id))
    .all();
}
