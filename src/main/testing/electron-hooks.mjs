// Module hook for the bundle smoke test: `import ... from 'electron'` in the built main
// bundle resolves to a shim over the fake that bundle-driver.mts installs on globalThis.
const shim = new globalThis.URL('./electron-shim.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: shim, shortCircuit: true };
  return next(specifier, context);
}
