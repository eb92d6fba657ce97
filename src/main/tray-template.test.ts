import { describe, expect, it } from 'vitest';
import { INLINE_MODELS_MAX, type TrayItem, type TrayState, formatSpend, trayTemplate, trayTooltip } from './tray-template';

const base: TrayState = {
  activeModel: 'fast',
  groups: ['fast', 'smart'],
  providers: [
    { name: 'local', models: [{ ref: 'local/tiny', label: 'tiny', usable: true }, { ref: 'local/broken', label: 'broken', usable: false }] },
    { name: 'try', models: [{ ref: 'try/mock-1', label: 'mock-1', usable: true }] },
    { name: 'empty', models: [] },
  ],
  todaySpendUsd: 1.234,
  gateway: { available: true, running: true },
};

const labels = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.type === 'radio' ? `${i.checked ? '(•)' : '( )'} ${i.label}` : i.label));

describe('trayTemplate', () => {
  it('lists spend, groups and models as radios (the active one checked), open, the gateway and quit', () => {
    expect(labels(trayTemplate(base))).toEqual([
      'Today: $1.23',
      '---',
      'Groups',
      '(•) fast',
      '( ) smart',
      '---',
      'local',
      '( ) tiny',
      '( ) broken',
      'try',
      '( ) mock-1',
      '---',
      'Open Switchboard',
      'Pause gateway',
      '---',
      'Quit Switchboard',
    ]);
  });

  it('gives each item its action, and disables models that cannot be used', () => {
    const items = trayTemplate({ ...base, activeModel: 'try/mock-1' });
    const find = (label: string) => items.find((i) => i.type !== 'separator' && i.label === label);
    expect(find('mock-1')).toEqual({ type: 'radio', label: 'mock-1', checked: true, enabled: true, action: { kind: 'select-model', ref: 'try/mock-1' } });
    expect(find('fast')).toMatchObject({ checked: false });
    expect(find('broken')).toMatchObject({ enabled: false });
    expect(find('Open Switchboard')).toMatchObject({ action: { kind: 'open-window' } });
    expect(find('Pause gateway')).toMatchObject({ action: { kind: 'toggle-gateway', run: false } });
    expect(find('Quit Switchboard')).toMatchObject({ action: { kind: 'quit' } });
    expect(find('Today: $1.23')).toMatchObject({ enabled: false });
  });

  it('offers to resume a paused gateway, and leaves the gateway out of a build without one', () => {
    expect(labels(trayTemplate({ ...base, gateway: { available: true, running: false } }))).toContain('Resume gateway');
    const without = labels(trayTemplate({ ...base, gateway: { available: false, running: false } }));
    expect(without.filter((l) => l.includes('gateway'))).toEqual([]);
  });

  it('puts a long model list in a submenu, marked when it holds the active model', () => {
    const many = Array.from({ length: INLINE_MODELS_MAX + 1 }, (_, i) => ({ ref: `or/m${i}`, label: `m${i}`, usable: true }));
    const items = trayTemplate({ ...base, activeModel: 'or/m3', providers: [{ name: 'or', models: many }] });
    const sub = items.find((i) => i.type === 'submenu');
    expect(sub).toMatchObject({ type: 'submenu', label: 'or ✓' });
    expect(sub?.type === 'submenu' && sub.submenu.filter((i) => i.type === 'radio' && i.checked).map((i) => i.type !== 'separator' && i.label)).toEqual(['m3']);
  });

  it('says so when there is nothing to choose, and when spend is unknown or tiny', () => {
    expect(labels(trayTemplate({ ...base, groups: [], providers: [], todaySpendUsd: null, activeModel: null }))).toEqual([
      'Today: —',
      '---',
      'No models yet',
      'Open Switchboard',
      'Pause gateway',
      '---',
      'Quit Switchboard',
    ]);
    expect(formatSpend(0.004)).toBe('Today: < $0.01');
    expect(formatSpend(0)).toBe('Today: $0.00');
    expect(trayTooltip({ activeModel: 'fast', todaySpendUsd: 2 })).toBe('Switchboard — fast · today: $2.00');
  });
});
