import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { BoardUser, Role } from './users.js';
import { verifyPassword } from './passwords.js';

export const SESSION_COOKIE = 'goldrun_session';
const SESSION_SECONDS = 12 * 3600;

export interface AuthEnv {
  Variables: { user: BoardUser };
}

export interface Auth {
  /** Checks a name and password; resolves to the user or null. Unknown names cost as much as wrong passwords. */
  login(name: string, password: string): Promise<BoardUser | null>;
  startSession(c: Context, user: BoardUser): Promise<void>;
  endSession(c: Context): void;
  /** Lets through a signed-in session, HTTP Basic credentials, or (for /metrics) the metrics token; anything else gets 401. */
  required(onAnonymous: (c: Context) => Response | Promise<Response>): MiddlewareHandler<AuthEnv>;
  /** 403 unless the signed-in user has this role. */
  role(role: Role): MiddlewareHandler<AuthEnv>;
}

export interface AuthOptions {
  users: BoardUser[];
  /** Signs session cookies; from GOLDRUN_BOARD_SECRET. Without one, sessions end when the board restarts. */
  secret?: string;
  /** Bearer token Prometheus may scrape /metrics with (GOLDRUN_METRICS_TOKEN). */
  metricsToken?: string;
  /** Set the Secure flag on the cookie (the board is served over HTTPS by a proxy). */
  secureCookies?: boolean;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1 };

export function createAuth(options: AuthOptions): Auth {
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const byName = new Map(options.users.map((u) => [u.name, u]));
  // A dummy hash keeps a wrong user name as slow as a wrong password.
  const dummy = options.users[0]!.passwordHash;
  // Basic credentials are checked once per minute, not on every poll of the board.
  const basicCache = new Map<string, { user: string; until: number }>();

  const login = async (name: string, password: string) => {
    const user = byName.get(name);
    const ok = await verifyPassword(password, user?.passwordHash ?? dummy);
    return ok && user ? user : null;
  };

  const fromSession = async (c: Context): Promise<BoardUser | null> => {
    const value = await getSignedCookie(c, secret, SESSION_COOKIE);
    if (!value) return null;
    const [name, expires] = value.split('|');
    if (!name || !(Number(expires) > Date.now())) return null;
    // The role is read from the current users, so removing a user ends their sessions.
    return byName.get(name) ?? null;
  };

  const fromBasic = async (header: string | undefined): Promise<BoardUser | null> => {
    if (!header?.startsWith('Basic ')) return null;
    const key = createHash('sha256').update(header).digest('hex');
    const cached = basicCache.get(key);
    if (cached && cached.until > Date.now()) return byName.get(cached.user) ?? null;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = await login(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (user) basicCache.set(key, { user: user.name, until: Date.now() + 60_000 });
    return user;
  };

  return {
    login,
    startSession: async (c, user) => {
      await setSignedCookie(c, SESSION_COOKIE, `${user.name}|${Date.now() + SESSION_SECONDS * 1000}`, secret, {
        httpOnly: true, sameSite: 'Strict', path: '/', maxAge: SESSION_SECONDS, secure: options.secureCookies === true,
      });
    },
    endSession: (c) => deleteCookie(c, SESSION_COOKIE, { path: '/' }),
    required: (onAnonymous) => async (c, next) => {
      const authorization = c.req.header('authorization');
      if (options.metricsToken && c.req.path === '/metrics' && authorization === `Bearer ${options.metricsToken}`) {
        c.set('user', { name: 'prometheus', role: 'viewer', passwordHash: '' });
        return next();
      }
      const user = (await fromSession(c)) ?? (await fromBasic(authorization));
      if (!user) return onAnonymous(c);
      // Cookies are SameSite=Strict; a cross-site form post is refused here as well.
      const origin = c.req.header('origin');
      if (!['GET', 'HEAD'].includes(c.req.method) && origin && new URL(origin).host !== c.req.header('host')) {
        return c.text('cross-site request refused', 403);
      }
      c.set('user', user);
      return next();
    },
    role: (role) => async (c, next) => {
      if (RANK[c.get('user').role] < RANK[role]) return c.text(`forbidden: this needs the ${role} role`, 403);
      return next();
    },
  };
}
