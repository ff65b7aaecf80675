/**
 * The automation and embedding API (`window.studio`, `mountStudio(el)`), as fixed in DESIGN.md.
 * Tests and portals depend on these shapes: change them only together with DESIGN.md.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export type ModelName =
  | 'mmm'
  | 'bgnbd'
  | 'paretonbd'
  | 'mbgnbd'
  | 'bgbb'
  | 'sbg'
  | 'gammagamma'
  | 'its'
  | 'synthetic_control'
  | 'did'
  | 'rd'
  | 'tbr'
  | 'cohorts'
  | 'abtest';

export type ColumnType = 'date' | 'number' | 'string';

/**
 * A column as the Data page describes it. The summary (missing, min, max, dateFormat) is absent
 * for datasets stored before it was recorded.
 */
export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** Missing cells (empty, NA, ...). */
  missing?: number;
  /** Smallest and largest value of a number column, or a date column's (epoch milliseconds, UTC). */
  min?: number;
  max?: number;
  /** A number column whose every value is 0 or 1 (an event or flag). */
  binary?: boolean;
  /** A date column's format as read ("dd/mm/yyyy"), so a day-first reading is visible. */
  dateFormat?: string;
}

export interface DatasetInfo {
  id: string;
  name: string;
  rows: number;
  columns: ColumnInfo[];
  warnings: string[];
  /**
   * Present when some number column reads differently with a decimal comma and a decimal point
   * ("12,500": 12.5 or 12500) and nothing in the file decides: how it was read. Load the file
   * again with `CsvOptions.decimal` to read it the other way.
   */
  decimal?: DecimalReading;
}

/** The character that separates a number's integer part from its fraction. */
export type DecimalSeparator = '.' | ',';

/** How a CSV's numbers were read, for columns a decimal comma or point would read differently. */
export interface DecimalReading {
  /** Number columns whose values depend on the separator (as "12,500"), with nothing deciding it. */
  ambiguous: string[];
  /** The separator they were read with. */
  read: DecimalSeparator;
  /** Whether `read` was chosen (`CsvOptions.decimal`) rather than inferred. */
  chosen: boolean;
}

/** Options of `loadCsv`. */
export interface CsvOptions {
  /**
   * Read every number column with this decimal separator (',' for "1.234,56" and "0,375"). Without
   * it the separator is detected per column, and a column that could be either is flagged.
   */
  decimal?: DecimalSeparator;
}

export interface InferenceSpec {
  method?: 'mcmc' | 'map' | 'vi';
  chains?: number;
  warmup?: number;
  draws?: number;
  seed?: number;
  /**
   * MCMC: after the planned draws, keep sampling (more draws per chain, or a fresh warm-up when the
   * adaptation failed) while the run is not converged (see `RunVerdict`), until it is or
   * `budgetSeconds` have passed since the fit started. Default true; false takes exactly `draws`.
   */
  untilConverged?: boolean;
  /** Wall-clock budget of an until-converged run, seconds from the fit's start (default 180). */
  budgetSeconds?: number;
  /**
   * MCMC: compute workers (threads) the chains split over, 1 to 64, at most one per chain; they share
   * one warm-up adaptation and sample independently. Default: the studio's setting (`setWorkers`),
   * itself by default the device's cores - 1. The same seed and worker count give the same draws.
   */
  workers?: number;
}

export interface FitSpec {
  /** Dataset id or name. */
  dataset: string;
  model: ModelName;
  /** Role -> column name(s); the roles of each model are listed in README. */
  columns: Record<string, string | string[]>;
  /** Model options (adstock kind, l_max, seasonality order, treatment start, time unit, priors, ...). */
  config?: Record<string, unknown>;
  inference?: InferenceSpec;
}

/** Posterior summary of one scalar: mean, standard deviation and the 94% highest-density interval. */
export interface Estimate {
  mean: number;
  sd: number;
  hdiLow: number;
  hdiHigh: number;
  /** MAP runs: the posterior mode on the constrained scale, the run's point estimate (mean and HDI are of its Laplace draws). */
  mode?: number;
}

