import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { AuditPage, Staff } from '@goorm/contracts';
import { ApiError, auth, enrollment } from '../../../api/client.ts';
import type { AsyncStatus } from '../../../stores/async.ts';

/** The actions staff screens write to the audit log (the filter offers these). */
export const AUDIT_ACTIONS = [
  'OVERRIDE_ENROLL',
  'OVERRIDE_DROP',
  'WINDOW_CREATE',
  'WINDOW_UPDATE',
  'WINDOW_DELETE',
  'QUEUE_SETTINGS',
  'WAITLIST_MOVE',
  'WAITLIST_REMOVE',
  'WAITLIST_SETTINGS',
  'AUTO_ENROLL',
] as const;

export interface AuditFilters {
  staffId: number | undefined;
  studentId: number | undefined;
  sectionId: number | undefined;
  action: string;
}

const PAGE_SIZE = 20;
/** The API's largest page: staff names for the filter and the "who" column come from one read. */
const STAFF_PAGE = 100;

/** The audit log of staff actions, newest first: filters and paging on the server; staff named by their accounts. */
export const useAuditStore = defineStore('audit', () => {
  const filters = ref<AuditFilters>({ staffId: undefined, studentId: undefined, sectionId: undefined, action: '' });
  const page = ref<AuditPage>({ items: [], total: 0, page: 1, size: PAGE_SIZE });
  const status = ref<AsyncStatus>('idle');
  const error = ref<ApiError | undefined>();
  const staff = ref<Staff[]>([]);
  const staffStatus = ref<AsyncStatus>('idle');
  let seq = 0;

  async function loadStaff(): Promise<void> {
    if (staffStatus.value === 'loading' || staffStatus.value === 'done') return;
    staffStatus.value = 'loading';
    try {
      staff.value = (await auth.listStaff({ query: { size: STAFF_PAGE } })).items;
      staffStatus.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      staffStatus.value = 'error';
    }
  }

  async function load(pageNo = page.value.page): Promise<void> {
    const mine = ++seq;
    status.value = 'loading';
    error.value = undefined;
    try {
      const f = filters.value;
      const answer = await enrollment.audit({
        query: { staffId: f.staffId, studentId: f.studentId, sectionId: f.sectionId, action: f.action || undefined, page: pageNo, size: PAGE_SIZE },
      });
      if (mine !== seq) return;
      page.value = answer;
      status.value = 'done';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (mine !== seq) return;
      error.value = e;
      status.value = 'error';
    }
  }

  const search = () => load(1);

  /** The staff member's name and login id, if their account is among those read. */
  function staffOf(id: number): Staff | undefined {
    return staff.value.find((s) => s.id === id);
  }

  return { filters, page, status, error, staff, staffStatus, loadStaff, load, search, staffOf };
});
