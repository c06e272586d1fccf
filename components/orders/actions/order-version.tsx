"use client";
import { createContext, useContext, type ReactNode } from "react";

const OrderVersionContext = createContext<number | null>(null);

/** The version of the order this page shows: every action on it sends it, so a stale screen is refused. */
export function OrderVersion({ version, children }: { version: number; children: ReactNode }) {
  return <OrderVersionContext.Provider value={version}>{children}</OrderVersionContext.Provider>;
}

export function useOrderVersion(): number {
  const v = useContext(OrderVersionContext);
  // -1 never matches a stored version, so an action rendered outside the provider is refused, not let through.
  return v ?? -1;
}
