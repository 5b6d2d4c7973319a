// Structured JSON logs over console.*, one object per line (Workers Logs indexes the fields).
// Never pass tokens, secrets or PII (userName, emails, names) here: log ids.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** An error's message for a log field or a stored error column, cut to `max` characters. */
export const errorText = (e: unknown, max = 200) => String((e as Error)?.message ?? e).slice(0, max);

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: string, msg: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, msg, ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}
