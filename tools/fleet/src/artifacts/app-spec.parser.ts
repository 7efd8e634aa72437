import { errorMessage } from '@conveyor/errors';
import { parse as parseYaml } from 'yaml';
import { appSpecSchema, type AppSpec } from '@conveyor/contracts';
import { AppSpecError } from './artifact.errors';

/**
 * Parses and validates the text of a conveyor-app.yaml.
 * @param source where the text comes from, named in error messages (e.g. the file path)
 * @throws AppSpecError listing every problem as `<path>: <message>`
 */
export function parseAppSpec(text: string, source = 'conveyor-app.yaml'): AppSpec {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error: unknown) {
    throw new AppSpecError(source, [`not valid YAML (${errorMessage(error)})`]);
  }
  const result = appSpecSchema.safeParse(document);
  if (!result.success) {
    throw new AppSpecError(
      source,
      result.error.issues.map(
        (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
      ),
    );
  }
  return result.data;
}
