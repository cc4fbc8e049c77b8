/**
 * Where a service's CPU went: reads a `.cpuprofile` (node --cpu-prof, as `npm run bench -- --cpu-prof`
 * writes) and prints self time by package / source file and the top functions.
 *
 *   node --import tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The group a frame's self time counts under: an npm package, one of our source files, Node's internals, or V8's own. */
export function groupOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/(deps\/)?/, 'node:').split('/').slice(0, 2).join('/');
  const ours = /\/((?:services|scripts)\/.+)$/.exec(url);
  return ours ? ours[1]! : url;
}

export function summarizeProfile(p: CpuProfile, top = 25) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const g = groupOf(f);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'} ${g}:${f.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
  return { busyMs: Math.round(total / 1000), idleMs: Math.round(idle / 1000), groups: rank(groups), functions: rank(functions) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  for (const file of positionals) {
    const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    process.stdout.write(`${file}\nbusy ${s.busyMs} ms, idle ${s.idleMs} ms\n\nself time by package / file:\n`);
    for (const g of s.groups) process.stdout.write(`  ${String(g.pct).padStart(5)}%  ${String(g.ms).padStart(7)} ms  ${g.name}\n`);
    process.stdout.write('\ntop functions (self):\n');
    for (const f of s.functions) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(7)} ms  ${f.name}\n`);
  }
}
