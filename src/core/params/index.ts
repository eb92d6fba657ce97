export * from './normalize-call-parameters';
