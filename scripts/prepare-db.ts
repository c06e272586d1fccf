// `npm run dev` runs this first: migrate, then seed the demo set if the database is empty.
import { env } from "../lib/env.ts";
import { prepareDatabase } from "./lib/prepare-db.ts";

prepareDatabase(env().DATABASE_PATH, process.env.SEED_ORDERS ?? "10000");
