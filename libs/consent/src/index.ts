export * from './consent-rules';
export * from './consent-errors';
export * from './video-opt-out';
export * from './consent-evidence';
export * from './consent-ledger.service';
export * from './opt-out-enforcer.service';
export * from './person-erasure.service';
export * from './consent.module';
