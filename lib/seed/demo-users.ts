import type { Role } from "../../db/schema/auth.ts";

export type DemoUser = { email: string; name: string; role: Role; password: string };

/**
 * One sign-in per role, created by the seed. The passwords are public on purpose:
 * this is demo data, never a production account. The e2e fixtures and the start script import this list.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: "agent@switchyard.test", name: "Sofia Jansen", role: "agent", password: "agent-demo" },
  { email: "warehouse@switchyard.test", name: "Marek Nowak", role: "warehouse_lead", password: "warehouse_lead-demo" },
  { email: "finance@switchyard.test", name: "Claire Dubois", role: "finance", password: "finance-demo" },
  { email: "manager@switchyard.test", name: "Daniel Weber", role: "manager", password: "manager-demo" },
  { email: "admin@switchyard.test", name: "Alex Morgan", role: "admin", password: "admin-demo" },
];

/** The demo user with this role (every role has exactly one). */
export function demoUser(role: Role): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`No demo user for role ${role}`);
  return user;
}
