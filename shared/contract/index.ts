export * from './errors';
export * from './result';
export * from './domain';
export * from './commands';
export * from './events';
export * from './bridge';
export * from './storage';
export * from './agent';
