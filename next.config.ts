import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "@elastic/elasticsearch"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
