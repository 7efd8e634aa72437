import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionalBus } from '@conveyor/messaging';
import { notFound } from '../http/api-errors';
import { emitApiAction } from './api-action';
import { generateApiToken, hashApiToken } from './api-token.codec';
import { ApiTokensRepository } from './api-tokens.repository';
import type { ApiAction } from './caller.decorator';
import { issuedEvent } from './identity-events';
import type { Role } from './role-policy';
import type { CreateTokenBody } from './token.schemas';

export interface TokenView {
  id: string;
  name: string;
  role: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

@Injectable()
export class TokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly tokens: ApiTokensRepository,
  ) {}

  /** Issues a token; the token itself is in the answer only, never stored nor logged. */
  async create(body: CreateTokenBody, action: ApiAction): Promise<TokenView & { token: string }> {
    const token = generateApiToken();
    const entity = {
      id: randomUUID(),
      name: body.name,
      role: body.role,
      tokenHash: hashApiToken(token),
      createdBy: action.caller.name,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.bus.transaction(async (unit) => {
      await this.tokens.save(unit.manager, entity);
      emitApiAction(unit, action, 201, `issued a ${body.role} token for ${body.name}`, entity.id);
      unit.emit('identity.token.issued', issuedEvent(entity), {
        actor: action.caller.name,
        subject: entity.id,
      });
    });
    return { ...toView(entity), token };
  }

  async list(): Promise<TokenView[]> {
    return (await this.tokens.list(this.dataSource.manager)).map(toView);
  }

  async revoke(id: string, action: ApiAction): Promise<TokenView> {
    return this.bus.transaction(async (unit) => {
      const token = await this.tokens.findById(unit.manager, id);
      if (!token) throw notFound(`no API token ${id}`);
      token.revokedAt ??= new Date();
      await this.tokens.save(unit.manager, token);
      emitApiAction(unit, action, 200, `revoked the ${token.role} token of ${token.name}`, id);
      unit.emit(
        'identity.token.revoked',
        {
          tokenId: token.id,
          name: token.name,
          role: token.role as Role,
          revokedAt: token.revokedAt.toISOString(),
          revokedBy: action.caller.name,
        },
        { actor: action.caller.name, subject: id },
      );
      return toView(token);
    });
  }
}

function toView(token: {
  id: string;
  name: string;
  role: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}): TokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
