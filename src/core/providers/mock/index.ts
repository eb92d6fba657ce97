export { createMock, type MockProvider } from './create-mock';
export { MockLanguageModel } from './mock-language-model';
export {
  mockSettingsSchema,
  mockFaultSchema,
  mockUsageSchema,
  DEFAULT_MOCK_RESPONSE,
  type MockSettings,
  type MockFault,
  type MockUsage,
  type MockToolCall,
} from './mock-settings';
export { splitIntoTokens } from './split-into-tokens';
export { mockUsage } from './estimate-mock-usage';
export { mockFaultError } from './mock-fault';
