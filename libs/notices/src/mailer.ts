import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { ENV, type Env } from '#libs/core';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

export type MailOutcome = { kind: 'sent'; messageId: string } | { kind: 'logged' };

/**
 * Sends notice e-mails over SMTP (nodemailer, SMTP_URL). Without SMTP_URL nothing is sent: each
 * e-mail is written to the log in full, and start-up says so once.
 */
@Injectable()
export class Mailer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(ENV) env: Env) {
    this.transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;
    this.from = env.MAIL_FROM;
  }

  onModuleInit(): void {
    if (!this.transport) this.logger.warn('SMTP_URL is not set: notice e-mails are written to this log, not sent');
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  async send(mail: Mail): Promise<MailOutcome> {
    if (!this.transport) {
      this.logger.log(
        `e-mail not sent (no SMTP_URL) — To: ${mail.to.join(', ')}\nSubject: ${mail.subject}\n\n${mail.text}`,
      );
      return { kind: 'logged' };
    }
    const info = (await this.transport.sendMail({ from: this.from, ...mail })) as { messageId: string };
    return { kind: 'sent', messageId: info.messageId };
  }
}

/** A send failure in our own words for the delivery log (never the server's text). */
export function mailErrorCategory(e: unknown): string {
  const err = e as { responseCode?: number; code?: string };
  if (typeof err.responseCode === 'number') return `smtp_${err.responseCode}`;
  const code = err.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'ECONNRESET':
      return 'connection_reset';
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
      return 'timeout';
    case 'EAUTH':
      return 'auth_failed';
    case 'ETLS':
    case 'ESOCKET':
      return 'tls_or_socket_error';
    case 'EENVELOPE':
      return 'bad_recipient';
    default:
      return 'send_error';
  }
}
