import { z } from 'zod';

/** Send a test message through one kind of a server's alert channels, from the server. */
export const AlertTestRequest = z
  .object({ serverId: z.string().uuid(), channel: z.enum(['smtp', 'webhook']) })
  .strict();
export type AlertTestRequest = z.input<typeof AlertTestRequest>;

/** Each configured channel's outcome; none when the server has no channel of that kind. */
export const AlertTestResult = z.object({
  channel: z.enum(['smtp', 'webhook']),
  deliveries: z.array(
    z.object({
      /** 'smtp', or 'webhook N (format)': never the webhook URL, whose path is its secret. */
      target: z.string().max(200),
      ok: z.boolean(),
      /** The relay's or the HTTP answer's words (English, from the server). */
      error: z.string().max(2000).optional(),
    }),
  ),
});
export type AlertTestResult = z.infer<typeof AlertTestResult>;
