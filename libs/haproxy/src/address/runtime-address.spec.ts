import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';
import { describeRuntimeAddress, parseRuntimeAddress } from './runtime-address';

describe('parseRuntimeAddress', () => {
  it.each([
    ['/run/haproxy/admin.sock', { kind: 'unix', path: '/run/haproxy/admin.sock' }],
    ['unix:/run/haproxy/admin.sock', { kind: 'unix', path: '/run/haproxy/admin.sock' }],
    ['127.0.0.1:9999', { kind: 'tcp', host: '127.0.0.1', port: 9999 }],
    ['tcp://lb1.internal:9999', { kind: 'tcp', host: 'lb1.internal', port: 9999 }],
    ['ipv4@127.0.0.1:9999', { kind: 'tcp', host: '127.0.0.1', port: 9999 }],
    ['[::1]:9999', { kind: 'tcp', host: '::1', port: 9999 }],
  ])('parses %s', (input, expected) => {
    expect(parseRuntimeAddress(input)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['unix:relative.sock', /must be absolute/],
    ['localhost', /unix socket path .* or host:port/],
    ['localhost:0', /port 0 is not in 1..65535/],
    ['localhost:70000', /port 70000/],
  ])('refuses %j', (input, message) => {
    expect(() => parseRuntimeAddress(input)).toThrow(InvalidHaproxyArgumentError);
    expect(() => parseRuntimeAddress(input)).toThrow(message);
  });

  it('describes addresses for error messages', () => {
    expect(describeRuntimeAddress(parseRuntimeAddress('/a.sock'))).toBe('unix:/a.sock');
    expect(describeRuntimeAddress(parseRuntimeAddress('[::1]:9'))).toBe('[::1]:9');
  });
});
