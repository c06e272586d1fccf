import NextAuth from "next-auth";
import { authOptions } from "../../../../lib/auth/options.ts";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so the secret is read at run time, never at build time.
async function handler(req: Request, ctx: Ctx) {
  return NextAuth(req as never, { params: await ctx.params } as never, authOptions(req.headers));
}

export { handler as GET, handler as POST };
