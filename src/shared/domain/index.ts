export * from './attachment';
export * from './conversation';
export * from './local-model';
export * from './message-extras';
export * from './message-route';
export * from './usage';
export * from './selectable-model';
