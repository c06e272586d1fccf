import { expect, type Locator, type Page } from "@playwright/test";

/** /routing: recent decisions with outcome filters, the backorder queue, and a decision's detail page. */
export class RoutingPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto(query = "") {
    await this.page.goto(`/routing${query}`);
    await expect(this.page.getByRole("heading", { name: "Routing", level: 1 })).toBeVisible();
  }

  async filterBy(label: "All" | "Split" | "Dropship" | "Backordered" | "Held") {
    await this.page.getByTestId("decision-filter").getByRole("link", { name: label, exact: true }).click();
  }

  activeFilter(): Locator {
    return this.page.getByTestId("decision-filter").locator('[aria-current="true"]');
  }

  decisionRows(): Locator {
    return this.page.getByTestId("routing-decisions").getByTestId("decision-row");
  }

  receiveForm(): Locator {
    return this.page.getByTestId("receive-stock");
  }

  /** Fills the receive-stock form (again after an answer, whether or not it kept its input) and submits it. */
  async receive(r: { location: string; sku: string; qty: number; reference: string; bookAgain?: boolean }) {
    const form = this.receiveForm();
    await form.getByLabel("Location").selectOption({ label: r.location });
    await form.getByLabel("SKU").fill(r.sku);
    await form.getByLabel("Units received").fill(String(r.qty));
    await form.getByLabel("Reference (optional)").fill(r.reference);
    if (r.bookAgain) await form.getByLabel(/Book again anyway/).check();
    await form.getByRole("button", { name: "Receive" }).click();
  }

  /** Opens the decision in the given row and waits for its page. */
  async openDecision(row: Locator): Promise<DecisionPage> {
    const link = row.getByRole("link", { name: /^Decision #\d+$/ });
    const name = (await link.textContent())!.trim();
    await link.click();
    await expect(this.page.getByRole("heading", { name, level: 1 })).toBeVisible();
    return new DecisionPage(this.page);
  }
}

/** /routing/decisions/[id]: why an order was routed the way it was. */
export class DecisionPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  outcome(): Locator {
    return this.page.getByTestId("decision-outcome");
  }

  explanation(): Locator {
    return this.page.getByTestId("decision-explanation");
  }

  candidates(): Locator {
    return this.page.getByTestId("candidates").getByTestId("candidate");
  }

  chosenCandidates(): Locator {
    return this.page.getByTestId("candidates").locator('[data-testid="candidate"][data-verdict="chosen"]');
  }

  plan(): Locator {
    return this.page.getByTestId("decision-plan");
  }

  /** The shipment count in the plan card's title, "Plan: N shipment(s)". */
  async plannedShipments(): Promise<number> {
    const title = await this.plan().getByRole("heading").textContent();
    const match = /Plan: (\d+) shipment/.exec(title ?? "");
    if (!match) throw new Error(`unexpected plan title: ${title}`);
    return Number(match[1]);
  }
}
