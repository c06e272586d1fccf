import path from "node:path";
import { DEMO_USERS } from "../lib/seed/demo-users.ts";
import type { Role } from "../db/schema/auth.ts";

export const ROLES: readonly Role[] = ["agent", "warehouse_lead", "finance", "manager", "admin"];

export function demoUser(role: Role) {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`No demo user for role ${role}`);
  return user;
}

/** One storageState per role, made once by global setup. */
export function authFile(role: Role): string {
  return path.resolve("e2e/.auth", `${role}.json`);
}
