/** Runs once when a server process starts (Next's instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // TRACE would otherwise be a 500 on every route (lib/api/refuse-trace.ts).
  (await import("./lib/api/refuse-trace.ts")).refuseTraceRequests();
}
