import { percentage } from './ratio.js';

/** Completed responses / invitations delivered x 100. */
export function responseRate(completed: number, delivered: number): number | null {
  return percentage(completed, delivered);
}
