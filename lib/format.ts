const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Formats integer minor units at the edge; the only place money becomes text. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency });
    moneyFormats.set(key, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

export function humanStatus(status: string): string {
  const s = status.replaceAll("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
