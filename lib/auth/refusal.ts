import "server-only";
import { cache } from "react";
import type { Permission } from "./permissions.ts";

/**
 * The permission a page refused in this request, for the 403 page to name: React's cache() is scoped to
 * one server request, so requirePermission and app/forbidden.tsx share it without a header round trip.
 */
export const refusal = cache((): { permission: Permission | null } => ({ permission: null }));
