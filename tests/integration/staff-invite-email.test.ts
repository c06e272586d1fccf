import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InviteEmail } from "../../components/admin/invite-email.tsx";
import type * as AdminActions from "../../app/(ops)/admin/actions.ts";
import type * as Accept from "../../app/(auth)/invite/[token]/accept.ts";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import { inviteById } from "../../db/queries/invites.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { env } from "../../lib/env.ts";
import { emailConsumer } from "../../lib/notify/consumer.ts";
import { messageIdFor } from "../../lib/notify/notifier.ts";
import { smtpNotifier } from "../../lib/notify/smtp.ts";
import { subscriptionConsumer } from "../../lib/webhooks/consumer.ts";
import { advanceCursor, outboxHead, retryNow } from "../../lib/worker/cursors.ts";
import { deliverNext, type OutboxConsumer } from "../../lib/worker/outbox.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";

const FROM = "Switchyard <team@switchyard.example>";
const PASSWORD = "violet tugboat arithmetic";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let admin: typeof AdminActions;
let accept: typeof Accept;
let sink: SmtpSink;
const sinks: SmtpSink[] = [];
const notifiers: { close: () => void }[] = [];

const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;
const all = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).all(...params) as T[];

beforeAll(async () => {
  sink = await startSmtpSink();
  sinks.push(sink);
  // Email is configured before anything reads the environment: invites are queued for the email consumer.
  process.env.SMTP_URL = sink.url;
  process.env.MAIL_FROM = FROM;
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 5, buildElasticsearch: false }));
  expect(env()).toMatchObject({ SMTP_URL: sink.url, MAIL_FROM: FROM });
  // The seed's customer email is not this test's business: the email consumer starts after it.
  advanceCursor(db, "email", outboxHead(db));
  admin = await import("../../app/(ops)/admin/actions.ts");
  accept = await import("../../app/(auth)/invite/[token]/accept.ts");
}, 120_000);
afterAll(async () => {
  for (const n of notifiers) n.close();
  await Promise.all(sinks.map((s) => s.close()));
  cleanup?.();
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
});

/** The worker's email consumer, sending through the SMTP adapter to `url` (the configured sink unless told). */
function consumerFor(url = sink.url): OutboxConsumer {
  const notifier = smtpNotifier({ url, from: FROM });
  notifiers.push(notifier);
  return emailConsumer(db, { notifier, from: FROM });
}

/** Runs the consumer until its backlog is empty, as the worker does after commit. */
async function sendAll(consumer = consumerFor()) {
  for (let i = 0; i < 100; i++) {
    const pass = await deliverNext(db, consumer);
    if (pass.outcome === "idle") return;
    if (pass.outcome !== "delivered") throw new Error(`email consumer: ${pass.outcome} ${pass.error ?? ""}`);
  }
  throw new Error("email backlog did not drain");
}

async function invite(email: string, role: Role = "agent", name = "Ines Invited") {
  const res = await runAs(users.admin, () => admin.inviteUserAction({ email, name, role }));
  if (!res.ok) throw new Error(res.message);
  return res.data;
}

/** The delivery note beside an open invite on the admin users screen, as rendered there (tags stripped). */
const screenNote = (id: number) => renderToStaticMarkup(createElement(InviteEmail, { invite: inviteById(db, id)! })).replace(/<[^>]+>/g, "");

const mailTo = (s: SmtpSink, address: string) => s.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
const sealedLink = (id: number) => one<{ link: string | null }>("SELECT link_sealed AS link FROM staff_invites WHERE id = ?", id).link;
/** Every place a message or its copy is kept: the link's token must be in none of them. */
const storedPayloads = () => JSON.stringify([all("SELECT payload FROM outbox"), all("SELECT payload FROM outbox_dead_letters"), all("SELECT * FROM staff_invites")]);

