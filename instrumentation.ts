/** Runs once when a server process starts (Next's instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // TRACE would otherwise be a 500 on every route, and the orders API's 405s need Allow (lib/api/methods.ts).
  (await import("./lib/api/methods.ts")).answerUndeclaredMethods();
}
