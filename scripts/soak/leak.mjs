// The soak's planted leak (npm run soak -- --plant-leak KB): loaded into every service process
// with NODE_OPTIONS=--import, it keeps SOAK_LEAK_KB of numbers in a module-level array per HTTP
// request the process serves, the way a per-request cache nobody evicts would. Never loaded otherwise.
import http from 'node:http';

const kb = Number(process.env.SOAK_LEAK_KB ?? 0);
const kept = [];
if (kb > 0) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === 'request') kept.push(Array.from({ length: kb * 128 }, (_, i) => i + 0.5));
    return emit.call(this, event, ...args);
  };
}
