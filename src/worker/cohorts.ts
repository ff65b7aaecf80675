/**
 * The cohort retention tables of a stored transactions dataset (no model fit needed).
 */
import type { CohortPeriod, CohortTable } from '../data/cohorts';
import { cohortTable } from '../data/cohorts';
import { dateColumn, labelColumn, numberColumn, roleColumn } from '../data/columns';
import { InputError } from '../api/errors';
import { findDataset } from '../store/db';

export interface CohortRequest {
  dataset: string;
  columns: Record<string, string | string[]>;
  period: CohortPeriod;
}

export async function cohortTableOf(request: CohortRequest): Promise<CohortTable> {
  const stored = await findDataset(request.dataset);
  if (!stored) throw new InputError(`No dataset named or with id "${request.dataset}".`);
  const { table } = stored;
  const customer = labelColumn(table, roleColumn(request.columns, 'customer'), 'customer');
  const date = dateColumn(table, roleColumn(request.columns, 'date'), 'date').values;
  const amountName = roleColumn(request.columns, 'amount', true);
  const groupName = roleColumn(request.columns, 'cohort', true);
  return cohortTable(
    {
      customer,
      date,
      amount: amountName ? numberColumn(table, amountName, 'amount').values : undefined,
      group: groupName ? labelColumn(table, groupName, 'cohort') : undefined,
    },
    request.period,
  );
}