export interface ParameterSummary extends Estimate {
  rhat: number;
  essBulk: number;
  essTail: number;
  /**
   * A sampler coordinate (a non-centred offset, the free coordinates of a simplex), not a quantity
   * to read: tables list it apart. Set by the model's parameter definition (`ParamDef.internal`).
   */
  internal?: true;
}

/** How far a MAP + Laplace answer can be trusted, reported with every MAP run. */
export interface LaplaceCheck {
  /** Pareto k of the importance ratios posterior / approximation over the draws (PSIS). */
  paretoK: number;
  /** Whether L-BFGS met its convergence test (else it hit the iteration cap or the noise floor). */
  converged: boolean;
  iterations: number;
  /** Diagonal jitter added to make the curvature at the mode positive definite (0: none). */
  jitter: number;
  /** Parameters whose unconstrained mode ran past |20| (off to a boundary: no proper mode). */
  runaway: string[];
}

export interface RunDiagnostics {
  chains: number;
  draws: number;
  /** The worst R-hat over the parameters where it could be computed. */
  rhatMax: number;
  essBulkMin: number;
  essTailMin: number;
  divergences: number;
  /**
   * Parameters whose R-hat could not be computed (a non-finite draw): the run cannot be checked
   * there. Absent in runs stored before it was recorded.
   */
  notComputable?: string[];
  /** MAP runs: how far the Laplace approximation can be trusted. */
  laplace?: LaplaceCheck;
  /**
   * MCMC runs: parameters whose draws ran off to infinity (beyond e^20 in magnitude, runaway.ts): an
   * improper posterior, not an answer. Absent when none did (and in runs stored before it was recorded).
   */
  runaway?: string[];
  /** Until-converged MCMC runs: what the sampler did after the planned draws. */
  extension?: ConvergenceExtension;
}

/** What an until-converged MCMC run did after its planned draws (`InferenceSpec.untilConverged`). */
export interface ConvergenceExtension {
  /** Extensions taken: batches of more draws, or a fresh warm-up and new draws. */
  rounds: number;
  /** Fresh warm-ups among them (the adaptation failed or the chains diverged). */
  warmups: number;
  /** Draws per chain planned (`InferenceSpec.draws`); `RunDiagnostics.draws` is what was kept. */
  plannedDraws: number;
  /**
   * Why it stopped: the criteria passed, or the budget, the cap on draws per chain, or the fresh
   * warm-ups ran out first.
   */
  stop: 'passed' | 'budget' | 'cap' | 'warmups';
  /** What still failed when it stopped short, e.g. "R-hat 1.03 at sigma". */
  reason?: string;
  /** The budget it ran under, seconds. */
  budgetSeconds: number;
}

/**
 * How far a run's numbers can be read as the answer, shown as a badge beside every headline
 * (computed by `runVerdict`, src/models/verdict.ts, from the diagnostics and outputs):
 * - `converged`: MCMC whose main fit has worst R-hat < 1.01, bulk ESS >= 400 everywhere, no
 *   divergent transition and every R-hat computable;
 * - `approximate`: MAP + Laplace (a Gaussian at the mode, not the posterior);
 * - `unconverged`: MCMC short of those criteria: its numbers are not yet an answer;
 * - `placebo-failed`: a causal run (MCMC converged, or MAP) whose placebo-in-time refit found an
 *   "effect" where there was none (its 94% HDI excludes 0): the model does not explain the
 *   pre-period, so its effect is not to be trusted.
 */
export type RunVerdict = 'converged' | 'approximate' | 'unconverged' | 'placebo-failed';

/**
 * A second fit sampled in the same run as a check, sharing no parameter with the main one (the
 * causal models' placebo refit): its own diagnostics and parameters. Its `divergences` are the
 * joint run's (the fits share every transition).
 */
export interface BlockFit {
  diagnostics: RunDiagnostics;
  parameters: Record<string, ParameterSummary>;
}

/**
 * A compact copy of a run's draws for trace and rank plots (ArviZ `plot_trace`, `plot_rank`). For a
 * MAP run the "chains" are groups of independent Laplace draws, not Markov chains.
 */
