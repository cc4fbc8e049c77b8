import type { FaultReport } from './run.ts';

const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));
const list = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} × ${k}`)
    .join(', ') || 'none';

export const perSecond = (r: Record<number, number>) =>
  Object.entries(r)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, v]) => `${k}s: ${v}`)
    .join(', ') || 'none';

/** One fault's report as the console shows it. */
export function renderFault(r: FaultReport): string {
  const f = r.failures;
  const lines = [
    '',
    `── ${r.fault} ${r.ok ? '(passed)' : '(BREACH)'} ──`,
    `  ${r.detail}`,
    `  opening: ${r.students} students, ${r.decisions} decisions, ${r.seatsFilled} seats in ${r.openingS.toFixed(1)} s; fault ${r.injectedAfterS} s after the opening`,
    `  mid-burst: ${f.midBurst ? 'yes' : 'NO'} (enroll decisions ${f.decisions.before} before, ${f.decisions.during} while away, ${f.decisions.after} after)`,
    `  failed attempts: ${f.failed} of ${f.attempts} (${list(f.failedBy)})`,
    `    by endpoint: ${list(f.failedByEndpoint)}`,
    `    by second after the injection: ${perSecond(f.failuresPerSecond)}${f.timedOut ? ` (${f.timedOut} noticed only at the client's 15 s timeout)` : ''}`,
    `  failing from ${fmt(f.firstFailureS)} s to ${fmt(f.lastFailureS)} s after the injection (${f.failingForS.toFixed(1)} s); component back after ${fmt(f.backAfterS)} s; first success after the last failure at ${fmt(f.recoveredAfterS)} s (${fmt(f.recoveryAfterBackS)} s after it was back)`,
    `  requests: ${f.requests}, ${f.retried} retried with the same key, ${f.beyondAppRetries} needed more than the app's 2 retries, ${f.unresolved} unresolved`,
    `  services' counters: ${list(r.counters)}`,
    `  invariants: ${r.invariants.ok ? 'every one holds' : list(r.invariants.counts)}; ${r.invariants.checked.enrollments} rows, ${r.invariants.checked.answers201} answered 201`,
    ...r.invariants.breaches.slice(0, 10).map((b) => `    ${b.kind}: ${b.detail}`),
    '',
  ];
  return lines.join('\n');
}

/** The table of docs/reliability.md. */
export function renderSummary(reports: FaultReport[]): string {
  const head = '| fault | failed attempts | by status | failing for | back after | served again after | beyond app retries | rows / 201s | invariants |\n| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n';
  const rows = reports
    .map((r) => {
      const f = r.failures;
      return `| ${r.fault} | ${f.failed} of ${f.attempts} | ${list(f.failedBy)} | ${f.failingForS.toFixed(1)} s | ${fmt(f.backAfterS)} s | ${fmt(f.recoveredAfterS)} s (${fmt(f.recoveryAfterBackS)} s) | ${f.beyondAppRetries} | ${r.invariants.checked.enrollments} / ${r.invariants.checked.answers201} | ${r.invariants.ok ? 'hold' : list(r.invariants.counts)} |`;
    })
    .join('\n');
  return `\n${head}${rows}\n\n`;
}
