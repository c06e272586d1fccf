"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** A UTC epoch-ms instant shown in the viewer's own time zone (UTC until hydrated). */
export function LocalTime({ ms, withSeconds = false }: { ms: number; withSeconds?: boolean }) {
  const timeZone = useSyncExternalStore(
    subscribe,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "UTC",
  );
  const text = new Intl.DateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: withSeconds ? "medium" : "short",
    timeZone,
  }).format(ms);
  return (
    <time dateTime={new Date(ms).toISOString()} title={`${new Date(ms).toISOString()} (UTC)`}>
      {text}
    </time>
  );
}
