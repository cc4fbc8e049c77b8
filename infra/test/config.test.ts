import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parsePlatformConfig } from '../src/config.js';
import { committedContext, infraRoot } from './support.js';

/** The parts of the committed context the tests below change. */
interface EnvContext {
  account: string;
  host: string;
  hostedZoneId?: string;
  availabilityZones: string[];
  sizes: { cacheReplicas: number; nodes: { minSize: number } };
}
type Context = { 'goorm:environments': { staging: EnvContext; prod: EnvContext } };

const parseWith = (mutate: (ctx: Context) => void) => {
  const ctx = structuredClone(committedContext());
  mutate(ctx as unknown as Context);
  return parsePlatformConfig((key) => ctx[key]);
};

describe('platform config from context', () => {
  it('reads both environments, each with its own sizes, from cdk.json', () => {
    const config = parseWith(() => {});
    expect(config.environments.map((e) => e.name)).toEqual(['staging', 'prod']);
    const [staging, prod] = config.environments;
    expect(staging?.sizes.nodes.instanceTypes).not.toEqual(prod?.sizes.nodes.instanceTypes);
    expect(prod?.availabilityZones).toHaveLength(3);
  });

  it('refuses what it would otherwise have to look up or guess', () => {
    expect(() => parseWith((c) => c['goorm:environments'].prod.availabilityZones.pop())).toThrow(/three AZs/);
    expect(() => parseWith((c) => delete c['goorm:environments'].staging.hostedZoneId)).toThrow(ConfigError);
    expect(() => parseWith((c) => (c['goorm:environments'].prod.account = 'unknown-account'))).toThrow(/12-digit/);
    expect(() => parseWith((c) => (c['goorm:environments'].prod.host = 'sugang.example.com'))).toThrow(/not in zone/);
    expect(() => parseWith((c) => (c['goorm:environments'].prod.sizes.cacheReplicas = 0))).toThrow(/Multi-AZ/);
    expect(() => parseWith((c) => (c['goorm:environments'].prod.sizes.nodes.minSize = 20))).toThrow(/minSize <= desiredSize/);
  });

  it('never looks anything up at synth (no fromLookup, no Vpc.fromLookup, no HostedZone.fromLookup)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(infraRoot, 'src'));
    walk(join(infraRoot, 'bin'));
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/fromLookup|valueFromLookup|ContextProvider/);
  });
});
