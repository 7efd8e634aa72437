export { describeError, errorMessage } from './error-message';
