/**
 * The compute worker's interface, shared by the worker (which implements it) and the client
 * (the only caller). Everything crossing it is structured-cloneable; callbacks go through
 * Comlink.proxy.
 */
import type { BackendName, CsvOptions, DatasetInfo, FitSpec, Progress, RunResult } from '../api/types';
import type { BackendInfo } from '../engine/backend';
import type { CohortTable } from '../data/cohorts';
import type { CohortRequest } from './cohorts';
import type { GeoDesign } from '../models/causal/geo-design';
import type { GeoDesignRequest } from './geo-design';
import type { ModelGraph } from '../engine/model-graph';
import type { PriorPredictive } from '../models/types';

export type CsvInput = File | Blob | { name: string; text: string };

export interface ComputeApi {
  /** Starts tfjs on the preferred backend (falling back in order) and returns what is active. */
  init(preferred?: BackendName): Promise<BackendInfo>;
  backend(): Promise<BackendInfo>;
  /** Pins a backend, or 'auto': each fit then times its model on the backends here and runs on the fastest. */
  setBackend(name: BackendName | 'auto'): Promise<BackendInfo>;
  /**
   * Parses, validates and stores a CSV; rejects with a specific message on bad input, and with
   * CancelledError (nothing stored) after `cancel(jobId)` or when `mayStore` answers false.
   * `options.decimal` forces how numbers are read.
   */
  loadCsv(
    jobId: string,
    input: CsvInput,
    name: string,
    onProgress?: (p: Progress) => void,
    mayStore?: () => boolean,
    options?: CsvOptions,
  ): Promise<DatasetInfo>;
  /**
   * Fits a model on a stored dataset, stores the run and returns it. One fit at a time: tfjs keeps
   * one scope stack per thread, so two interleaved fits would release each other's tensors.
   * `mayStore` is asked before the run is stored (see JobContext). `helpers`: ports to helper
   * workers (each serving `serveChains`) that run shares of an MCMC fit's chains.
   */
  fit(runId: string, spec: FitSpec, onProgress?: (p: Progress) => void, mayStore?: () => boolean, helpers?: MessagePort[]): Promise<RunResult>;
  /** Makes this worker a helper: it runs shares of another worker's fits, as asked on `port` (chain-host.ts). */
  serveChains(port: MessagePort): void;
  /** Designs a geo test on a stored pre-period dataset; rejects with CancelledError after `cancel(jobId)`. */
  geoDesign(jobId: string, request: GeoDesignRequest, onProgress?: (p: Progress) => void): Promise<GeoDesign>;
  /** Cancels the fit, load or geo design with this id (no-op when it has finished). */
  cancel(jobId: string): void;
  /** Cohort retention tables of a stored transactions dataset. */
  cohortTable(request: CohortRequest): Promise<CohortTable>;
  /** The graph of a model on a stored dataset: parameters, priors, how they make the likelihood (model-check.ts). */
  modelGraph(spec: FitSpec): Promise<ModelGraph>;
  /** Draws of the target from a model's priors, against the data, before fitting (model-check.ts). */
  priorPredictive(spec: FitSpec, draws?: number): Promise<PriorPredictive>;
  /** A small fixed tfjs computation (a matMul and a reduction) to check the backend computes right. */
  selfTest(): Promise<{ backend: BackendName; values: number[] }>;
}
