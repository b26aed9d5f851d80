import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ImportProgress } from '../core/imports/bulk-import.service.js';

type Collection = ImportProgress['collection'];

/**
 * One progress bar per imported file (cli-progress): records written of the total, the rate and the
 * time left, and what changed so far. On a terminal the bars redraw in place; redirected to a file,
 * a line every few seconds.
 */
export class ImportProgressBar {
  private readonly multi: MultiBar;
  private readonly bars = new Map<Collection, SingleBar>();

  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.multi = new MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{collection} [{bar}] {percentage}% {value}/{total} | {speed} rec/s | eta {eta_formatted} | {created} created, {updated} updated, {unchanged} unchanged',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        etaBuffer: 20,
        forceRedraw: !stream.isTTY,
      },
      Presets.shades_classic,
    );
  }

  start(totals: Record<Collection, number>) {
    this.phase = { collection: null, since: Date.now(), last: Date.now() };
    for (const [collection, total] of Object.entries(totals) as Array<[Collection, number]>) {
      if (total > 0) this.bars.set(collection, this.multi.create(total, 0, { collection: collection.padEnd(11), speed: 0, created: 0, updated: 0, unchanged: 0 }));
    }
  }

  /** Files are written one after the other: each one's rate counts from the end of the one before. */
  private phase: { collection: Collection | null; since: number; last: number } = { collection: null, since: Date.now(), last: Date.now() };

  update(step: ImportProgress) {
    const now = Date.now();
    if (this.phase.collection !== step.collection) this.phase = { collection: step.collection, since: this.phase.last, last: now };
    this.phase.last = now;
    const seconds = Math.max(0.001, (now - this.phase.since) / 1000);
    this.bars.get(step.collection)?.update(step.done, { ...step.counts, speed: Math.round(step.done / seconds) });
  }

  stop() {
    this.multi.stop();
  }
}
