import type { Clock } from '../shared/clock.ts';
import type { Database } from '../shared/database.ts';
import { startDailyBilling } from '../scheduler/daily.ts';
import { buildApp } from './app.ts';

export type RunningServer = { url: string; close(): Promise<void> };

/** Serves the API until SIGINT/SIGTERM, then drains requests and closes the database. */
export async function serve(database: Database, clock: Clock, options: { port: number; host: string; quiet?: boolean }): Promise<RunningServer> {
  const app = await buildApp({ pool: database.pool, clock, logger: options.quiet ? false : { level: process.env.LOG_LEVEL ?? 'info' } });
  const url = await app.listen({ port: options.port, host: options.host });
  // The daily billing run, in this process (ACCRUE_SCHEDULER=off leaves it to another).
  const scheduler = process.env.ACCRUE_SCHEDULER === 'off' ? null : startDailyBilling(database.pool, clock, {
    log: (message, error) => (error ? console.error(`accrue: ${message}:`, error) : app.log.info(message)),
  });
  const close = async () => {
    await scheduler?.stop();
    await app.close();
    await database.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      close().then(() => process.exit(0), () => process.exit(1));
    });
  }
  return { url, close };
}
