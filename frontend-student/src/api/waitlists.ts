import type { MyWaitlists, NoticeList, WaitlistEntry } from '@goorm/contracts';
import { enrollment } from './client.ts';

/** Joins a full section's waitlist (201 with the place; 200 with the place already held). */
export function joinWaitlist(sectionId: number): Promise<WaitlistEntry> {
  return enrollment.joinWaitlist({ body: { sectionId } });
}

/** Leaves a waitlist; everyone behind moves up. */
export function leaveWaitlist(sectionId: number): Promise<void> {
  return enrollment.leaveWaitlist({ params: { sectionId } });
}

/** My waitlists of the current term with their positions, and the limits in force. */
export function myWaitlists(): Promise<MyWaitlists> {
  return enrollment.myWaitlists();
}

/** My notices, newest first, and how many are unread. */
export function notices(limit = 20): Promise<NoticeList> {
  return enrollment.notices({ query: { limit } });
}

/** Marks every notice of mine up to and including this id as read. */
export function readNotices(upToId: number): Promise<void> {
  return enrollment.readNotices({ body: { upToId } });
}