export interface RunTrace {
  /** Chains kept: the run's first `chains` (at most 8). */
  chains: number;
  /** Draws kept per chain. */
  draws: number;
  /** Thinning step: kept draw i is the chain's draw `i * thin` (0-based). */
  thin: number;
  /**
   * Flat parameter name (the first 40 in model order) -> kept chain -> kept draws, on the
   * constrained scale, rounded to float32 precision (the shortest decimal that reads back as the
   * same float32); null where a draw was not finite.
   */
  params: Record<string, (number | null)[][]>;
  /**
   * Flat parameter name -> rank histograms of the kept chains: every draw of the run is ranked among
   * the pooled draws of all chains (ties averaged), and `counts[chain][bin]` counts the chain's draws
   * (all of them, not only the kept ones) whose rank falls in bin `bin` of `bins` equal slices of
   * the ranks 1..N (N = the run's chains x draws, `RunResult.diagnostics`). Near-uniform counts
   * (draws per chain / bins) mean the chain explores the same distribution as the others.
   */
  ranks: Record<string, { bins: number; counts: number[][] }>;
  /** Flat parameters of the run left out of `params` and `ranks` (beyond 40, those with the best R-hat). */
  omitted: number;
}

/**
 * Each model's outputs, by model name (`OutputsOf<'mmm'>` is what an 'mmm' run's `outputs` hold).
 * Its entries are declared by the model registry (src/models/registry.ts), from each registered
 * model's definition: so a run's outputs are typed as its model builds them, and this file, which
 * every layer reads, imports nothing from models/.
 */
export interface ModelOutputs {}

/** What every model's outputs may carry: the fit's own warnings (data notes, outputs that were not finite). */
export interface RunOutputs {
  warnings?: string[];
}

/** The outputs of model `M`'s runs (model-specific, documented in README). */
export type OutputsOf<M extends ModelName> = ModelOutputs[M] & RunOutputs;

/**
 * A budget plan the MMM budget optimiser found, stored with its run (`RunBase.budgetPlan`) so it
 * survives a reload and appears in the run's report. Spend units over `horizon` periods; per
 * channel in `channels` order.
 */
export interface BudgetPlan {
  createdAt: string;
  /** `mean`: the expected response maximised; `cvar`: the mean of its worst `tail` fraction of draws. */
  objective: 'mean' | 'cvar';
  tail: number;
  /** The response was weighted by a value per unit (lifetime value of the customers acquired). */
  byValue: boolean;
  total: number;
  horizon: number;
  periodDays: number;
  /** The cells the budget was split over: the channels, or `channel · geo` with `by: 'geo'`. */
  channels: string[];
  /** `geo`: one cell per channel x geo of a geo-level model (absent: per channel). */
  by?: 'geo';
  /** With `by: 'geo'`: each cell's channel and geo. */
  cellChannel?: string[];
  cellGeo?: string[];
  min: number[];
  max: number[];
  allocation: number[];
  /** The historical channel mix scaled to the same total. */
  historicalAllocation: number[];
  /** Cells whose share of the historical mix breaks their bounds (then `currentAllocation` is brought within them). */
  outOfBounds: string[];
  /** The plan compared with: the historical mix, or its projection onto the bounds. */
  currentAllocation: number[];
  /** Expected response per cell of the optimised plan. */
  channelResponse: number[];
  /** Total response (or its value) of each plan and their difference, 94% HDI over draws. */
  optimised: Estimate;
  current: Estimate;
  lift: Estimate;
  /** The objective's value for each plan (mean or CVaR). */
  objectiveValue: { optimised: number; current: number };
  /** The CVaR at `tail` of each plan, whatever the objective. */
  cvar: { optimised: number; current: number };
  converged: boolean;
  /** The marginal ROAS the user asked the spend for, beside 1 (absent: only 1). */
  mroasTarget?: number;
}

/** What every run holds, whatever its model. */
export interface RunBase {
  id: string;
  datasetId: string;
  createdAt: string;
  backend: string;
  spec: FitSpec;
  timings: { totalMs: number; warmupMs?: number; samplingMs?: number };
  /** The main fit's diagnostics (a check fit's are in `blocks`). */
  diagnostics: RunDiagnostics;
  /** Derived on read for runs stored before it was recorded. */
  verdict: RunVerdict;
  /** The main fit's parameters (a check fit's are in `blocks`). */
  parameters: Record<string, ParameterSummary>;
  /** Check fits sampled with the main one, by name: `placebo` for the causal models' placebo refit. */
  blocks?: Record<string, BlockFit>;
  /** Draws for trace and rank plots; absent in runs stored before they were kept. */
  trace?: RunTrace;
  /** MMM runs: the budget optimiser's last plan, when one was run and stored (studio.saveBudgetPlan). */
  budgetPlan?: BudgetPlan;
}

