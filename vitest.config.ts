import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Guards against a hang, not a speed check: with two files at a time on two cores a scenario
    // that renders and restarts processes can take twice its time alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default outside watch mode is one file fewer than the cores: one at a time on a
    // 2-core machine, while most files spend their time waiting on child processes, a browser,
    // PostgreSQL or timers. Every file has its own databases, ports and folders, so two run
    // side by side (or more on a larger machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ['test/setup/console-trap.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // Runs only when an integration file is in the run, so unit runs need no database.
          globalSetup: ['test/setup/compiled-roles.ts', 'test/setup/template-databases.ts'],
        },
      },
    ],
  },
});
