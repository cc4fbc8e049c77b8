import { toIso, withTransaction, type Knex } from '@goorm/common';
import { containsPattern } from '@goorm/common';
import type { Staff } from '@goorm/contracts';
import { revokeTokens, updateAccount } from '../db/revocations.ts';

export interface StaffCredentials extends Staff {
  passwordHash: string;
}

export interface StaffWrite {
  loginId: string;
  name: string;
  passwordHash?: string;
}

const COLUMNS = ['id', 'login_id', 'name', 'created_at', 'updated_at'];

interface StaffRow {
  id: number;
  login_id: string;
  name: string;
  created_at: unknown;
  updated_at: unknown;
  password_hash?: string;
}

function toStaff(r: StaffRow): Staff {
  return { id: Number(r.id), loginId: r.login_id, name: r.name, createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at) };
}

export function createStaffRepository(db: Knex) {
  return {
    async findById(id: number): Promise<Staff | undefined> {
      const row = (await db('staff').select(COLUMNS).where({ id }).first()) as StaffRow | undefined;
      return row ? toStaff(row) : undefined;
    },

    /** The only read that carries the password hash (login). */
    async findCredentials(loginId: string): Promise<StaffCredentials | undefined> {
      const row = (await db('staff').select([...COLUMNS, 'password_hash']).where({ login_id: loginId }).first()) as StaffRow | undefined;
      return row ? { ...toStaff(row), passwordHash: row.password_hash! } : undefined;
    },

    /** One count and one page query, whatever the page size. */
    async list(f: { q?: string | undefined; page: number; size: number }): Promise<{ items: Staff[]; total: number }> {
      const filtered = db('staff').modify((qb) => {
        if (f.q) {
          const pattern = containsPattern(f.q);
          qb.where((w) => w.whereRaw("name like ? escape '!'", [pattern]).orWhereRaw("login_id like ? escape '!'", [pattern]));
        }
      });
      const counted = (await filtered.clone().count({ n: '*' }).first()) as { n: number | string } | undefined;
      const rows = (await filtered
        .clone()
        .select(COLUMNS)
        .orderBy('login_id')
        .limit(f.size)
        .offset((f.page - 1) * f.size)) as StaffRow[];
      return { items: rows.map(toStaff), total: Number(counted?.n ?? 0) };
    },

    async insert(s: Required<StaffWrite>, now: Date): Promise<number> {
      const [id] = await db('staff').insert({
        login_id: s.loginId,
        name: s.name,
        password_hash: s.passwordHash,
        created_at: now,
        updated_at: now,
      });
      return Number(id);
    },

    /** A password hash left undefined keeps the stored one. Answers false when there is no such staff member. */
    async update(id: number, s: StaffWrite, now: Date): Promise<boolean> {
      return updateAccount(
        db,
        'staff',
        id,
        {
          login_id: s.loginId,
          name: s.name,
          ...(s.passwordHash !== undefined ? { password_hash: s.passwordHash } : {}),
          updated_at: now,
        },
        now,
      );
    },

    async delete(id: number): Promise<boolean> {
      return withTransaction(db, async (trx) => {
        const gone = (await trx('staff').where({ id }).delete()) > 0;
        if (gone) await revokeTokens(trx, 'staff', id, 'DELETED', new Date());
        return gone;
      });
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
