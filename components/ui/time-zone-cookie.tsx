"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { TZ_COOKIE } from "../../lib/refunds/viewer-zone.ts";

/**
 * Tells the server the browser's IANA zone (a cookie), so day presets are computed where the viewer is;
 * when the page was rendered for another zone it renders again.
 */
export function TimeZoneCookie({ rendered }: { rendered: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    // Zone names are cookie-safe as they are (letters, digits, _ + - /).
    document.cookie = `${TZ_COOKIE}=${zone}; path=/; max-age=31536000; samesite=lax`;
    if (zone !== rendered) router.refresh();
  }, [rendered, router]);
  return null;
}
