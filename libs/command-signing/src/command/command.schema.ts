import { z } from 'zod';

/**
 * The signed command's wire shape is defined once, in @conveyor/contracts (the events that carry
 * commands validate it there). This module re-exports it for signers and agents.
 */
export {
  COMMAND_KINDS,
  commandKindSchema,
  targetSchema,
  nonceSchema,
  keyIdSchema,
  signatureSchema,
  commandHeaderShape,
  commandHeaderSchema,
  unsignedCommandSchema,
  signedCommandSchema,
  type CommandKind,
  type CommandTarget,
  type CommandHeader,
  type UnsignedCommand,
  type CommandToSign,
  type SignedCommand,
} from '@conveyor/contracts';

/** The default payload schema: any JSON value. */
export const jsonPayloadSchema = z.json();
