export * from './principal';
export * from './token-verifier';
export * from './auth.module';
export * from './token-lifetime';
