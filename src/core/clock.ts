/** Where services read the time. Tests pass a ManualClock to move through delays and reminders. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2026-01-01T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(to: Date | string): void {
    this.#now = new Date(to).getTime();
  }
  advance(ms: { days?: number; hours?: number; minutes?: number }): void {
    this.#now += ((ms.days ?? 0) * 24 * 60 + (ms.hours ?? 0) * 60 + (ms.minutes ?? 0)) * 60_000;
  }
}
