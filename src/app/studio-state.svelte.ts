/**
 * The UI's shared state: datasets, runs, backend and the one long job in flight (with its
 * progress and a cancel handle). One exported class; pages read getters and call verbs.
 */
import type { BackendName, CsvOptions, DatasetInfo, FitSpec, Progress, RunResult, RunSummary } from '../api/types';
import type { StudioInternals } from '../studio';
import type { GeoDesign } from '../models/causal/geo-design';
import type { GeoDesignRequest } from '../worker/geo-design';
import { SAMPLES, sampleUrl } from './samples';
import { findDataset, getStoredRun, putDataset, putRun, runsOfDataset } from '../store/db';

import type { Job } from '../ui/job';
import type { Page } from './pages';

export type { Page } from './pages';

/** How long a deletion can be undone. */
export const UNDO_MS = 8000;

/** The last deletion, while it can still be undone. */
export interface Deletion {
  /** What was deleted, in words ("Deleted sales.csv and its 2 runs"). */
  label: string;
  undo: () => Promise<void>;
}

/** The message to show for a failed action: the error's own words, never a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export class StudioState {
  #studio: StudioInternals;
  #datasets = $state.raw<DatasetInfo[]>([]);
  #runs = $state.raw<RunSummary[]>([]);
  #backend = $state.raw<Awaited<ReturnType<StudioInternals["backend"]>> | undefined>(undefined);
  #backendError = $state<string | undefined>(undefined);
  #workers = $state.raw<Awaited<ReturnType<StudioInternals['workers']>> | undefined>(undefined);
  #job = $state.raw<Job | undefined>(undefined);
  page = $state<Page>('data');
  selectedDataset = $state<string | undefined>(undefined);
  openRun = $state.raw<RunResult | undefined>(undefined);
  /** The last deletion, for UNDO_MS after it. */
  deletion = $state.raw<Deletion | undefined>(undefined);
  #deletionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(studio: StudioInternals) {
    this.#studio = studio;
    studio.subscribe((event) => {
      if (event === 'datasets') void this.refreshDatasets();
      if (event === 'runs') void this.refreshRuns();
      if (event === 'backend') void this.refreshBackend();
    });
    void this.refreshDatasets();
    void this.refreshRuns();
    void this.refreshBackend();
  }

  get studio(): StudioInternals {
    return this.#studio;
  }
  get datasets(): DatasetInfo[] {
    return this.#datasets;
  }
  get runs(): RunSummary[] {
    return this.#runs;
  }
  get backend() {
    return this.#backend;
  }
  /** Compute workers an MCMC fit's chains split over (see Studio.workers). */
  get workers() {
    return this.#workers;
  }
  get backendError(): string | undefined {
    return this.#backendError;
  }
  get job(): Job | undefined {
    return this.#job;
  }

  // Refreshes can overlap (two loads in quick succession); only the newest answer may land, or an
  // older, shorter list would overwrite a newer one.
  #datasetsAsked = 0;
  #runsAsked = 0;

  async refreshDatasets(): Promise<void> {
    const ask = ++this.#datasetsAsked;
    const datasets = await this.#studio.datasets();
    if (ask !== this.#datasetsAsked) return;
    this.#datasets = datasets;
    if (this.selectedDataset && !this.#datasets.some((d) => d.id === this.selectedDataset)) {
      this.selectedDataset = undefined;
    }
  }

  async refreshRuns(): Promise<void> {
    const ask = ++this.#runsAsked;
    const runs = await this.#studio.runs();
    if (ask === this.#runsAsked) this.#runs = runs;
  }

  async refreshBackend(): Promise<void> {
    try {
      this.#workers = await this.#studio.workers();
      this.#backend = await this.#studio.backend();
      this.#backendError = undefined;
    } catch (error) {
      this.#backendError = errorMessage(error);
    }
  }

  async setBackend(name: BackendName | 'auto'): Promise<void> {
    try {
      await this.#studio.setBackend(name);
      this.#backendError = undefined;
    } catch (error) {
      this.#backendError = errorMessage(error);
      await this.refreshBackend();
    }
  }

  async setWorkers(count: number | 'auto'): Promise<void> {
    try {
      await this.#studio.setWorkers(count);
      this.#backendError = undefined;
    } catch (error) {
      this.#backendError = errorMessage(error);
      await this.refreshBackend();
    }
  }

  /** Parses and stores a CSV, showing parse progress; resolves to the new dataset. Cancel stops the read. */
  async loadCsv(input: File | { name: string; text: string }, options: CsvOptions = {}): Promise<DatasetInfo> {
    const controller = new AbortController();
    return this.#runJob(
      `Reading ${input.name}`,
      (onProgress) => this.#studio.loadCsv(input, { ...options, onProgress, signal: controller.signal }),
      () => controller.abort(),
    );
  }

  /**
   * Loads several files one after another in one job ("Reading b.csv (2 of 3)"), each with its
   * progress; a file that fails does not stop the others, and Cancel stops the current one and skips
   * the rest. Resolves to what was loaded and what failed (each failure's message names its file).
   */
  async loadFiles(files: readonly File[], options: CsvOptions = {}): Promise<{ loaded: DatasetInfo[]; failed: string[]; cancelled: boolean }> {
    const controller = new AbortController();
    const loaded: DatasetInfo[] = [];
    const failed: string[] = [];
    await this.#runJob(
      files.length === 1 ? `Reading ${files[0].name}` : `Reading ${files.length} files`,
      async (onProgress, relabel) => {
        for (const [i, file] of files.entries()) {
          if (controller.signal.aborted) break;
          if (files.length > 1) relabel(`Reading ${file.name} (${i + 1} of ${files.length})`);
          try {
            loaded.push(await this.#studio.loadCsv(file, { ...options, onProgress, signal: controller.signal }));
          } catch (error) {
            if (!controller.signal.aborted) failed.push(`${file.name}: ${errorMessage(error)}`);
          }
        }
      },
      () => controller.abort(),
    );
    return { loaded, failed, cancelled: controller.signal.aborted };
  }

  /**
   * Loads a bundled demo CSV (public/samples/) and selects it. A sample already stored (by its file
   * name: samples never change) is selected again rather than stored a second time.
   */
  async loadSample(file: string): Promise<DatasetInfo> {
    if (!SAMPLES.some((s) => s.file === file)) throw new Error(`There is no bundled sample named "${file}".`);
    await this.refreshDatasets();
    const existing = this.#datasets.find((d) => d.name === file);
    if (existing) {
      this.selectedDataset = existing.id;
      return existing;
    }
    const response = await fetch(sampleUrl(file));
    if (!response.ok) throw new Error(`Could not read the bundled sample ${file} (HTTP ${response.status}).`);
    const info = await this.loadCsv({ name: file, text: await response.text() });
    this.selectedDataset = info.id;
    return info;
  }

  /**
   * Opens on a demo dataset when the page URL says `?demo=<sample file>` (what `npm start` opens),
   * reusing it when it is already stored.
   */
  async openDemoFromUrl(search: string): Promise<void> {
    const file = new URLSearchParams(search).get('demo');
    if (file) await this.loadSample(file);
  }

  /**
   * Deletes a dataset and its runs, keeping a copy (in memory) so the deletion can be undone for
   * UNDO_MS: undo stores the same dataset and runs again, under the same ids.
   */
  async deleteDataset(id: string): Promise<void> {
    const [saved, runs] = await Promise.all([findDataset(id), runsOfDataset(id)]);
    await this.#studio.deleteDataset(id);
    if (!saved) return;
    const label = `Deleted ${saved.info.name}${runs.length ? ` and its ${runs.length} run${runs.length > 1 ? 's' : ''}` : ''}.`;
    this.#offerUndo(label, async () => {
      await putDataset(saved);
      for (const run of runs) await putRun(run);
      await Promise.all([this.refreshDatasets(), this.refreshRuns()]);
      this.selectedDataset = saved.info.id;
    });
  }

  /** Deletes a run, undoable for UNDO_MS as `deleteDataset`. */
  async deleteRun(id: string): Promise<void> {
    const saved = await getStoredRun(id);
    await this.#studio.deleteRun(id);
    if (this.openRun?.id === id) this.openRun = undefined;
    if (!saved) return;
    this.#offerUndo(`Deleted the ${saved.result.model} run on ${saved.datasetName}.`, async () => {
      await putRun(saved);
      await this.refreshRuns();
    });
  }

  #offerUndo(label: string, restore: () => Promise<void>): void {
    clearTimeout(this.#deletionTimer);
    const deletion: Deletion = {
      label,
      undo: async () => {
        clearTimeout(this.#deletionTimer);
        if (this.deletion === deletion) this.deletion = undefined;
        await restore();
      },
    };
    this.deletion = deletion;
    this.#deletionTimer = setTimeout(() => {
      if (this.deletion === deletion) this.deletion = undefined;
    }, UNDO_MS);
  }

  /** Fits a model with progress and cancellation; the run opens when it finishes. `label` names the model in the job bar. */
  async fit(spec: FitSpec, label: string = spec.model): Promise<RunResult> {
    const controller = new AbortController();
    const result = await this.#runJob(
      `Fitting ${label}`,
      (onProgress) => this.#studio.fit(spec, { onProgress, signal: controller.signal }),
      () => controller.abort(),
    );
    this.openRun = result;
    return result;
  }

  /** Designs a geo test with progress and cancellation (no run is stored: the design is shown on its page). */
  async designGeoTest(request: GeoDesignRequest): Promise<GeoDesign> {
    const controller = new AbortController();
    return this.#runJob(
      'Designing a geo test',
      (onProgress) => this.#studio.geoDesign(request, { onProgress, signal: controller.signal }),
      () => controller.abort(),
    );
  }

  async openRunById(id: string): Promise<void> {
    this.openRun = await this.#studio.run(id);
  }

  async #runJob<T>(
    label: string,
    work: (onProgress: (p: Progress) => void, relabel: (label: string) => void) => Promise<T>,
    cancel = () => {},
  ): Promise<T> {
    if (this.#job) throw new Error(`Busy: ${this.#job.label}. Wait for it or cancel it first.`);
    this.#job = { label, progress: undefined, cancel };
    try {
      return await work(
        (progress) => {
          if (this.#job) this.#job = { ...this.#job, progress };
        },
        (next) => {
          if (this.#job) this.#job = { ...this.#job, label: next, progress: undefined };
        },
      );
    } finally {
      this.#job = undefined;
    }
  }
}
