import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** What the sink answers to RCPT TO: null accepts, else a reply code and text (451 try later, 550 no such mailbox). */
type Answer = { code: number; message: string } | null;

export type SmtpSink = {
  url: string;
  port: number;
  /** Every message the sink accepted, parsed by mailparser, in arrival order. */
  received: ParsedMail[];
  /** RCPT TO attempts seen per recipient, accepted or not. */
  attempts: Map<string, number>;
  close: () => Promise<void>;
};

/**
 * A real SMTP server (the smtp-server package) on a free local port, requiring the login in its URL,
 * that parses what it accepts with mailparser. `answer` decides each recipient, given how many times
 * it was tried before.
 */
export async function startSmtpSink(o: { user?: string; pass?: string; answer?: (rcpt: string, attempt: number) => Answer } = {}): Promise<SmtpSink> {
  const user = o.user ?? "mailer";
  const pass = o.pass ?? "s3cret pass";
  const received: ParsedMail[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user });
      callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const rcpt = address.address.toLowerCase();
      const attempt = (attempts.get(rcpt) ?? 0) + 1;
      attempts.set(rcpt, attempt);
      const answer = o.answer?.(rcpt, attempt) ?? null;
      if (answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
