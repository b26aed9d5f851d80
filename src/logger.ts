import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** JSON logs on stdout; keys and secrets are redacted wherever they appear. */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { service: 'cx-graph' },
    redact: ['req.headers.authorization', '*.secret', '*.plaintext', 'authorization'],
  });
}
