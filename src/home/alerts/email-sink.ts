import nodemailer, { type Transporter } from 'nodemailer';
import type { Alert } from './alert.ts';

export interface EmailSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  to: string[];
}

/** Sends alerts as plain-text email through an SMTP server (nodemailer). */
export class EmailSink {
  readonly name: string;
  private readonly transport: Transporter;

  constructor(private readonly settings: EmailSettings) {
    this.name = `smtp ${settings.host}:${settings.port}`;
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    });
  }

  async send(alert: Alert): Promise<void> {
    await this.transport.sendMail({
      from: this.settings.from,
      to: this.settings.to,
      subject: alert.title,
      text: [
        ...alert.lines,
        '',
        `DAG ${alert.dag}, logical date ${alert.logicalDate}, run ${alert.runId}, at ${alert.at}`,
        ...(alert.link ? [alert.link] : []),
      ].join('\n'),
    });
  }

  close(): void {
    this.transport.close();
  }
}
