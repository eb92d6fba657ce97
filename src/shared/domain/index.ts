export * from './conversation';
export * from './local-model';
export * from './usage';
export * from './selectable-model';
