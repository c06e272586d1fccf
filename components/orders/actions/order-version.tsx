"use client";
import { createContext, useContext, type ReactNode } from "react";

const OrderVersionContext = createContext<number | null>(null);

/** The version of the order this page shows: every action on it sends it, so a stale screen is refused. */
export function OrderVersion({ version, children }: { version: number; children: ReactNode }) {
  return <OrderVersionContext.Provider value={version}>{children}</OrderVersionContext.Provider>;
}

/** The version this page showed, or null outside an order page (admin, alerts): those actions carry none. */
export function useOrderVersion(): number | null {
  return useContext(OrderVersionContext);
}
