import { describe, expect, test } from "vitest";
import { buildMessage, escapeHtml, type CustomerNotice } from "../../lib/notify/messages.ts";
import { messageIdFor, withoutAddresses } from "../../lib/notify/notifier.ts";

const to = { orderNumber: "SY-100042", customerName: "Grace Hopper" };
const build = (notice: CustomerNotice) => buildMessage(to, notice);

/** The HTML's visible text, tags dropped and entities read back: what a mail client shows. */
const visible = (html: string) =>
  html
    .replace(/<title>.*?<\/title>/s, "")
    .replace(/<li>/g, "- ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

describe("customer message builders", () => {
  test("shipped: the parcel's items with carrier and tracking, then what still follows (open shipments and backorders)", () => {
    const m = build({
      kind: "shipped",
      items: [{ qty: 2, name: "Stoneware mug" }],
      carrier: "DHL",
      trackingNumber: "JD0146000001",
      stillToCome: [{ qty: 1, name: "Two-slot toaster" }],
      backordered: [{ qty: 3, name: "Stovetop kettle" }],
    });
    expect(m.subject).toBe("Your order SY-100042 is on its way");
    expect(m.text).toBe(
      [
        "Hello Grace Hopper,",
        "",
        "Your order SY-100042 is on its way with DHL, tracking number JD0146000001. In this parcel:",
        "- 2 × Stoneware mug",
        "",
        "Still to come:",
        "- 1 × Two-slot toaster",
        "- 3 × Stovetop kettle (backordered)",
        "",
        "Switchyard customer service",
      ].join("\n"),
    );
    expect(m.html).toContain("<ul><li>2 × Stoneware mug</li></ul>");
    expect(m.html).toContain("<ul><li>1 × Two-slot toaster</li><li>3 × Stovetop kettle (backordered)</li></ul>");
    expect(visible(m.html)).toBe(m.text.replace(/\s+/g, " "));
  });

  test("shipped with nothing left to send says the order is complete", () => {
    const m = build({ kind: "shipped", items: [{ qty: 1, name: "Mug" }], carrier: "UPS", trackingNumber: "1Z", stillToCome: [], backordered: [] });
    expect(m.text).toContain("That completes your order.");
    expect(m.text).not.toContain("Still to come");
  });

  test("backordered asks the customer to wait or cancel; a ship-complete order says all of it waits", () => {
    const plain = build({ kind: "backordered", items: [{ qty: 1, name: "Enamel kettle" }], shipComplete: false });
    expect(plain.subject).toBe("Part of order SY-100042 is backordered");
    expect(plain.text).toContain("1 × Enamel kettle is not available right now. It will ship as soon as it is back in stock.");
    expect(plain.text).toContain("whether to wait for it or cancel it");
    const whole = build({ kind: "backordered", items: [{ qty: 1, name: "Enamel kettle" }], shipComplete: true });
    expect(whole.text).toContain("your order ships complete, so all of it waits");
  });

  test("cancellation states what was cancelled and the refund owed, formatted in the order's currency", () => {
    const all = build({ kind: "cancelled", items: [{ qty: 2, name: "Stovetop kettle" }, { qty: 1, name: "Mug" }], refunded: { amount: 27_960, currency: "EUR" }, refundFollows: false });
    expect(all.subject).toBe("Order SY-100042 is cancelled");
    expect(all.text).toContain("was cancelled and €279.60 refunded to your original payment method.\n\nCancelled:\n- 2 × Stovetop kettle\n- 1 × Mug");
    expect(all.html).toContain("<ul><li>2 × Stovetop kettle</li><li>1 × Mug</li></ul>");
    const unpaid = build({ kind: "cancelled", items: [], refunded: null, refundFollows: false });
    expect(unpaid.text).toContain("Your order SY-100042 was cancelled.");
    expect(unpaid.text).not.toMatch(/refund|Cancelled:/);
    expect(build({ kind: "cancelled", items: [], refunded: null, refundFollows: true }).text).toContain("Your refund follows shortly.");

    const part = build({ kind: "lines_cancelled", items: [{ qty: 1, name: "Enamel kettle" }, { qty: 2, name: "Mug" }], refunded: { amount: 1_050, currency: "GBP" }, refundFollows: false });
    expect(part.subject).toBe("Part of order SY-100042 is cancelled");
    expect(part.text).toContain("These items of your order were cancelled:\n- 1 × Enamel kettle\n- 2 × Mug\n\n£10.50 refunded");
    expect(part.html).toContain("<li>1 × Enamel kettle</li><li>2 × Mug</li>");
    const held = build({ kind: "lines_cancelled", items: [{ qty: 1, name: "Mug" }], refunded: null, refundFollows: true });
    expect(held.text).toContain("Your refund follows shortly.");
  });

  test("refund succeeded: the amount, and the agent's message to the customer only", () => {
    const m = build({ kind: "refunded", refund: { amount: 3_000, currency: "EUR" }, customerMessage: "Sorry for the late delivery.\nEnjoy the mug!" });
    expect(m.subject).toBe("Refund of €30.00 for order SY-100042");
    expect(m.text).toContain("We refunded €30.00 to your original payment method.\n\nSorry for the late delivery.\nEnjoy the mug!");
    expect(m.html).toContain("<p>Sorry for the late delivery.<br>Enjoy the mug!</p>");
    const bare = build({ kind: "refunded", refund: { amount: 3_000, currency: "EUR" }, customerMessage: "   " });
    expect(bare.text.split("\n\n")).toHaveLength(3); // greeting, amount, sign-off
  });

  test("customer-provided text is escaped in the HTML part and kept verbatim in the text part", () => {
    const m = buildMessage(
      { orderNumber: "SY-1", customerName: 'Robert"); <script>alert(1)</script>' },
      { kind: "refunded", refund: { amount: 100, currency: "EUR" }, customerMessage: '<img src=x onerror="steal()"> & thanks' },
    );
    expect(m.html).not.toMatch(/<script|<img/);
    expect(m.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(m.html).toContain("&lt;img src=x onerror=&quot;steal()&quot;&gt; &amp; thanks");
    expect(m.text).toContain('<img src=x onerror="steal()"> & thanks');
    const product = build({ kind: "backorder_allocated", items: [{ qty: 1, name: "Pots & <b>pans</b>" }], from: "Rotterdam", stillBackordered: 0 });
    expect(product.html).toContain("1 × Pots &amp; &lt;b&gt;pans&lt;/b&gt;");
    expect(product.html).toContain("<title>Good news: 1 × Pots &amp; &lt;b&gt;pans&lt;/b&gt; for order SY-100042 is back in stock</title>");
    expect(escapeHtml(`'"&<>`)).toBe("&#39;&quot;&amp;&lt;&gt;");
  });

  test("backorder filled names where it ships from and how many still wait", () => {
    const m = build({ kind: "backorder_allocated", items: [{ qty: 2, name: "Stovetop kettle" }], from: "Leipzig", stillBackordered: 1 });
    expect(m.subject).toBe("Good news: 2 × Stovetop kettle for order SY-100042 is back in stock");
    expect(m.text).toContain("2 × Stovetop kettle will ship from Leipzig. 1 more remain on backorder.");
  });
});

describe("email identity and errors", () => {
  test("a notification's Message-ID is the same every time it is built, and differs between notifications", () => {
    const from = "Switchyard <orders@shop.example>";
    const a = messageIdFor({ id: 7, createdAt: 1_768_467_600_000 }, from);
    expect(a).toBe(messageIdFor({ id: 7, createdAt: 1_768_467_600_000 }, from));
    expect(a).toMatch(/^<notification-7\.[0-9a-z]+@shop\.example>$/);
    expect(messageIdFor({ id: 8, createdAt: 1_768_467_600_000 }, from)).not.toBe(a);
    expect(messageIdFor({ id: 7, createdAt: 1_768_467_600_001 }, from)).not.toBe(a); // a new database reusing id 7
    expect(messageIdFor({ id: 7, createdAt: 1 }, "orders@plain.example")).toBe("<notification-7.1@plain.example>");
  });

  test("addresses are removed from a server's error before it is stored for the timeline", () => {
    expect(withoutAddresses("550 5.1.1 <grace.hopper+orders@example.test>: Recipient address rejected")).toBe("550 5.1.1 [address]: Recipient address rejected");
    expect(withoutAddresses("Can't send mail - all recipients were rejected: 550 no such user ada@example.test")).toBe(
      "Can't send mail - all recipients were rejected: 550 no such user [address]",
    );
  });
});
