"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

// Building an Intl.DateTimeFormat costs far more than formatting with one (a list of 50 orders spent
// 3.5 ms a render building them), so each (zone, precision) is built once per process or tab.
const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds ? "s" : "m"}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: withSeconds ? "medium" : "short", timeZone });
    formats.set(key, f);
  }
  return f;
}

let browserZone: string | undefined;
const viewerZone = () => (browserZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);

/** A UTC epoch-ms instant shown in the viewer's own time zone (UTC until hydrated). */
export function LocalTime({ ms, withSeconds = false }: { ms: number; withSeconds?: boolean }) {
  const timeZone = useSyncExternalStore(subscribe, viewerZone, () => "UTC");
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {format(timeZone, withSeconds).format(ms)}
    </time>
  );
}
