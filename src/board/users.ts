import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GoldrunError } from '../errors.js';
import { isPasswordHash } from './passwords.js';

/** A viewer sees the board and the runs; an operator may also retry, promote and clean jobs. */
export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface BoardUser {
  name: string;
  role: Role;
  passwordHash: string;
}

const userSchema = z.object({
  name: z.string().regex(/^[\w.@-]{1,64}$/, 'letters, digits, . _ @ - only'),
  role: z.enum(ROLES),
  passwordHash: z.string().refine(isPasswordHash, 'not a password hash: make one with `goldrun board hash-password`'),
});
const usersFileSchema = z.object({ users: z.array(userSchema).min(1) });

/**
 * Board users come from a YAML file (`users: [{name, role, passwordHash}]`) or from
 * GOLDRUN_BOARD_USERS ("name:role:hash,name:role:hash"). Only hashes are accepted: there
 * is no default user and no plain-text password anywhere.
 */
export async function loadBoardUsers(options: { file?: string; fromEnv?: string }): Promise<BoardUser[]> {
  const users: BoardUser[] = [];
  if (options.file) {
    const text = await readFile(options.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new GoldrunError(`board users file ${options.file}: cannot read it (${err.code ?? err.message})`, { retryable: false });
    });
    const parsed = usersFileSchema.safeParse(parseYaml(text));
    if (!parsed.success) throw new GoldrunError(`board users file ${options.file}: ${describe(parsed.error)}`, { retryable: false });
    users.push(...parsed.data.users);
  }
  if (options.fromEnv) {
    options.fromEnv.split(',').map((s) => s.trim()).filter(Boolean).forEach((entry, k) => {
      const [name, role, ...hash] = entry.split(':');
      const parsed = userSchema.safeParse({ name, role, passwordHash: hash.join(':') });
      if (!parsed.success) throw new GoldrunError(`GOLDRUN_BOARD_USERS entry ${k + 1} (${name ?? '?'}): ${describe(parsed.error)}`, { retryable: false });
      users.push(parsed.data);
    });
  }
  if (users.length === 0) {
    throw new GoldrunError('the board has no users: set GOLDRUN_BOARD_USERS="name:role:hash" or pass --users FILE (hashes from `goldrun board hash-password`)', { retryable: false });
  }
  const names = new Set<string>();
  for (const u of users) {
    if (names.has(u.name)) throw new GoldrunError(`board user ${u.name} is defined twice`, { retryable: false });
    names.add(u.name);
  }
  return users;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
}
