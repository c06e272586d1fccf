/** Public tracking pages of the carriers the ship dialog offers; another carrier's number is shown without a link. */
const TRACKING_URLS: Record<string, (n: string) => string> = {
  DHL: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?tracking-id=${n}`,
  UPS: (n) => `https://www.ups.com/track?tracknum=${n}`,
  DPD: (n) => `https://tracking.dpd.de/status/en_US/parcel/${n}`,
  PostNL: (n) => `https://jouw.postnl.nl/track-and-trace/${n}`,
  Colissimo: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${n}`,
  "Royal Mail": (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
};

export function trackingUrl(carrier: string | null, trackingNumber: string): string | null {
  const make = carrier ? TRACKING_URLS[carrier.trim()] ?? Object.entries(TRACKING_URLS).find(([k]) => k.toLowerCase() === carrier.trim().toLowerCase())?.[1] : undefined;
  return make ? make(encodeURIComponent(trackingNumber)) : null;
}
