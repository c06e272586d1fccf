import { test, expect } from "@playwright/test";
import { AxeBuilder } from "@axe-core/playwright";
import { authFile } from "./roles.ts";
import { SubscriptionsPage } from "./pages/subscriptions-page.ts";
import { startReceiver } from "../tests/support/webhook-receiver.ts";

test.describe("outgoing webhooks", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin adds a subscriber (secret shown once), sends a test event that a receiver verifies with the standardwebhooks package, sees it in the delivery log, rotates the secret and both secrets verify", async ({ page }) => {
    let secrets: string[] = [];
    const receiver = await startReceiver({ secrets: () => secrets });
    try {
      const subs = new SubscriptionsPage(page);
      await subs.goto();

      // A plain-http URL to another host is refused with the reason.
      const form = page.getByTestId("create-subscription-form");
      await form.getByLabel(/^Receiver URL/).fill("http://example.com/hooks");
      await form.getByRole("button", { name: "Add subscriber" }).click();
      await expect(form.getByTestId("action-error")).toContainText("plain http is only accepted for localhost or 127.0.0.1");

      const created = await subs.create(receiver.url, ["order.created", "refund.succeeded"]);
      const secret = created.secret;
      secrets = [secret];
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await page.reload();
      await expect(subs.row(created.id)).toContainText("order.created refund.succeeded");
      await expect(page.locator("body")).not.toContainText(secret); // shown once, never again

      await subs.open(created.id);
      await expect(page.getByText("No deliveries yet")).toBeVisible();
      await subs.sendTestEvent();
      // The worker beside the server delivers it after commit; the log refreshes itself.
      await expect(subs.deliveries().first()).toContainText("webhook.test", { timeout: 15_000 });
      await expect(subs.deliveries().first().getByTestId("delivery-status")).toHaveText("200");
      await expect(subs.deliveries().first()).toContainText(`_${created.id}`);

      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]).toMatchObject({ verified: true, id: expect.stringMatching(new RegExp(`^msg_\\d+_${created.id}$`)) });
      expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: "webhook.test", data: { subscriptionId: created.id } });

      // Rotation: the new secret shown once; during the overlap a receiver holding either secret verifies.
      const rotated = await subs.rotateSecret();
      expect(rotated).not.toBe(secret);
      secrets = [secret, rotated];
      await subs.sendTestEvent();
      await expect(subs.deliveries()).toHaveCount(2, { timeout: 15_000 });
      await expect(subs.deliveries().first().getByTestId("delivery-status")).toHaveText("200");
      expect(receiver.received[1]).toMatchObject({ verified: true });
      expect(receiver.received[1]!.signature.split(" ")).toHaveLength(2);

      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
      await page.screenshot({ path: "e2e/artifacts/admin-outgoing-webhook.png", fullPage: true });
    } finally {
      await receiver.close();
    }
  });
});
