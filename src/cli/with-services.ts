import { createLogger, type Logger } from '../logger.js';
import { openServices, type Services } from '../services.js';
import type { CommandIo } from './io.js';

/** Opens the services for one command and closes them whatever it returns or throws; logs warnings only unless the level was set. */
export async function withServices<T>(
  io: CommandIo,
  fn: (services: Services) => Promise<T>,
  log: Logger = createLogger({ level: io.env.logLevelExplicit ? io.env.logLevel : 'warn' }),
): Promise<T> {
  const services = await openServices({ env: io.env, log });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
