import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into "Internal server error". For event handlers
 * ours hands the original error back to the transport, which retries or dead-letters with the
 * real reason; HTTP errors go on to Nest's usual handling.
 *
 * Hybrid apps register their microservice handlers at `connectMicroservice`, so this filter is
 * installed on the application (`app.useGlobalFilters`) with `inheritAppConfig: true`.
 */
@Catch()
export class RethrowRpcErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
