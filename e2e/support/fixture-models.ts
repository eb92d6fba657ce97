/** The models global setup puts in the data dir's models folder. Ids are `local/<file name>`. */
export const TINY_MODEL_FILE = 'tiny.gguf';
export const TINY_MODEL_ID = 'local/tiny';
export const BROKEN_MODEL_FILE = 'broken.gguf';
export const BROKEN_MODEL_ID = 'local/broken';

/** A few bytes that are not a GGUF header. */
export const BROKEN_MODEL_BYTES = Buffer.from('this is not a gguf file\n\x00\x01\x02', 'latin1');

/** The mock provider global setup configures in the data dir's switchboard.yaml. */
export const MOCK_PROVIDER = 'try';
export const MOCK_MODEL_ID = `${MOCK_PROVIDER}/mock-1`;
export const MOCK_RESPONSE = 'Hello from the mock provider.';
export const E2E_CONFIG_YAML = `# written by e2e global setup
providers:
  ${MOCK_PROVIDER}: { type: mock, response: "${MOCK_RESPONSE}", tokenDelayMs: 50 }
`;

/** The fake hub's repo and file the downloads spec fetches (test/hub/fake-hub.ts `testModelRepos`; about 1 MB). */
export const HUB_REPO = 'switchboard-test/tiny-GGUF';
export const HUB_FILE = 'tiny-Q8_0.gguf';
export const HUB_MODEL_ID = 'local/tiny-Q8_0';
/** Slow enough that the download takes several seconds: its progress can be seen, paused and resumed. */
export const HUB_BYTES_PER_SECOND = 120_000;
