import { z } from 'zod';

/** The `alerts` part of the config (assembled in src/config). */
export const AlertsConfigSchema = z
  .object({
    /**
     * Which events are sent: failure (a run failed), retry_exhausted (a
     * task gave up), sla_missed, recovery (success after a failure).
     */
    on: z
      .array(z.enum(['failure', 'retry_exhausted', 'sla_missed', 'recovery']))
      .default(['failure', 'retry_exhausted', 'sla_missed', 'recovery']),
    /** Slack-compatible incoming webhooks: each gets `{"text": ..., "blocks": [...]}` by POST. */
    webhooks: z
      .array(z.object({ url: z.string().url(), headers: z.record(z.string(), z.string()).optional() }).strict())
      .default([]),
    /** Email through an SMTP server. */
    email: z
      .object({
        host: z.string(),
        port: z.number().int().positive().default(587),
        /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: z.string().optional(),
        from: z.string(),
        to: z.array(z.string()).min(1),
      })
      .strict()
      .optional(),
    /** Link shown in alerts to open a run (the web app's address). */
    baseUrl: z.string().optional(),
  })
  .strict()
  .default({ on: ['failure', 'retry_exhausted', 'sla_missed', 'recovery'], webhooks: [] });
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;
