/**
 * A model's graph, as PyMC's `model_to_graphviz` draws it: the estimated parameters with their
 * priors, the data, the deterministic quantities they combine into, and the likelihood of the
 * observed data, with an edge from each input to what it enters. Built from the model's own
 * parameter definitions (model.ts `ParamDef`, so the priors are the ones the fit uses) and the
 * structure the model declares beside them (`ModelStructure`); a model that declares none is drawn
 * with every parameter entering its likelihood directly. Plain data, tfjs-free.
 */
import type { ParamDef } from './model';
import type { Prior } from './priors';

/**
 * How a model's parameters combine: deterministic quantities and data, and the likelihood terms.
 * Inputs name parameters (base names), data or deterministic quantities.
 */
export interface ModelStructure {
  /** Observed or fixed inputs (not estimated): spend per channel, controls, a design matrix. */
  data?: { name: string; label?: string; size?: number }[];
  /** Quantities computed from their inputs, in order: `mu = intercept + sum media + ...`. */
  deterministic?: { name: string; formula: string; inputs: string[]; size?: number }[];
  /** Each likelihood term: what is observed, its distribution, and the inputs of its parameters. */
  likelihood: { name: string; dist: string; inputs: string[]; size?: number }[];
}

/** What a node is. */
export type GraphNodeKind = 'parameter' | 'data' | 'deterministic' | 'observed';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Second line: the prior, the formula or the likelihood's distribution. */
  detail: string;
  /** Elements (a plate of this size), when more than one. */
  size?: number;
  /** Element labels (channel names), when given. */
  labels?: string[];
  /** A sampler coordinate (ParamDef.internal). */
  internal?: boolean;
}

/** A model's graph: nodes and directed edges (input to what it enters). */
export interface ModelGraph {
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
}

/** A prior as PyMC writes it: `Normal(mu=0, sigma=2)`. */
export function priorText(p: Prior): string {
  const args = Object.entries(p)
    .filter(([k]) => k !== 'dist')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  return `${p.dist}(${args.join(', ')})`;
}

/**
 * The graph of `params` combined as `structure` says (without one: each parameter enters the
 * likelihood of `observed`, named `likelihood`, e.g. 'BG/NBD likelihood').
 */
export function modelGraph(params: readonly ParamDef[], structure?: ModelStructure, observed = 'y', likelihood = 'likelihood'): ModelGraph {
  const nodes: GraphNode[] = params.map((p) => {
    const size = p.prior.dist === 'Dirichlet' ? p.prior.a.length : (p.size ?? 1);
    return {
      id: p.name,
      kind: 'parameter',
      detail: `~ ${priorText(p.prior)}`,
      ...(size > 1 ? { size } : {}),
      ...(p.labels ? { labels: [...p.labels] } : {}),
      ...(p.internal ? { internal: true } : {}),
    };
  });
  const edges: ModelGraph['edges'] = [];
  const s: ModelStructure = structure ?? {
    likelihood: [...new Set(params.map((p) => p.block))].map((block) => ({
      name: block === undefined ? observed : `${observed} (${block})`,
      dist: likelihood,
      inputs: params.filter((p) => p.block === block).map((p) => p.name),
    })),
  };
  for (const d of s.data ?? []) nodes.push({ id: d.name, kind: 'data', detail: d.label ?? 'data', ...(d.size && d.size > 1 ? { size: d.size } : {}) });
  for (const d of s.deterministic ?? []) nodes.push({ id: d.name, kind: 'deterministic', detail: d.formula, ...(d.size && d.size > 1 ? { size: d.size } : {}) });
  for (const l of s.likelihood) nodes.push({ id: l.name, kind: 'observed', detail: `~ ${l.dist}`, ...(l.size && l.size > 1 ? { size: l.size } : {}) });
  const ids = new Set(nodes.map((n) => n.id));
  if (ids.size !== nodes.length) throw new Error(`Model graph: a node name is used twice (${nodes.map((n) => n.id).join(', ')}).`);
  for (const target of [...(s.deterministic ?? []), ...s.likelihood]) {
    for (const from of target.inputs) {
      if (!ids.has(from)) throw new Error(`Model graph: '${target.name}' takes '${from}', which is no parameter, data or quantity of the model.`);
      edges.push({ from, to: target.name });
    }
  }
  return { nodes, edges };
}
