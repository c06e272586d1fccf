type BreakerState = "closed" | "open" | "half_open";

type BreakerOptions = {
  /** Failures in a row that open the breaker. */
  failures: number;
  /** How long an open breaker refuses before one probe may test the node again. */
  coolDownMs: number;
  now?: () => number;
};

/**
 * A circuit breaker in front of Elasticsearch: after `failures` failed requests in a row it opens and
 * searches stop waiting on the node; after the cool-down one probe is let through (half-open) and
 * its outcome closes the breaker or opens it for another cool-down. Pure state, no timers.
 */
export class CircuitBreaker {
  private failuresInARow = 0;
  private openedAt: number | null = null;
  private probing = false;
  private readonly now: () => number;
  private readonly o: BreakerOptions;

  constructor(o: BreakerOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.o.coolDownMs ? "half_open" : "open";
  }

  /** May a request go to the node now? Half-open lets exactly one through until it reports back. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failuresInARow = 0;
    this.openedAt = null;
    this.probing = false;
  }

  failure(): void {
    this.failuresInARow += 1;
    if (this.probing || this.failuresInARow >= this.o.failures) this.openedAt = this.now();
    this.probing = false;
  }
}
