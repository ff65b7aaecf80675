/**
 * A run's report: one self-contained HTML document (inline styles, charts as inline SVG, no script,
 * no link or request of any kind) that opens offline and prints to PDF. Sections: the question and
 * the data, the model and its assumptions, the verdict, the headline answers, the family's key
 * charts and tables, the diagnostics, and what to be careful about. Built on the main thread
 * (charts are drawn with the pages' plot code into detached SVG elements).
 */
import type { DatasetInfo, ParameterSummary, RunResult } from '../../api/types';
import { isRunOf } from '../../models/families';
import { verdictOf } from '../../models/verdict';
import { diagnosticWarnings, runWarnings } from '../../ui/diagnostic-warnings';
import { VERDICT_TEXT } from '../../ui/verdict-text';
import { abtestForms } from '../abtest/forms';
import { causalForms } from '../causal/forms';
import { clvForms } from '../clv/forms';
import type { ModelForm } from '../model-forms';
import { mmmForms } from '../mmm/forms';
import { abtestReport } from './report-abtest';
import { causalReport } from './report-causal';
import { countReport, retentionReport, spendReport } from './report-clv';
import { cohortsReport } from './report-cohorts';
import type { FamilyReport } from './report-family';
import { esc, facts, fmt, headlineTable, list, para, sectionHtml, table, type Section } from './report-html';
import { mmmReport } from './report-mmm';
import { REPORT_CSS } from './report-style';

const FORMS: readonly ModelForm[] = [...mmmForms, ...clvForms, ...causalForms, ...abtestForms];

/** What the cohort forecast assumes (it has no form: the Cohorts page fits it from its cohort table). */
const COHORTS_FORM = {
  label: 'Cohort retention forecast (hierarchical shifted-beta-geometric)',
  description:
    'Each acquisition cohort’s customers churn with a probability that varies between customers (a beta distribution per cohort), the cohorts’ distributions drawn from a shared one; a new cohort is forecast from the shared one. Input: a transaction log.',
};

/** Parameters listed in the report's table (the main ones, sampler coordinates left out). */
const MAX_PARAMETERS = 40;

/** Where an unlisted verdict note is needed: what an unconverged or placebo-failed run's numbers are. */
const VERDICT_NOTE: Partial<Record<ReturnType<typeof verdictOf>, string>> = {
  unconverged: 'The numbers and charts of this report come from chains that have not converged: they are not yet an answer. Sample longer (a larger budget, more warm-up) before reading them.',
  'placebo-failed': 'The placebo refit found an effect where there was none: the model does not explain the pre-period, so the effect in this report is not to be trusted.',
  approximate: 'The intervals come from a Gaussian approximation at the posterior mode (MAP + Laplace), not from sampling the posterior: check the answer with MCMC before acting on it.',
};

/** What the run's model family says in a report: its question, headline answers, sections and cautions. */
export function familyReport(run: RunResult): FamilyReport {
  if (isRunOf(run, 'mmm')) return mmmReport(run);
  if (isRunOf(run, 'count')) return countReport(run);
  if (isRunOf(run, 'spend')) return spendReport(run);
  if (isRunOf(run, 'retention')) return retentionReport(run);
  if (isRunOf(run, 'causal')) return causalReport(run);
  if (isRunOf(run, 'cohorts')) return cohortsReport(run);
  if (isRunOf(run, 'abtest')) return abtestReport(run);
  return { question: 'What does the model say about the data?', headline: [], sections: [] };
}

function modelForm(run: RunResult): { label: string; description: string; roles?: ModelForm['roles']; config?: ModelForm['config'] } {
  return FORMS.find((f) => f.model === run.model) ?? (run.model === 'cohorts' ? COHORTS_FORM : { label: run.model, description: '' });
}

function inferenceText(run: RunResult): string {
  const method = run.spec.inference?.method ?? 'mcmc';
  const d = run.diagnostics;
  if (method === 'map') return `MAP + Laplace: the posterior mode, with ${(d.chains * d.draws).toLocaleString()} draws from a Gaussian approximation around it.`;
  if (method === 'vi') return `Variational inference: ${(d.chains * d.draws).toLocaleString()} draws from a fitted approximation of the posterior.`;
  return `MCMC (NUTS): ${d.chains} chains × ${d.draws.toLocaleString()} draws.`;
}

function dataSection(run: RunResult, family: FamilyReport, dataset: DatasetInfo | undefined, form: ReturnType<typeof modelForm>): Section {
  const roleLabel = (role: string) => form.roles?.find((r) => r.role === role)?.label ?? role;
  const columns = Object.entries(run.spec.columns).map(([role, cols]) => [roleLabel(role), (Array.isArray(cols) ? cols : [cols]).join(', ')] as const);
  const rows: [string, string][] = [
    ['Data set', dataset?.name ?? run.spec.dataset],
    ['Rows', dataset ? dataset.rows.toLocaleString() : 'not known (the data set is no longer stored)'],
  ];
  if (family.period) rows.push(['Period covered', family.period]);
  const warnings = dataset?.warnings ?? [];
  return {
    id: 'data',
    title: 'The question and the data',
    html:
      para(family.question, 'question') +
      facts(rows) +
      '<h3>Columns used</h3>' +
      table(['Role', 'Column'], columns) +
      (warnings.length ? '<h3>Data warnings</h3>' + list(warnings) : para('The data loaded without warnings.', 'note')),
  };
}

