import { conflict, notFound } from '@goorm/common';
import { isUniqueViolation } from '@goorm/common';
import type { PasswordHasher } from '../passwords/passwords.service.ts';
import type { StaffRepository } from './staff.repository.ts';
import type { CreateStaffInput, ListStaffQuery, Staff, StaffPage, UpdateStaffInput } from '@goorm/contracts';

export const duplicateLoginId = (loginId: string) =>
  conflict('DUPLICATE', `A staff member with login id ${loginId} already exists`, {
    field: 'loginId',
    errors: [{ field: 'body.loginId', message: 'is already taken' }],
  });

export function createStaffService(deps: { staff: StaffRepository; passwords: PasswordHasher; clock: () => Date }) {
  const { staff, passwords, clock } = deps;

  async function get(id: number): Promise<Staff> {
    const s = await staff.findById(id);
    if (!s) throw notFound('Staff member', id);
    return s;
  }

  /** Runs a write and turns a unique-key violation on login_id into 409 DUPLICATE. */
  async function uniqueLoginId<T>(loginId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateLoginId(loginId);
      throw err;
    }
  }

  return {
    get,

    async list(q: ListStaffQuery): Promise<StaffPage> {
      const { items, total } = await staff.list(q);
      return { items, total, page: q.page, size: q.size };
    },

    async create(input: CreateStaffInput): Promise<Staff> {
      const passwordHash = await passwords.hash(input.password);
      const id = await uniqueLoginId(input.loginId, () => staff.insert({ ...input, passwordHash }, clock()));
      return get(id);
    },

    async update(id: number, input: UpdateStaffInput): Promise<Staff> {
      if (!(await staff.findById(id))) throw notFound('Staff member', id);
      const passwordHash = input.password === undefined ? undefined : await passwords.hash(input.password);
      const found = await uniqueLoginId(input.loginId, () => staff.update(id, { ...input, passwordHash }, clock()));
      if (!found) throw notFound('Staff member', id);
      return get(id);
    },

    /** A staff member cannot delete their own account (so at least one staff account always remains). */
    async remove(id: number, callerId: number): Promise<void> {
      if (id === callerId) throw conflict('CONFLICT', 'You cannot delete your own staff account');
      if (!(await staff.delete(id))) throw notFound('Staff member', id);
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
