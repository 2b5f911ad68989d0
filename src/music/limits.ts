/**
 * What the engine accepts, and so what every caller may ask for: the web service, the CLI and
 * the database column (generations.seed, bigint since migration 0011) follow these.
 */
export const MIN_SECONDS = 10;
export const MAX_SECONDS = 180;
/** Seeds are 32-bit unsigned: the engine's random generator is seeded with all 32 bits. */
export const MAX_SEED = 0xffff_ffff;
