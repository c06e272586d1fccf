import NextLink from "next/link";
import type { ComponentProps } from "react";

/**
 * Every link between screens (eslint refuses next/link's own elsewhere). Never prefetched: every screen here
 * is dynamic (per user, live data) with no loading.js, so Next's viewport prefetch brought back nothing a
 * click could use (~300 bytes) while each one cost the server 5–8 ms: opening /routing sent 57 of them, more
 * server time than the page. A click fetches the page then, as a form submit does.
 */
export function Link(props: Omit<ComponentProps<typeof NextLink>, "prefetch">) {
  return <NextLink {...props} prefetch={false} />;
}
