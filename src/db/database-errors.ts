/** How a failed statement is reported: the client's fault (4xx), the database away (503), or a bug (500). */

/** SQLSTATE class 22 (data exception: bad text for a uuid, a number out of range ...) comes from the input, not the server. */
export function isDataException(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    const record = current as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown }; cause?: unknown };
    for (const code of [record.code, record.originalCode, record.meta?.code]) {
      if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    }
    current = record.cause;
  }
  return false;
}

/**
 * The database cannot be reached right now (connection lost or refused, server shutting down or
 * starting: SQLSTATE classes 08 and 57): the request may be retried, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    const record = current as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown };
    for (const code of [record.code, record.originalCode]) {
      if (typeof code === 'string' && (/^(08|57)[0-9A-Z]{3}$/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
    }
    if (typeof record.message === 'string' && /Connection terminated|connection error|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Client was closed/i.test(record.message))
      return true;
    current = record.cause;
  }
  return false;
}
