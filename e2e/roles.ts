import path from "node:path";
import type { Role } from "../db/schema/auth.ts";

export { demoUser } from "../lib/seed/demo-users.ts";

export const ROLES: readonly Role[] = ["agent", "warehouse_lead", "finance", "manager", "admin"];

/** One storageState per role, made once by global setup. */
export function authFile(role: Role): string {
  return path.resolve("e2e/.auth", `${role}.json`);
}
