import { type UsageSummary } from '../../shared/domain';
import { ContractFailure } from '../api/contract-failure';
import { type Store, type TimeRange } from '../store';

export interface UsageService {
  /** Totals, counts by outcome and totals by provider and model, over [from, to). */
  summary(range: TimeRange): UsageSummary;
}

export function createUsageService(store: Store): UsageService {
  return {
    summary(range) {
      if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
        throw new ContractFailure('VALIDATION_FAILED', `usage range starts (${range.from}) after it ends (${range.to})`);
      }
      return store.calls.summary(range);
    },
  };
}
