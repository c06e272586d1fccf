import { Client } from "@elastic/elasticsearch";
import { env } from "../../env.ts";

/** Where orders live: an alias (e.g. "orders") over one concrete index ("orders-1764000000000"). */
export type OrdersIndex = { client: Client; alias: string };

const clients = new Map<string, Client>();

/** One client per URL per process (it keeps a connection pool). */
function elasticClient(url: string | undefined = env().ELASTICSEARCH_URL): Client {
  if (!url) throw new Error("ELASTICSEARCH_URL is not set: Elasticsearch search is not configured.");
  let client = clients.get(url);
  if (!client) {
    client = new Client({ node: url, requestTimeout: 30_000, maxRetries: 1 });
    clients.set(url, client);
  }
  return client;
}

/** The configured index (ELASTICSEARCH_URL, ELASTICSEARCH_INDEX) unless told otherwise. */
export function ordersIndex(o: { url?: string; alias?: string } = {}): OrdersIndex {
  return { client: elasticClient(o.url), alias: o.alias ?? env().ELASTICSEARCH_INDEX };
}
