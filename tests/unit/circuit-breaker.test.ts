import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../lib/search/breaker.ts";

function breaker() {
  let now = 0;
  const b = new CircuitBreaker({ failures: 3, coolDownMs: 5_000, now: () => now });
  return { b, advance: (ms: number) => (now += ms) };
}

describe("circuit breaker", () => {
  it("stays closed below the failure threshold and resets on a success", () => {
    const { b } = breaker();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
  });

  it("opens after the threshold in a row and refuses until the cool-down is over", () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    expect(b.state).toBe("open");
    expect(b.allow()).toBe(false);
    advance(4_999);
    expect(b.allow()).toBe(false);
  });

  it("half-open lets exactly one probe through; its success closes the breaker", () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    advance(5_000);
    expect(b.state).toBe("half_open");
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // a second caller while the probe is out
    b.success();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
  });

  it("a failed probe opens it for another cool-down at once", () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    advance(5_000);
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    advance(5_000);
    expect(b.state).toBe("half_open");
  });
});
