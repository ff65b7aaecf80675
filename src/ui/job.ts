/** The one long job in flight (a CSV load, a fit), as the job bar shows it. */
import type { Progress } from '../api/types';

/** A running job: what it is, how far it got, and how to stop it. */
export interface Job {
  label: string;
  progress: Progress | undefined;
  cancel: () => void;
}
