import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, isPasswordHash, verifyPassword } from '../../src/board/passwords.js';
import { loadBoardUsers } from '../../src/board/users.js';

describe('board passwords', () => {
  let hash: string;
  beforeAll(async () => {
    hash = await hashPassword('correct horse battery');
  });

  it('verifies the password it hashed and nothing else', async () => {
    expect(isPasswordHash(hash)).toBe(true);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const again = await hashPassword('correct horse battery');
    expect(again).not.toBe(hash);
    expect(await verifyPassword('correct horse battery', again)).toBe(true);
  });

  it('refuses short passwords and never accepts a plain text as a hash', async () => {
    await expect(hashPassword('short')).rejects.toThrow(/at least 12 characters/);
    expect(await verifyPassword('plain-text-pass', 'plain-text-pass')).toBe(false);
  });
});

describe('board users', () => {
  let dir: string;
  let hash: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goldrun-users-'));
    hash = await hashPassword('operator-password-1');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads users from the environment and from a file', async () => {
    const file = join(dir, 'users.yaml');
    await writeFile(file, `users:\n  - name: vera\n    role: viewer\n    passwordHash: "${hash}"\n`);
    const users = await loadBoardUsers({ file, fromEnv: `olga:operator:${hash}` });
    expect(users.map((u) => [u.name, u.role])).toEqual([['vera', 'viewer'], ['olga', 'operator']]);
  });

  it('has no default user: no users is an error that says how to add one', async () => {
    await expect(loadBoardUsers({})).rejects.toThrow(/no users: set GOLDRUN_BOARD_USERS/);
  });

  it('names the entry that is wrong', async () => {
    await expect(loadBoardUsers({ fromEnv: `olga:operator:${hash},ivan:admin:${hash}` })).rejects.toThrow(/entry 2 \(ivan\): role/);
    await expect(loadBoardUsers({ fromEnv: 'olga:operator:hunter2hunter2' })).rejects.toThrow(/entry 1 \(olga\): passwordHash: not a password hash/);
    await expect(loadBoardUsers({ fromEnv: `olga:operator:${hash},olga:viewer:${hash}` })).rejects.toThrow(/olga is defined twice/);
    await expect(loadBoardUsers({ file: join(dir, 'missing.yaml') })).rejects.toThrow(/missing\.yaml: cannot read it \(ENOENT\)/);
  });
});
