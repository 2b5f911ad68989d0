/**
 * Retry policies that several jobs share because they share the reason for them. A job spreads
 * one into its definition; a job with a reason of its own keeps its own numbers.
 */

/**
 * A mail to one person: retried eight times with a growing delay from a minute, which rides out
 * an SMTP outage of a few hours; an attempt that hangs for five minutes is stopped and retried.
 */
export const mailRetryPolicy = {
  retry: { limit: 8, delaySeconds: 60, backoff: true },
  expireInSeconds: 5 * 60,
} as const;

/**
 * A scheduled sweep: one attempt, not retried, because the next run minutes later finds the
 * same due work again; a run that hangs for five minutes is stopped.
 */
export const sweepRetryPolicy = {
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  expireInSeconds: 5 * 60,
} as const;
