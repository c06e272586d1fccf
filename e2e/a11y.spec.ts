import { test, expect, type Page } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import type { Role } from "../db/schema/auth.ts";

/** Every screen through axe (WCAG 2.1 A/AA): no serious or critical violation. Lesser ones are printed. */
async function audit(page: Page, screen: string) {
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const blocking = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.violations.filter((v) => !blocking.includes(v));
  console.log(`axe ${screen}: ${result.passes.length} rules pass, ${blocking.length} serious/critical, ${minor.length} minor${minor.length ? ` (${minor.map((v) => `${v.id}:${v.impact}`).join(", ")})` : ""}`);
  for (const v of blocking) for (const n of v.nodes) console.log(`  ${v.id}: ${n.target.join(" ")} ${n.html.slice(0, 160)} | ${n.failureSummary?.replace(/\s+/g, " ").slice(0, 200)}`);
  expect(blocking.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }))).toEqual([]);
}

const customerWithOrders = () => pick<{ id: number; name: string }>("SELECT c.id, c.name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING count(*) >= 2 ORDER BY c.id LIMIT 1");
const decisionId = () => pick<{ id: number }>("SELECT id FROM routing_decisions WHERE split = 1 ORDER BY id LIMIT 1").id;

const SCREENS: { screen: string; role: Role; path: () => string; status?: number; before?: (page: Page) => Promise<void> }[] = [
  { screen: "orders list", role: "agent", path: () => "/orders" },
  { screen: "order detail", role: "agent", path: () => "/orders/SY-100002" },
  { screen: "order detail (lead)", role: "warehouse_lead", path: () => "/orders/SY-100002" },
  { screen: "orders search", role: "agent", path: () => `/orders?q=${encodeURIComponent(customerWithOrders().name.split(" ").at(-1)!)}` },
  { screen: "customer page", role: "agent", path: () => `/customers/${customerWithOrders().id}` },
  { screen: "customer page (lead)", role: "warehouse_lead", path: () => `/customers/${customerWithOrders().id}` },
  {
    screen: "order with closed actions",
    role: "agent",
    path: () => `/orders/${pick<{ number: string }>("SELECT o.number FROM orders o WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status = 'picking') ORDER BY o.id DESC LIMIT 1").number}`,
  },
  { screen: "routing", role: "warehouse_lead", path: () => "/routing" },
  { screen: "shipments queue", role: "warehouse_lead", path: () => "/shipments?location=all" },
  { screen: "shipments queue (overdue)", role: "manager", path: () => "/shipments?location=all&due=overdue" },
  { screen: "routing decision", role: "warehouse_lead", path: () => `/routing/decisions/${decisionId()}` },
  { screen: "routing preview", role: "agent", path: () => "/orders/preview" },
  { screen: "refunds", role: "finance", path: () => "/refunds?status=succeeded" },
  { screen: "refunds (failed payouts)", role: "finance", path: () => "/refunds?status=failed" },
  {
    screen: "alerts",
    role: "manager",
    path: () => "/alerts",
    before: async (page) => {
      await page.getByRole("button", { name: "Evaluate now" }).click();
      await expect(page.getByTestId("evaluate-summary")).toContainText("open");
    },
  },
  { screen: "metrics", role: "manager", path: () => "/alerts/metrics" },
  { screen: "admin users", role: "admin", path: () => "/admin" },
  { screen: "admin settings", role: "admin", path: () => "/admin/settings" },
  { screen: "admin dead letters", role: "admin", path: () => "/admin/dead-letters?consumer=webhook%3Ae2e&status=all" },
  { screen: "admin webhook secrets", role: "admin", path: () => "/admin/webhooks" },
  { screen: "admin incoming events", role: "admin", path: () => "/admin/events" },
  { screen: "admin API keys", role: "admin", path: () => "/admin/api-keys" },
  { screen: "admin outgoing webhooks", role: "admin", path: () => "/admin/subscriptions" },
  { screen: "403 page", role: "agent", path: () => "/admin", status: 403 },
  // The form itself is audited in day-one.spec.ts (it needs a fresh invite); here the refusal of a used or unknown link.
  { screen: "invite link not valid", role: "agent", path: () => `/invite/${"x".repeat(43)}` },
  { screen: "refunds, filtered by last month in EUR", role: "finance", path: () => "/refunds?period=last_month&currency=EUR&min=100&tz=Europe/Madrid" },
  { screen: "metrics, a chosen week", role: "manager", path: () => "/alerts/metrics?period=custom&from=2026-10-19&to=2026-10-25&tz=Europe/Madrid" },
];

test.describe("accessibility", () => {
  test("login", async ({ page }) => {
    await page.goto("/login");
    await audit(page, "login");
  });

  for (const s of SCREENS) {
    test.describe(s.screen, () => {
      test.use({ storageState: authFile(s.role) });
      test(`${s.screen} as ${s.role}`, async ({ page }) => {
        const res = await page.goto(s.path());
        expect(res?.status()).toBe(s.status ?? 200);
        if (s.before) {
          await s.before(page);
          await page.reload();
        }
        await audit(page, s.screen);
      });
    });
  }
});
