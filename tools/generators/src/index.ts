export { serviceGenerator, templateValues, type ServiceGeneratorOptions } from './service/generator';
