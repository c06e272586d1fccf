import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security-headers.ts";

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "@elastic/elasticsearch"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // Static files and anything the proxy does not see; the proxy adds the per-request CSP and HSTS.
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
