export * from './command/command.schema';
export * from './command/command-policy';
export { lifetimeMs } from './command/command-lifetime';
export { newCommand, newNonce, type NewCommandInput } from './command/new-command';
export { loadTrustedKeys, type TrustedKeys } from './keys/trusted-keys';
export { signingInput } from './signing/signing-input';
export { signCommand, type SignOptions } from './signing/sign-command';
export * from './check/check-result';
export { matchesTarget, explainTargetMismatch, type AgentFacts } from './check/match-target';
export {
  checkTimeWindow,
  nonceRetentionEnd,
  type TimeWindowPolicy,
  type TimeWindowVerdict,
} from './check/time-window';
export { checkCommand, type CheckOptions } from './check/check-command';
export type { NonceStore } from './nonce/nonce-store';
export { MemoryNonceStore } from './nonce/memory-nonce-store';
export { FileNonceStore, type FileNonceStoreOptions } from './nonce/file-nonce-store';