/** A run of model `M`: its outputs are that model's. */
export interface RunOf<M extends ModelName> extends RunBase {
  model: M;
  /** Model-specific outputs, documented in README. */
  outputs: OutputsOf<M>;
}

/**
 * A run of one of the models `M` (any model by default), discriminated by `model`: after
 * `run.model === 'mmm'`, `run.outputs` is `OutputsOf<'mmm'>`.
 */
export type RunResult<M extends ModelName = ModelName> = { [K in M]: RunOf<K> }[M];

export interface RunSummary {
  id: string;
  model: ModelName;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  backend: string;
  /** How it was fitted: MCMC, or MAP with Laplace draws. */
  method: 'mcmc' | 'map';
  /** The sampler's settings in words ("4 chains × 1,000 draws, 1,000 warm-up"; "MAP, 1,000 Laplace draws"). */
  settings: string;
  /** Wall-clock time of the fit. */
  durationMs: number;
  diagnostics: RunDiagnostics;
  verdict: RunVerdict;
  /** The user's name and note for the run (`Studio.labelRun`); absent until given. */
  name?: string;
  note?: string;
}

/** Progress of a long computation, reported per step. */
export interface Progress {
  /** `queued`: a fit waiting for the fits before it (they run one at a time); `design`: a geo test design's candidates. */
  phase: 'queued' | 'parse' | 'map' | 'warmup' | 'sampling' | 'diagnostics' | 'outputs' | 'design';
  /** Steps done in this phase. */
  iteration: number;
  /** Steps this phase will take. */
  total: number;
  stepSize?: number;
  acceptance?: number;
  divergences?: number;
  trajectoryLength?: number;
  message?: string;
}

export interface Studio {
  version: string;
  /**
   * The active backend; `automatic` when none was chosen (each fit then runs on the fastest backend
   * measured on its own model, `rates` saying what was measured).
   */
  backend(): Promise<{ name: BackendName; detail?: string; rates?: string; automatic: boolean }>;
  /** Pins a backend, or `'auto'` for the automatic, measured choice (the default). */
  setBackend(name: BackendName | 'auto'): Promise<void>;
  /**
   * Compute workers an MCMC fit's chains split over unless its spec says (`InferenceSpec.workers`);
   * `automatic` when none was chosen (the device's cores - 1, `cores` as the browser reports them).
   */
  workers(): Promise<{ count: number; automatic: boolean; cores: number }>;
  /** Sets the compute workers (1 to 64), or `'auto'` for the device's cores - 1 (the default). */
  setWorkers(count: number | 'auto'): Promise<void>;
  /**
   * Parses and stores a CSV; after `signal` aborts it stops reading, stores nothing and rejects with
   * CancelledError. `decimal` forces how numbers are read (see CsvOptions).
   */
  loadCsv(
    input: File | { name: string; text: string },
    opts?: CsvOptions & { onProgress?: (p: Progress) => void; signal?: AbortSignal },
  ): Promise<DatasetInfo>;
  datasets(): Promise<DatasetInfo[]>;
  deleteDataset(id: string): Promise<void>;
  fit(
    spec: FitSpec,
    opts?: { onProgress?: (p: Progress) => void; signal?: AbortSignal },
  ): Promise<RunResult>;
  runs(): Promise<RunSummary[]>;
  run(id: string): Promise<RunResult>;
  deleteRun(id: string): Promise<void>;
  /** Names a run and gives it a note (each up to 2,000 characters; blank removes it); `runs()` lists them. */
  labelRun(id: string, label: { name?: string; note?: string }): Promise<void>;
  /**
   * The run's report: one self-contained HTML document (inline styles, charts as inline SVG, no
   * script and no request of any kind) with the question and data, the model, the verdict, the
   * headline answers, the key charts, the diagnostics and what to be careful about; it prints to PDF.
   */
  report(runId: string): Promise<string>;
}
