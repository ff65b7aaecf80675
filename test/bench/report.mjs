// Renders benchmark results as the Markdown of BENCHMARKS.md.

const fmt = (v, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v).toLocaleString('en-US', { maximumSignificantDigits: digits });

/**
 * results: { gradients: [{ backend, model, chains, evalsPerSec, chainGradsPerSec }],
 *            convergence: [{ backend, target, chains, warmup, draws, seconds, rhatMax, essBulkMin, reached }],
 *            models: [{ backend, name, what, seconds, rhatMax, essBulkMin, note }], skipped: [{ backend, reason }] }
 */
export function renderMarkdown({ machine, results, environment }) {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${machine.date}. ${environment}.`,
    '',
    `Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}${machine.browser ? `; ${machine.browser}` : ''}${machine.gpu ? `; GPU: ${machine.gpu}` : ''}.`,
    '',
    'Headless Chromium here has no GPU: its WebGPU is SwiftShader (a software rasteriser), so WebGPU numbers',
    'from this machine measure correctness paths, not GPU speed.',
    '',
  ];
  if (results.skipped?.length) {
    lines.push('Backends not available in this run:', '');
    for (const s of results.skipped) lines.push(`- ${s.backend}: ${s.reason}`);
    lines.push('');
  }
  if (results.gradients?.length) {
    lines.push('## Gradient evaluations', '', `Model: ${results.gradients[0].model}.`, '');
    lines.push('| backend | chains | log-density+gradient calls / s | chain-gradients / s |', '|---|---:|---:|---:|');
    for (const r of results.gradients) lines.push(`| ${r.backend} | ${r.chains} | ${fmt(r.evalsPerSec)} | ${fmt(r.chainGradsPerSec)} |`);
    lines.push('');
  }
  if (results.convergence?.length) {
    lines.push('## Time to R-hat < 1.01 and bulk-ESS >= 400', '');
    lines.push('| backend | target | chains | warm-up | draws/chain | seconds | R-hat max | bulk-ESS min | reached |', '|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of results.convergence) {
      lines.push(`| ${r.backend} | ${r.target} | ${r.chains} | ${r.warmup} | ${r.draws} | ${fmt(r.seconds)} | ${fmt(r.rhatMax, 4)} | ${fmt(r.essBulkMin)} | ${r.reached ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }
  if (results.defaults?.length) {
    lines.push("## Default runs (bundled samples and reference data sets)", '');
    // Through compute workers (--workers): the worker count, and the first fit's time (it starts the workers).
    const onWorkers = results.defaults.some((r) => r.workers !== undefined);
    lines.push(
      `| backend | sample | model |${onWorkers ? ' workers | first fit, s |' : ''} verdict | seconds | chains x draws | R-hat max | bulk-ESS min | divergences | until converged |`,
      `|---|---|---|${onWorkers ? '---:|---:|' : ''}---|---:|---|---:|---:|---:|---|`,
    );
    for (const r of results.defaults) {
      const w = onWorkers ? ` ${r.workers ?? ''} | ${fmt(r.firstSeconds)} |` : '';
      lines.push(`| ${r.backend} | ${r.sample} | ${r.model} |${w} ${r.verdict} | ${fmt(r.seconds)} | ${r.chains} x ${r.draws} | ${fmt(r.rhatMax, 4)} | ${fmt(r.essBulkMin)} | ${r.divergences} | ${r.extension} |`);
    }
    lines.push('');
  }
  if (results.kernels?.length) {
    lines.push('## Kernels per log-density + gradient call', '');
    lines.push('| backend | model | parameters | kernels per call | ms per call, 8 chains | 64 chains | 512 chains |', '|---|---|---:|---:|---:|---:|---:|');
    for (const r of results.kernels) {
      lines.push(`| ${r.backend} | ${r.model} | ${r.dim} | ${r.kernels} | ${fmt(r.msPerCall[8])} | ${fmt(r.msPerCall[64])} | ${fmt(r.msPerCall[512])} |`);
    }
    lines.push('');
  }
  if (results.models?.length) {
    lines.push('## Models', '');
    lines.push('| backend | model | what | seconds | R-hat max | bulk-ESS min | note |', '|---|---|---|---:|---:|---:|---|');
    for (const r of results.models) {
      lines.push(`| ${r.backend} | ${r.name} | ${r.what} | ${fmt(r.seconds)} | ${fmt(r.rhatMax, 4)} | ${fmt(r.essBulkMin)} | ${r.note ?? ''} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
