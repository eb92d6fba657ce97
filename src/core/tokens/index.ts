export * from './count-tokens';
export * from './openai-encoding';
