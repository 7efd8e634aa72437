import { Injectable } from '@nestjs/common';
import { KeyedMutex } from './keyed-mutex';

/**
 * Two locks per pool. `operations`: one drain/enable at a time (the capacity floor is checked
 * against a state no other operation is changing). `state`: held briefly while intents are
 * written and applied, and while the reconciler compares and corrects, so neither sees the
 * other half-done.
 */
@Injectable()
export class PoolLocks {
  readonly operations = new KeyedMutex();
  readonly state = new KeyedMutex();
}
