import { percentage } from './ratio.js';

/** Per question: of the respondents who reached it, the share who stopped there without completing. */
export function dropOff(reached: number, abandoned: number): number | null {
  return percentage(abandoned, reached);
}
