import type { SearchBackend } from "../backend.ts";

/** The embedded SQLite index (work in progress: answers nothing yet). */
export const embeddedBackend: SearchBackend = {
  name: "embedded",
  async search() {
    return { hits: [], nextAfter: null };
  },
};