describe("staff invites by email through a real SMTP server", () => {
  test("the invitee gets the link with its expiry (text and HTML, a stable Message-ID); the link sets their password; the screen's state says when it went out", async () => {
    const i = await invite("nora.new@switchyard.test", "finance", "Nora <New> & Co");
    expect(i.emailed).toBe(true);
    const token = i.link.split("/invite/")[1]!;
    // The outbox names the invite only; the link waits sealed on the invite, never in the clear.
    const out = one<{ topic: string; payload: string }>("SELECT topic, payload FROM outbox WHERE aggregate_type = 'staff_invite' AND aggregate_id = ?", i.id);
    expect(out.topic).toBe("staff.invited");
    expect(JSON.parse(out.payload)).toEqual({ inviteId: i.id });
    expect(sealedLink(i.id)).toMatch(/^v1\./);
    expect(storedPayloads()).not.toContain(token);
    expect(inviteById(db, i.id)).toMatchObject({ emailStatus: "pending", emailError: null, emailAt: null });
    expect(mailTo(sink, "nora.new@switchyard.test")).toEqual([]); // nothing leaves inside the action's transaction
    expect(screenNote(i.id)).toBe("Email queued");

    await sendAll();
    const [mail] = mailTo(sink, "nora.new@switchyard.test");
    expect(mailTo(sink, "nora.new@switchyard.test")).toHaveLength(1);
    expect(mail!.subject).toBe("You're invited to Switchyard");
    expect(mail!.from?.value[0]).toEqual({ address: "team@switchyard.example", name: "Switchyard" });
    const expiry = `${new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(i.expiresAt)} UTC`;
    expect(mail!.text).toContain("Hello Nora <New> & Co,");
    expect(mail!.text).toContain(`invited you to Switchyard as Finance. Open this link to set your password and sign in:\n\n${i.link}\n`);
    expect(mail!.text).toContain(`The link works once, until ${expiry}.`);
    expect(mail!.html).toContain(`<a href="${i.link}">Set your password</a>`);
    expect(mail!.html).toContain("Hello Nora &lt;New&gt; &amp; Co,");
    expect(mail!.html).toContain(expiry);
    const sent = inviteById(db, i.id)!;
    expect(mail!.messageId).toBe(messageIdFor(sent, FROM, "invite"));
    expect(sent).toMatchObject({ emailStatus: "sent", emailError: null, emailAt: expect.any(Number) });
    expect(sealedLink(i.id)).toBeNull(); // sent: the link is gone from the database
    const at = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(sent.emailAt!);
    expect(screenNote(i.id)).toBe(`Link emailed ${at}`);

    await sendAll(); // a pass with nothing new sends nothing again
    expect(mailTo(sink, "nora.new@switchyard.test")).toHaveLength(1);

    // The person opens the link from the email: the invite page finds it open, and the form sets their password.
    const emailed = /https?:\/\/\S+\/invite\/([A-Za-z0-9_-]{43})/.exec(mail!.text!)!;
    expect(emailed[0]).toBe(i.link);
    const { openInvite } = await import("../../lib/admin/invites.ts");
    expect(db.transaction((tx) => openInvite(tx, emailed[1]!, Date.now()))).toMatchObject({ id: i.id, email: "nora.new@switchyard.test", role: "finance" });
    expect(await accept.acceptInviteAction({ token: emailed[1]!, password: PASSWORD, confirm: PASSWORD })).toEqual({ ok: true, email: "nora.new@switchyard.test" });
    const user = one<{ role: string; passwordHash: string }>("SELECT role, password_hash AS passwordHash FROM users WHERE email = ?", "nora.new@switchyard.test");
    expect(user.role).toBe("finance");
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
  });

  test("a revoked invite, one accepted from the passed-on link and one expired before the worker came round are not sent, and their links are dropped", async () => {
    const revoked = await invite("revoked@switchyard.test");
    expect(await runAs(users.admin, () => admin.revokeInviteAction({ inviteId: revoked.id }))).toMatchObject({ ok: true });
    expect(sealedLink(revoked.id)).toBeNull(); // dropped in the revoke's own transaction
    expect(inviteById(db, revoked.id)).toMatchObject({ emailStatus: "skipped" });

    const accepted = await invite("accepted@switchyard.test");
    expect(await accept.acceptInviteAction({ token: accepted.link.split("/invite/")[1]!, password: PASSWORD, confirm: PASSWORD })).toMatchObject({ ok: true });
    expect(sealedLink(accepted.id)).toBeNull();

    const expired = await invite("expired@switchyard.test");
    db.$client.prepare("UPDATE staff_invites SET expires_at = ? WHERE id = ?").run(Date.now() - 1, expired.id);
    expect(sealedLink(expired.id)).not.toBeNull();

    await sendAll();
    for (const address of ["revoked@switchyard.test", "accepted@switchyard.test", "expired@switchyard.test"]) expect(mailTo(sink, address)).toEqual([]);
    expect([revoked, accepted, expired].map((x) => inviteById(db, x.id)!.emailStatus)).toEqual(["skipped", "skipped", "skipped"]);
    expect(sealedLink(expired.id)).toBeNull();
  });

  test("a mailbox the server refuses (550) is failed with the server's words and no address; the link is dropped", async () => {
    const refusing = await startSmtpSink({ answer: (rcpt) => (rcpt === "nobody@switchyard.test" ? { code: 550, message: "5.1.1 <nobody@switchyard.test>: mailbox unavailable" } : null) });
    sinks.push(refusing);
    const i = await invite("nobody@switchyard.test");
    await sendAll(consumerFor(refusing.url));
    expect(refusing.attempts.get("nobody@switchyard.test")).toBe(1);
    expect(refusing.received).toEqual([]);
    const failed = inviteById(db, i.id)!;
    expect(failed).toMatchObject({ emailStatus: "failed", emailAt: expect.any(Number) });
    expect(failed.emailError).toContain("550 5.1.1");
    expect(failed.emailError).not.toContain("nobody@");
    expect(sealedLink(i.id)).toBeNull();
    expect(screenNote(i.id)).toMatch(/^Email failed: .*550 5\.1\.1 .*mailbox unavailable.*\. Revoke and invite again, or pass on the link yourself\.$/);
    // Still open: the admin may pass the link on themselves or revoke it.
    expect(failed.acceptedAt ?? failed.revokedAt).toBeNull();
  });

  test("a server answering 451 is retried, the wait noted on the invite, and the invitee gets the email once", async () => {
    const greylisting = await startSmtpSink({ answer: (_rcpt, attempt) => (attempt === 1 ? { code: 451, message: "4.7.1 Greylisted, try again later" } : null) });
    sinks.push(greylisting);
    const i = await invite("grey@switchyard.test");
    const consumer = consumerFor(greylisting.url);
    const first = await deliverNext(db, consumer);
    expect(first.outcome).toBe("failed");
    expect(inviteById(db, i.id)).toMatchObject({ emailStatus: "pending", emailError: expect.stringContaining("451 4.7.1 Greylisted") });
    expect(sealedLink(i.id)).not.toBeNull(); // kept for the retry
    expect(screenNote(i.id)).toMatch(/^Email queued \(retrying: .*451 4\.7\.1 Greylisted/);
    retryNow(db, consumer.name);
    await sendAll(consumer);
    expect(mailTo(greylisting, "grey@switchyard.test")).toHaveLength(1);
    expect(inviteById(db, i.id)).toMatchObject({ emailStatus: "sent", emailError: null });
  });

  test("no webhook subscription forwards staff.invited, even one whose stored event types name it", () => {
    const { id } = one<{ id: number }>(
      `INSERT INTO webhook_subscriptions (url, event_types, secret, enabled, created_at, updated_at)
       VALUES ('https://hooks.example/in', '["order.created","staff.invited"]', 'whsec_dGVzdA==', 1, 0, 0) RETURNING id`,
    );
    const webhook = subscriptionConsumer(db, id);
    expect(webhook.accepts("order.created")).toBe(true);
    expect(webhook.accepts("staff.invited")).toBe(false);
    expect(webhook.accepts("notification.email")).toBe(false);
  });
});
