import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security-headers.ts";

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "@elastic/elasticsearch"],
  poweredByHeader: false,
  // Next flushes its compressing stream after every chunk a page is written in (40–67 deflate blocks for a list),
  // making answers 2.5–3.7× bigger than compressed whole and slower; `npm start` compresses each answer once
  // at its end instead (scripts/lib/compress.ts, in scripts/serve.ts).
  compress: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // Static files and anything the proxy does not see; the proxy adds the per-request CSP and HSTS.
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
