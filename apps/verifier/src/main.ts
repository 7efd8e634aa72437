import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { verifierServiceSpec } from './verifier.service-spec';

void runService(verifierServiceSpec);
