/**
 * Where the crash-recovery tests make a worker die (INSTUNE_TEST_CRASH_AT, refused in
 * production): entering a stage, or after the output files are stored but before the result
 * is committed.
 */
export const crashPoints = ['analysing', 'rendering', 'encoding', 'after-store'] as const;
export type CrashPoint = (typeof crashPoints)[number];
