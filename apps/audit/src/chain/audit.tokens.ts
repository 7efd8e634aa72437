/** Injection tokens of the audit module. */
export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
export const AUDIT_WRITER = Symbol('AUDIT_WRITER');
export const AUDIT_WRITER_BUS = Symbol('AUDIT_WRITER_BUS');
export const AUDIT_CHECKPOINT_DIRECTORY = Symbol('AUDIT_CHECKPOINT_DIRECTORY');