function modelSection(run: RunResult, family: FamilyReport, form: ReturnType<typeof modelForm>): Section {
  const config = Object.entries(run.spec.config ?? {}).filter(([, v]) => v !== undefined);
  const configText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return {
    id: 'model',
    title: 'The model and its assumptions',
    html:
      `<p><strong>${esc(form.label)}</strong></p>` +
      (form.description ? para(form.description) : '') +
      para(`Fitted with ${inferenceText(run)}`) +
      (config.length
        ? '<h3>Settings</h3>' + table(['Setting', 'Value'], config.map(([k, v]) => [form.config?.find((f) => f.key === k)?.label ?? k, configText(v)]))
        : para('Default settings.', 'note')) +
      (family.notes?.length ? '<h3>Notes from the model</h3>' + list(family.notes) : ''),
  };
}

function verdictSection(run: RunResult): Section {
  const v = verdictOf(run);
  const text = VERDICT_TEXT[v];
  return {
    id: 'verdict',
    title: 'Verdict',
    html: `<p><span class="verdict ${esc(v)}" data-verdict="${esc(v)}">${esc(text.label)}</span></p>` + para(text.meaning),
  };
}

function mainParameters(run: RunResult): [string, ParameterSummary][] {
  return Object.entries(run.parameters).filter(([, p]) => !p.internal);
}

function headlineSection(run: RunResult, family: FamilyReport): Section {
  const rows = family.headline.length
    ? family.headline
    : mainParameters(run)
        .slice(0, 8)
        .map(([name, p]) => ({ label: `Model parameter ${name}`, estimate: p }));
  const note = family.headline.length ? '' : para('This model’s answers are per customer or per period (below); here are the parameters they follow from.', 'note');
  return {
    id: 'headline',
    title: 'Headline answers',
    html: para('Posterior means with 94% highest-density intervals: the range holding 94% of the posterior probability.', 'note') + note + headlineTable(rows),
  };
}

function diagnosticsSection(run: RunResult): Section {
  const d = run.diagnostics;
  const map = (run.spec.inference?.method ?? 'mcmc') !== 'mcmc';
  const rows: [string, string][] = [
    ['Method', inferenceText(run)],
    ['Chains × draws', `${d.chains} × ${d.draws.toLocaleString()}`],
    ['Worst R-hat (should be below 1.01)', fmt(d.rhatMax, 4)],
    ['Smallest bulk ESS (should be 400 or more)', fmt(d.essBulkMin)],
    ['Smallest tail ESS (should be 400 or more)', fmt(d.essTailMin)],
    ['Divergent transitions', map ? 'none (no sampler)' : String(d.divergences)],
  ];
  if (d.laplace) rows.push(['Laplace check: Pareto k (below 0.7 is usable, below 0.5 good)', fmt(d.laplace.paretoK, 2)], ['Optimiser converged', d.laplace.converged ? `yes (${d.laplace.iterations} iterations)` : `no (${d.laplace.iterations} iterations)`]);
  if (map) rows.splice(2, 4);
  const params = mainParameters(run);
  const shown = params.slice(0, MAX_PARAMETERS);
  return {
    id: 'diagnostics',
    title: 'Diagnostics',
    newPage: true,
    html:
      facts(rows) +
      `<h3>Parameters${params.length > shown.length ? ` (the first ${shown.length} of ${params.length})` : ''}</h3>` +
      table(
        ['Parameter', 'Mean', 'SD', '94% HDI', 'R-hat', 'Bulk ESS', 'Tail ESS'],
        shown.map(([name, p]) => [name, fmt(p.mode ?? p.mean), fmt(p.sd), `${fmt(p.hdiLow)} to ${fmt(p.hdiHigh)}`, fmt(p.rhat, 4), fmt(p.essBulk), fmt(p.essTail)]),
        [1, 2, 4, 5, 6],
      ) +
      (map ? para('For a MAP run the mean column is the posterior mode; R-hat and ESS are of independent Laplace draws.', 'note') : ''),
  };
}

function carefulSection(run: RunResult, family: FamilyReport): Section {
  const note = VERDICT_NOTE[verdictOf(run)];
  const items = [...(note ? [note] : []), ...(family.cautions ?? []), ...diagnosticWarnings(run), ...runWarnings(run)];
  return {
    id: 'careful',
    title: 'What to be careful about',
    html: items.length ? `<ul class="careful">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : para('Nothing was flagged: the diagnostics pass and the model raised no warning.'),
  };
}

/**
 * The report of `run` as a complete HTML document. `dataset` is the run's data set as stored
 * (its name, rows and warnings), when it still is.
 */
export function buildReport(run: RunResult, dataset?: DatasetInfo, generator = 'Marketing Studio'): string {
  const family = familyReport(run);
  const form = modelForm(run);
  const sections: Section[] = [
    dataSection(run, family, dataset, form),
    modelSection(run, family, form),
    verdictSection(run),
    headlineSection(run, family),
    ...family.sections,
    diagnosticsSection(run),
    carefulSection(run, family),
  ];
  const datasetName = dataset?.name ?? run.spec.dataset;
  const title = `${form.label} on ${datasetName}`;
  const created = new Date(run.createdAt);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Report: ${title}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p>Run ${esc(run.id)} · fitted ${esc(Number.isNaN(created.getTime()) ? run.createdAt : created.toISOString().replace('T', ' ').slice(0, 16) + ' UTC')} · ${esc(VERDICT_TEXT[verdictOf(run)].label)}</p>
</header>
<main>
${sections.map(sectionHtml).join('')}
</main>
<footer>${esc(`Generated by ${generator} from run ${run.id} (backend ${run.backend}). Numbers are posterior means with 94% highest-density intervals.`)}</footer>
</body>
</html>
`;
}

/** The file name a report of `run` downloads as. */
export function reportFileName(run: RunResult): string {
  return `report-${run.model}-${run.createdAt.slice(0, 10)}-${run.id.slice(0, 8).replace(/[^\w-]/g, '')}.html`;
}
