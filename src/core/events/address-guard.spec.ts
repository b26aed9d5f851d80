import { describe, expect, it } from 'vitest';
import { addressAllowed, webhookUrlProblem } from './address-guard.js';

describe('addressAllowed', () => {
  it.each([
    ['93.184.216.34', false, true],
    ['2606:2800:220:1:248:1893:25c8:1946', false, true],
    ['127.0.0.1', false, false],
    ['127.0.0.1', true, true],
    ['::1', true, true],
    ['10.1.2.3', true, false],
    ['172.16.0.1', false, false],
    ['192.168.1.1', false, false],
    ['169.254.169.254', true, false],
    ['100.64.0.1', false, false],
    ['0.0.0.0', true, false],
    ['fc00::1', false, false],
    ['fe80::1', false, false],
    ['::ffff:127.0.0.1', false, false],
    ['::ffff:10.0.0.1', true, false],
    ['224.0.0.1', false, false],
    ['not-an-ip', false, false],
  ])('%s (loopback allowed: %s) -> %s', (address, allowLoopback, expected) => {
    expect(addressAllowed(address, allowLoopback)).toBe(expected);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://hooks.partner.example/cx', false, null],
    ['ftp://partner.example', false, 'must be an http or https URL'],
    ['https://user:pw@partner.example', false, 'must not carry credentials'],
    ['http://169.254.169.254/latest/meta-data', false, 'must not point at a private, loopback or link-local address'],
    ['http://[::1]:8080/', false, 'must not point at a private, loopback or link-local address'],
    ['http://127.0.0.1:8080/', true, null],
    ['http://localhost:8080/', false, 'must not point at a local host name'],
    ['nonsense', false, 'must be an absolute URL'],
  ])('%s -> %s', (url, allowLoopback, expected) => {
    expect(webhookUrlProblem(url, allowLoopback)).toBe(expected);
  });
});
