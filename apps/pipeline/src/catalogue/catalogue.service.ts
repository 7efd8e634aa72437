import { DataSource } from 'typeorm';
import { HttpException, Injectable } from '@nestjs/common';
import { environmentOrder, type ServiceManifest } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { ActionAuditService } from '../auth/action-audit.service';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import type { ServiceManifestEntity } from '../persistence/service-manifest.entity';
import { forbidden, notFound } from '../http/api-errors';
import { invalidRequest } from '@conveyor/service-kit';
import { ApprovalVoidingService } from '../promotions/approval-voiding.service';
import { parseManifestBody } from './manifest-body.parser';
import { ManifestsRepository } from './manifests.repository';
import { findPolicyRelaxations } from './policy-relaxation';

export interface ManifestView {
  service: string;
  version: number;
  environments: string[];
  appliedBy: string;
  appliedAt: string;
  manifest: ServiceManifest;
}

export interface ApplyResult {
  service: string;
  version: number;
  changed: boolean;
  environments: string[];
}

@Injectable()
export class CatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly manifests: ManifestsRepository,
    private readonly voiding: ApprovalVoidingService,
    private readonly audit: ActionAuditService,
  ) {}

  /**
   * Stores a new manifest version when the content changed; the same manifest again keeps its
   * version. A change that relaxes the approval policy (see `findPolicyRelaxations`) needs the
   * admin role: anyone else gets a 403 naming what they tried to relax, and the refusal is recorded.
   * An admin's relaxation is recorded with what was relaxed.
   */
  async apply(service: string, body: unknown, action: ApiAction): Promise<ApplyResult> {
    const parsed = parseManifestBody(service, body);
    if (!parsed.ok) throw invalidRequest(parsed.problems, 'invalid manifest');
    const environments = environmentOrder(parsed.manifest);
    type Applied = ApplyResult | { refused: HttpException };
    const result = await this.bus.transaction<Applied>(async (unit) => {
      await this.manifests.lockService(unit.manager, service);
      const latest = await this.manifests.latest(unit.manager, service);
      if (latest?.contentHash === parsed.contentHash) {
        emitApiAction(
          unit,
          action,
          200,
          `manifest of ${service} unchanged (version ${latest.version})`,
          service,
        );
        return { service, version: latest.version, changed: false, environments };
      }
      const relaxed = latest ? findPolicyRelaxations(latest.manifest, parsed.manifest) : [];
      if (relaxed.length > 0 && action.caller.role !== 'admin')
        return {
          refused: forbidden(
            `relaxing the approval policy of ${service} needs the admin role (${action.caller.role} tried to: ${relaxed.join('; ')})`,
          ),
        };
      const version = (latest?.version ?? 0) + 1;
      await this.manifests.insert(unit.manager, {
        service,
        version,
        manifest: parsed.manifest,
        contentHash: parsed.contentHash,
        appliedBy: action.caller.name,
        appliedAt: new Date(),
      });
      unit.emit(
        'service.manifest.applied',
        { service, manifestVersion: version, environments },
        { actor: action.caller.name, subject: service },
      );
      await this.voiding.afterManifestChange(
        unit,
        latest?.manifest ?? null,
        parsed.manifest,
        action.caller.name,
      );
      emitApiAction(
        unit,
        action,
        201,
        `applied manifest version ${version} of ${service} (${environments.join(' → ')})` +
          (relaxed.length > 0 ? `; relaxed the approval policy: ${relaxed.join('; ')}` : ''),
        service,
      );
      return { service, version, changed: true, environments };
    });
    if ('refused' in result) throw await this.audit.refused(action, result.refused, service);
    return result;
  }

  async get(service: string, version?: number): Promise<ManifestView> {
    const entity =
      version === undefined
        ? await this.manifests.latest(this.dataSource.manager, service)
        : await this.manifests.byVersion(this.dataSource.manager, service, version);
    if (!entity)
      throw notFound(
        version === undefined
          ? `no service ${service} in the catalogue`
          : `${service} has no manifest version ${version}`,
      );
    return toView(entity);
  }

  async list(): Promise<Omit<ManifestView, 'manifest'>[]> {
    return (await this.manifests.latestOfEach(this.dataSource.manager)).map((entity) => {
      const { manifest: _manifest, ...rest } = toView(entity);
      return rest;
    });
  }
}

function toView(entity: ServiceManifestEntity): ManifestView {
  return {
    service: entity.service,
    version: entity.version,
    environments: environmentOrder(entity.manifest),
    appliedBy: entity.appliedBy,
    appliedAt: entity.appliedAt.toISOString(),
    manifest: entity.manifest,
  };
}
