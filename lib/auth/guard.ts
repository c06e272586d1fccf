import "server-only";
import { forbidden, redirect } from "next/navigation";
import { can, type Permission, type SessionUser } from "./permissions.ts";
import { currentUser } from "./session.ts";
import { refusal } from "./refusal.ts";

/** For pages: signed-out visitors go to /login, a role without the permission gets the 403 page. */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (!can(user, permission)) {
    refusal().permission = permission;
    forbidden();
  }
  return user;
}
