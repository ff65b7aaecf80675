/**
 * Layered layout of a model graph (engine/model-graph.ts) for drawing: each node on the layer one
 * below its deepest input (parameters and data on top, the likelihood at the bottom), nodes of a
 * layer side by side in declaration order, centred; sizes from the text they hold. Pure: the
 * component (ModelGraph.svelte) draws it with d3.
 */
import type { GraphNode, ModelGraph } from '../../engine/model-graph';

export interface PlacedNode extends GraphNode {
  /** Centre, and the box's size. */
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  /** First line: the name, with its size when it is a vector (`adstock_alpha [2]`). */
  title: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: { from: PlacedNode; to: PlacedNode }[];
  width: number;
  height: number;
}

const CHAR = 6.6;
const NODE_H = 42;
const GAP_X = 18;
const LAYER_H = 86;
const PAD = 12;

/** The layered layout of `graph`. Throws on a cycle (a model graph has none). */
export function layoutGraph(graph: ModelGraph): GraphLayout {
  const inputs = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) inputs.get(e.to)?.push(e.from);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) throw new Error(`The model graph has a cycle through '${id}'.`);
    visiting.add(id);
    const l = Math.max(-1, ...(inputs.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    layer.set(id, l);
    return l;
  };
  graph.nodes.forEach((n) => depth(n.id));
  const bottom = Math.max(0, ...layer.values());
  // Every likelihood term on the last layer, side by side.
  for (const n of graph.nodes) if (n.kind === 'observed') layer.set(n.id, bottom);
  const layers: PlacedNode[][] = Array.from({ length: bottom + 1 }, () => []);
  for (const n of graph.nodes) {
    const title = n.size ? `${n.id} [${n.size}]` : n.id;
    const width = Math.max(title.length, n.detail.length) * CHAR + 2 * PAD + (n.kind === 'parameter' || n.kind === 'observed' ? 16 : 0);
    const l = layer.get(n.id)!;
    layers[l].push({ ...n, title, width, height: NODE_H, layer: l, x: 0, y: PAD + NODE_H / 2 + l * LAYER_H });
  }
  const rowWidth = (row: PlacedNode[]) => row.reduce((s, n) => s + n.width, 0) + GAP_X * Math.max(0, row.length - 1);
  const width = Math.max(...layers.map(rowWidth)) + 2 * PAD;
  for (const row of layers) {
    let x = (width - rowWidth(row)) / 2;
    for (const n of row) {
      n.x = x + n.width / 2;
      x += n.width + GAP_X;
    }
  }
  const nodes = layers.flat();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    nodes,
    edges: graph.edges.map((e) => ({ from: byId.get(e.from)!, to: byId.get(e.to)! })),
    width,
    height: 2 * PAD + NODE_H + bottom * LAYER_H,
  };
}
