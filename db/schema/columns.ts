import { integer } from "drizzle-orm/sqlite-core";

/** Every timestamp is UTC epoch milliseconds. */
export const timestamp = (name: string) => integer(name, { mode: "number" });
export const createdAt = () => timestamp("created_at").notNull();
/** Money is always integer minor units (cents) next to a currency. */
export const money = (name: string) => integer(name, { mode: "number" }).notNull().default(0);
export const flag = (name: string) => integer(name, { mode: "boolean" }).notNull().default(false);
