export { type SecretStore, SecretStoreError, SECRET_NAME_RE, assertSecretName, defaultSecretName } from './secret-store';
export { createFileSecretStore } from './file-secret-store';
export { type SecretEnv, type SecretSource, createSecretEnv } from './secret-env';
export { type SecretMapBackend, secretMapStore } from './secret-map-store';
