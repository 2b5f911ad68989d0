/** The few parts of autocannon 9 (untyped) that the benches use. */
declare module 'autocannon' {
  export interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    max: number;
  }
  export interface Options {
    url: string;
    connections?: number;
    workers?: number;
    duration?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: Buffer | string;
    /** Requests per second across all connections (open loop). */
    overallRate?: number;
  }
  export interface Result {
    latency: Histogram;
    requests: Histogram & { total: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    /** Responses per HTTP status. */
    statusCodeStats: Record<string, { count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
