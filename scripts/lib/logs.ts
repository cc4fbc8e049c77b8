/** Turns the services' pino JSON lines into one short readable line each, for `npm start`. */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS = ['\x1b[36m', '\x1b[32m', '\x1b[33m', '\x1b[35m', '\x1b[34m', '\x1b[96m'];
const RESET = '\x1b[0m';
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'service', 'name', 'msg', 'req', 'res', 'responseTime', 'reqId', 'method', 'url', 'status', 'ms', 'ip']);

export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof o.time === 'string' ? o.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const level = LEVELS[Number(o.level)] ?? String(o.level ?? '');
  const req = o.req as { method?: string; url?: string } | undefined;
  const res = o.res as { statusCode?: number } | undefined;
  let text = String(o.msg ?? '');
  if (req?.method && res?.statusCode) text = `${req.method} ${req.url} ${res.statusCode} ${o.responseTime ?? '?'}ms`;
  else if (o.method && o.status) text = `${String(o.method)} ${String(o.url)} ${String(o.status)} ${String(o.ms)}ms`;
  const extra = Object.entries(o)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return `${time} ${level.padEnd(5)} ${text}${extra ? ` ${extra}` : ''}`;
}

/** `[auth]       ` in a stable colour per service when writing to a terminal. */
export function prefixer(names: string[], tty: boolean): (name: string) => string {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return (name) => {
    const label = `[${name}]`.padEnd(width + 1);
    if (!tty) return label;
    const color = COLORS[Math.max(0, names.indexOf(name)) % COLORS.length];
    return `${color}${label}${RESET}`;
  };
}
