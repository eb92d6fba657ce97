import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../core/app';
import { type ElectronMenuItem, createTrayController, startOfLocalDay, toElectronMenu } from './tray-controller';

/** The tray over the real core (mock provider, one group): what it shows and what its clicks do. */
let dir: string;
let core: Core;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-tray-'));
  writeFileSync(
    join(dir, 'switchboard.yaml'),
    'providers:\n  try: { type: mock, response: "hi" }\ngroups:\n  fast:\n    deployments: [{ provider: try, model: mock-1 }]\ngateway: { port: 0 }\n',
  );
  core = await createCore({ dataDir: dir, engineOptions: { threads: 1 }, env: {} });
});
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const flat = (menu: ElectronMenuItem[]): ElectronMenuItem[] => menu.flatMap((i) => [i, ...flat(i.submenu ?? [])]);

describe('the tray controller', () => {
  it('shows groups, models and today’s spend, and a click sets the active model the window follows', async () => {
    const shown: { menu: ElectronMenuItem[]; tooltip: string }[] = [];
    let opened = 0;
    let quit = 0;
    let gatewayRunning = false;
    const tray = createTrayController({
      dispatcher: core.dispatcher,
      show: (menu, tooltip) => shown.push({ menu, tooltip }),
      openWindow: () => void (opened += 1),
      quit: () => void (quit += 1),
      gateway: { running: () => gatewayRunning, setRunning: async (run) => void (gatewayRunning = run) },
      startOfToday: () => startOfLocalDay(Date.now()),
      log: () => undefined,
    });
    const off = core.onEvent((name, data) => tray.onEvent(name, data));
    await tray.refresh();
    const items = () => flat(shown.at(-1)!.menu);
    const item = (label: string) => items().find((i) => i.label === label);
    expect(item('Today: $0.00')).toMatchObject({ enabled: false });
    expect(item('fast')).toMatchObject({ type: 'radio', checked: false });
    expect(item('Mock model')).toMatchObject({ type: 'radio', checked: false });

    item('fast')!.click!();
    await expect.poll(() => item('fast')?.checked).toBe(true);
    expect((await core.dispatcher.request('settings.active.get', {}, 'test'))).toEqual({ ok: true, data: { ref: 'fast' } });
    expect(shown.at(-1)!.tooltip).toBe('Switchboard — fast · today: $0.00');

    item('Resume gateway')!.click!();
    await expect.poll(() => item('Pause gateway') !== undefined).toBe(true);
    expect(gatewayRunning).toBe(true);
    item('Open Switchboard')!.click!();
    item('Quit Switchboard')!.click!();
    expect([opened, quit]).toEqual([1, 1]);
    off();
    tray.dispose();
  });

  it('drives the core’s gateway switch, and follows a change made in settings', async () => {
    const shown: ElectronMenuItem[][] = [];
    await core.gateway.host();
    const tray = createTrayController({
      dispatcher: core.dispatcher,
      show: (menu) => shown.push(menu),
      openWindow: () => undefined,
      quit: () => undefined,
      gateway: core.gateway,
      startOfToday: () => startOfLocalDay(Date.now()),
      log: () => undefined,
    });
    const off = core.onEvent((name, data) => tray.onEvent(name, data));
    await tray.refresh();
    const item = (label: string) => flat(shown.at(-1)!).find((i) => i.label === label);
    item('Resume gateway')!.click!();
    await expect.poll(() => item('Pause gateway') !== undefined).toBe(true);
    expect(core.gateway.status()).toMatchObject({ enabled: true, state: 'running' });
    // switched off from the settings page: the tray's item follows (gateway.changed)
    expect(await core.dispatcher.request('gateway.enable', { enabled: false }, 'test')).toMatchObject({ ok: true, data: { state: 'off' } });
    await expect.poll(() => item('Resume gateway') !== undefined).toBe(true);
    off();
    tray.dispose();
  });

  it('maps template items to Electron menu items', () => {
    const actions: string[] = [];
    const menu = toElectronMenu(
      [
        { type: 'normal', label: 'Today: $0.00', enabled: false },
        { type: 'separator' },
        { type: 'submenu', label: 'or', submenu: [{ type: 'radio', label: 'm', checked: true, enabled: true, action: { kind: 'select-model', ref: 'or/m' } }] },
      ],
      (action) => actions.push(action.kind),
    );
    expect(menu[0]).toEqual({ type: 'normal', label: 'Today: $0.00', enabled: false });
    expect(menu[1]).toEqual({ type: 'separator' });
    menu[2]!.submenu![0]!.click!();
    expect(actions).toEqual(['select-model']);
  });
});
