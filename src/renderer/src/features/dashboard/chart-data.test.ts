import { describe, expect, it } from 'vitest';
import type { SpendSeries, UsageDashboard } from '../../../../shared/contract';
import { OTHER, formatRate, formatUsd, spendChartData } from './chart-data';

const series = (key: string, costUsd: number[]): SpendSeries => ({
  key, provider: key, model: null, costUsd, calls: costUsd.map(() => 1), totalUsd: costUsd.reduce((a, b) => a + b, 0), totalCalls: costUsd.length,
});

describe('spend chart data', () => {
  it('one row per bucket with each series’ cost; past eight series the rest is summed as "other"', () => {
    const byProvider = Array.from({ length: 10 }, (_, i) => series(`p${i}`, [10 - i, 1]));
    const data = { bucket: 'day', spend: { starts: [new Date(2026, 0, 5).getTime(), new Date(2026, 0, 6).getTime()], byProvider, byModel: [] } } as unknown as UsageDashboard;
    const chart = spendChartData(data, 'provider');
    expect(chart.series.map((s) => s.key)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', OTHER]);
    expect(chart.rows[0]).toMatchObject({ label: '5 Jan', p0: 10, p7: 3, [OTHER]: 2 + 1 });
    expect(chart.rows[1]).toMatchObject({ label: '6 Jan', p0: 1, [OTHER]: 2 });
  });

  it('formats money and rates for labels', () => {
    expect([formatUsd(0), formatUsd(0.00001), formatUsd(0.00123), formatUsd(0.5), formatUsd(1234.5)]).toEqual(['$0', '<$0.0001', '$0.0012', '$0.500', '$1,234.50']);
    expect([formatRate(null), formatRate(1), formatRate(0.9876)]).toEqual(['—', '100%', '98.8%']);
  });
});
