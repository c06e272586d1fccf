import { test, expect, type APIResponse, type Page } from "@playwright/test";
import { authFile, demoUser } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { LoginPage } from "./pages/login-page.ts";
import { OrderPage } from "./pages/order-page.ts";
import { SearchPalette } from "./pages/search-palette.ts";

function nonceOf(csp: string | undefined): string {
  const nonce = /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  if (!nonce) throw new Error(`no nonce in CSP: ${csp}`);
  return nonce;
}

/** The headers every response carries; a CSP with a nonce where the proxy answered. */
function expectSecurityHeaders(res: APIResponse, where: string, o: { csp: boolean }) {
  const h = res.headers();
  expect(h["x-content-type-options"], where).toBe("nosniff");
  expect(h["referrer-policy"], where).toBe("strict-origin-when-cross-origin");
  expect(h["x-frame-options"], where).toBe("DENY");
  // Served over plain HTTP here: no HSTS, no Secure-only cookie names.
  expect(h["strict-transport-security"], where).toBeUndefined();
  if (o.csp) {
    const csp = h["content-security-policy"] ?? "";
    expect(csp, where).toContain("frame-ancestors 'none'");
    expect(csp, where).toContain("object-src 'none'");
    expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(csp, where).not.toContain("'unsafe-inline' 'nonce");
  }
}

test.describe("security headers", () => {
  test("signed out: /login, a redirect from /orders, a 401 from the API and a static file all carry them", async ({ request }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    expectSecurityHeaders(login, "/login", { csp: true });
    const html = await login.text();
    const nonce = nonceOf(login.headers()["content-security-policy"]);
    // Next puts the request's nonce on every script it renders.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const again = await request.get("/login");
    expect(nonceOf(again.headers()["content-security-policy"])).not.toBe(nonce);

    const redirect = await request.get("/orders", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectSecurityHeaders(redirect, "redirect to /login", { csp: true });

    const refused = await request.get("/api/search?q=SY");
    expect(refused.status()).toBe(401);
    expectSecurityHeaders(refused, "401 from /api/search", { csp: true });

    const asset = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const file = await request.get(asset!);
    expect(file.status()).toBe(200);
    expectSecurityHeaders(file, asset!, { csp: false });
  });

  test.describe("signed in", () => {
    test.use({ storageState: authFile("agent") });

    test("a page, an API answer and a 404 carry them", async ({ page }) => {
      const orders = await page.request.get("/orders");
      expect(orders.status()).toBe(200);
      expectSecurityHeaders(orders, "/orders", { csp: true });
      const api = await page.request.get("/api/search?q=SY");
      expect(api.status()).toBe(200);
      expectSecurityHeaders(api, "/api/search", { csp: true });
      const missing = await page.request.get("/orders/SY-NOPE");
      expect(missing.status()).toBe(404);
      expectSecurityHeaders(missing, "404", { csp: true });
    });
  });
});

/** Collects every CSP violation the browser reports on this page. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => {
    if (/Content Security Policy/i.test(error.message)) violations.push(`${page.url()}: ${error.message}`);
  });
  return violations;
}

test.describe("the app works under its CSP", () => {
  test("sign in, the order list, an order, a dialog and the Ctrl-K palette raise no CSP violation", async ({ page }) => {
    const violations = watchCsp(page);
    await page.goto("/login");
    const agent = demoUser("agent");
    await new LoginPage(page).signIn(agent.email, agent.password);
    await page.waitForURL("**/orders");
    await expect(page.getByTestId("order-row").first()).toBeVisible();

    const { number } = pick<{ number: string }>(`
      SELECT o.number FROM orders o JOIN shipments s ON s.order_id = o.id AND s.status = 'pending'
      WHERE o.status = 'awaiting_fulfillment' ORDER BY o.id DESC LIMIT 1`);
    await page.getByTestId("order-row").first().getByRole("link").click();
    await expect(page.getByTestId("order-number")).toBeVisible();
    const order = new OrderPage(page);
    await order.goto(number);
    await page.getByRole("button", { name: "Cancel items…" }).click();
    const dialog = page.getByTestId("cancel-units-dialog");
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    const palette = new SearchPalette(page);
    await palette.openWithKeyboard();
    await palette.type(number);
    await expect(palette.options().first()).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("order-number")).toHaveText(number);
    expect(violations).toEqual([]);
  });

  test.describe("charts", () => {
    test.use({ storageState: authFile("manager") });

    test("the metrics charts, alerts and refunds render without a CSP violation", async ({ page }) => {
      const violations = watchCsp(page);
      for (const path of ["/alerts/metrics", "/alerts", "/refunds", "/routing"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      }
      await page.goto("/alerts/metrics");
      await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
      expect(violations).toEqual([]);
    });
  });
});
