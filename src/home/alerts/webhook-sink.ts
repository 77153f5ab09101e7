import { TransientError } from '../../errors/index.ts';
import { slackPayload, type Alert } from './alert.ts';

/** POSTs Slack-compatible JSON to a webhook; a non-2xx answer is a (retryable) failure. */
export class WebhookSink {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {
    this.name = `webhook ${new URL(url).host}`;
  }

  async send(alert: Alert): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(slackPayload(alert)),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok)
      throw new TransientError('alert_webhook_failed', `webhook answered ${res.status} ${res.statusText}`, {
        subject: this.name,
        hint: 'check the webhook URL in alerts.webhooks',
      });
  }
}
