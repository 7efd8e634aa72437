import { Injectable } from '@nestjs/common';
import { environmentOrder, type ServiceManifest } from '@conveyor/contracts';
import { TransactionalBus } from '@conveyor/messaging';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import type { ServiceManifestEntity } from '../database/service-manifest.entity';
import { notFound } from '../http/api-errors';
import { invalidRequest } from '../http/zod-validation.pipe';
import { ApprovalVoidingService } from '../promotions/approval-voiding.service';
import { parseManifestBody } from './manifest-body.parser';
import { ManifestsRepository } from './manifests.repository';

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
    private readonly bus: TransactionalBus,
    private readonly manifests: ManifestsRepository,
    private readonly voiding: ApprovalVoidingService,
  ) {}

  /** Stores a new manifest version when the content changed; the same manifest again keeps its version. */
  async apply(service: string, body: unknown, action: ApiAction): Promise<ApplyResult> {
    const parsed = parseManifestBody(service, body);
    if (!parsed.ok) throw invalidRequest(parsed.problems, 'invalid manifest');
    const environments = environmentOrder(parsed.manifest);
    return this.bus.transaction(async (unit) => {
      await this.manifests.lockService(unit.manager, service);
      const latest = await this.manifests.latest(service, unit.manager);
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
        `applied manifest version ${version} of ${service} (${environments.join(' → ')})`,
        service,
      );
      return { service, version, changed: true, environments };
    });
  }

  async get(service: string, version?: number): Promise<ManifestView> {
    const entity =
      version === undefined
        ? await this.manifests.latest(service)
        : await this.manifests.byVersion(service, version);
    if (!entity)
      throw notFound(
        version === undefined
          ? `no service ${service} in the catalogue`
          : `${service} has no manifest version ${version}`,
      );
    return toView(entity);
  }

  async list(): Promise<Omit<ManifestView, 'manifest'>[]> {
    return (await this.manifests.latestOfEach()).map((entity) => {
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
