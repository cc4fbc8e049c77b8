import { performance } from 'node:perf_hooks';
import type { Knex, Logger } from '@goorm/common';
import type { EnrollmentWindow, Phase } from '@goorm/contracts';
import { listWindows } from '../windows/windows.repository.ts';
import { ensureSeatRows, findCurrentTermId, loadTermCatalog, sectionInTerm, type CatalogSection } from './catalog.repository.ts';

export type { CatalogMeeting, CatalogReservation, CatalogSection } from './catalog.repository.ts';

interface TimedWindow extends EnrollmentWindow {
  opensAtMs: number;
  closesAtMs: number;
}

/** The current term's frozen catalog and windows, as of one load. */
export class CatalogSnapshot {
  constructor(
    readonly termId: number | undefined,
    readonly sections: ReadonlyMap<number, CatalogSection>,
    private readonly windows: readonly TimedWindow[],
    /** performance.now() of the load. */
    readonly loadedAt: number,
  ) {}

  section(id: number): CatalogSection | undefined {
    return this.sections.get(id);
  }

  /** The window open at `now` for this grade in one of the phases; with no grade, for any grade. */
  openWindow(phases: readonly Phase[], now: Date, grade?: number): EnrollmentWindow | undefined {
    const t = now.getTime();
    return this.windows.find(
      (w) => phases.includes(w.phase) && w.opensAtMs <= t && t < w.closesAtMs && (grade === undefined || w.grades.includes(grade)),
    );
  }
}

export interface CatalogCacheOptions {
  /** How long a load is served before the next request reloads it. 0 = every request. */
  ttlMs: number;
  logger: Logger;
  onReload?: () => void;
  /** Every get(): hit when a fresh snapshot is served, miss when it loads or waits for a load. */
  onLookup?: (result: 'hit' | 'miss') => void;
}

/**
 * The hot path's cache of the term's frozen catalog (section → lecture, credits, meetings,
 * eligibility, reservations) and enrollment windows. Loads are single-flight: a burst of
 * requests shares one load. Capacity is NOT taken from here: the seat UPDATE reads it in SQL.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private loading: Promise<CatalogSnapshot> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly opts: CatalogCacheOptions,
  ) {}

  async get(): Promise<CatalogSnapshot> {
    const s = this.snapshot;
    if (s && performance.now() - s.loadedAt < this.opts.ttlMs) {
      this.opts.onLookup?.('hit');
      return s;
    }
    this.opts.onLookup?.('miss');
    return this.reload();
  }

  /**
   * The snapshot and the section in it. A miss reads through: one primary-key read says whether
   * the section is in the term now (created since the load); only then the catalog reloads. An id
   * that does not exist costs that read, never a reload.
   */
  async withSection(id: number): Promise<{ snapshot: CatalogSnapshot; section: CatalogSection | undefined }> {
    let snapshot = await this.get();
    if (snapshot.section(id) || snapshot.termId === undefined) return { snapshot, section: snapshot.section(id) };
    if (!(await sectionInTerm(this.db, id, snapshot.termId))) return { snapshot, section: undefined };
    snapshot = await this.reload();
    // A load already in flight may have read the term before the section was written: one more.
    if (!snapshot.section(id)) snapshot = await this.reload();
    return { snapshot, section: snapshot.section(id) };
  }

  invalidate(): void {
    this.snapshot = undefined;
  }

  reload(): Promise<CatalogSnapshot> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<CatalogSnapshot> {
    const started = performance.now();
    const termId = await findCurrentTermId(this.db);
    let sections: ReadonlyMap<number, CatalogSection> = new Map();
    let windows: TimedWindow[] = [];
    if (termId !== undefined) {
      const [catalog, ws] = await Promise.all([loadTermCatalog(this.db, termId), listWindows(this.db, termId)]);
      sections = catalog.sections;
      windows = ws.map((w) => ({ ...w, opensAtMs: Date.parse(w.opensAt), closesAtMs: Date.parse(w.closesAt) }));
      if (catalog.missingSeatRows) await ensureSeatRows(this.db, termId);
    }
    this.opts.onReload?.();
    this.opts.logger.debug({ termId, sections: sections.size, ms: Math.round(performance.now() - started) }, 'catalog loaded');
    const snap = new CatalogSnapshot(termId, sections, windows, started);
    this.snapshot = snap;
    return snap;
  }
}
