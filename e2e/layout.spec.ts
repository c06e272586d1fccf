import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { authFile } from "./roles.ts";

/**
 * The main screens at a small laptop (1024 px) and a desktop (1440 px) width: nothing runs off the side
 * (no horizontal scrolling of the page), the shell's header and navigation stay on screen, and a full-page
 * screenshot of each is saved under e2e/artifacts/layout/ for a person to look at.
 */
const WIDTHS = [1024, 1440] as const;
const SCREENS = [
  { name: "orders", path: "/orders" },
  { name: "order", path: "/orders/SY-100002" },
  { name: "routing", path: "/routing" },
  { name: "refunds", path: "/refunds" },
  { name: "alerts", path: "/alerts" },
  { name: "metrics", path: "/alerts/metrics" },
  { name: "admin", path: "/admin" },
  { name: "admin-events", path: "/admin/events" },
] as const;
const DIR = path.resolve("e2e/artifacts/layout");

test.describe("layout at laptop and desktop widths", () => {
  // Admin sees every screen and the widest navigation.
  test.use({ storageState: authFile("admin") });
  test.beforeAll(() => mkdirSync(DIR, { recursive: true }));

  for (const width of WIDTHS) {
    for (const screen of SCREENS) {
      test(`${screen.name} at ${width} px: no horizontal overflow, header and navigation in view`, async ({ page }) => {
        await page.setViewportSize({ width, height: 900 });
        const res = await page.goto(screen.path);
        expect(res?.status()).toBe(200);
        await page.waitForLoadState("networkidle");
        const size = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(size.scrollWidth, `${screen.path} is ${size.scrollWidth} px wide in a ${size.innerWidth} px window`).toBeLessThanOrEqual(size.innerWidth);
        for (const el of [page.getByRole("banner"), page.getByRole("navigation", { name: /main/i }), page.getByRole("button", { name: "Sign out" })]) {
          const box = await el.boundingBox();
          expect(box, "visible").not.toBeNull();
          expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        }
        await page.screenshot({ path: path.join(DIR, `${screen.name}-${width}.png`), fullPage: true });
      });
    }
  }

  test("moving between screens shows a loading state at once while the next one renders", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/orders");
    await page.waitForLoadState("networkidle");
    // Hold the server's answer for the refunds screen, as a slow database would.
    await page.route(/\/refunds(\?|$)/, async (route) => {
      if (route.request().headers()["rsc"]) await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await page.getByRole("navigation", { name: /main/i }).getByRole("link", { name: "Refunds" }).click();
    await expect(page.getByTestId("page-loading")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Refunds" })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("page-loading")).toHaveCount(0);
  });
});
