import { IntakeRejection } from "../types.ts";

/** Small readers for untrusted JSON: each names the field it wanted when the sender got it wrong. */
export type Json = Record<string, unknown>;

export function obj(v: unknown, field: string): Json {
  if (v && typeof v === "object" && !Array.isArray(v)) return v as Json;
  throw new IntakeRejection(`${field} is missing or not an object.`);
}

export function str(v: unknown, field: string): string {
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new IntakeRejection(`${field} is missing or not a string.`);
}

export function optStr(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : null;
}

export function int(v: unknown, field: string, min = 0): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= min) return v;
  throw new IntakeRejection(`${field} must be a whole number of at least ${min}.`);
}

export function arr(v: unknown, field: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new IntakeRejection(`${field} is missing or not a list.`);
}

export function num(v: unknown): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

/** An email address as every source must give one (lower-cased), or a rejection naming the field. */
export function emailOf(v: unknown, field: string, pointer?: string): string {
  const email = str(v, field).toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new IntakeRejection(`${field} "${email}" is not an email address.`, null, pointer ? [{ pointer, message: "Not an email address." }] : []);
  return email;
}
