/** The waiting room (대기열) in front of POST /api/enrollments. See README.md in this folder. */
export { AdmissionRateController, DEFAULT_ADAPTIVE, type AdaptiveOptions, type RateVote } from './queue.adaptive.ts';
export { createQueueRedis, createWaitingRoom, queueConfigShape, type QueueConfig, type WaitingRoomSetup } from './queue.config.ts';
export { InProcessWaitingRoom } from './queue.memory.ts';
export { RedisWaitingRoom, type RedisWaitingRoomOptions } from './queue.redis.ts';
export {
  BaseWaitingRoom,
  QUEUE_MODES,
  windowActivates,
  type QueueMode,
  type QueueOverview,
  type QueuePlace,
  type QueueSettings,
  type QueueSettingsInput,
  type WaitingRoom,
  type WaitingRoomOptions,
} from './queue.room.ts';
export { observeEnrollLatency, registerQueueRoutes, type QueueRouteDeps } from './queue.routes.ts';
export { changeSettings, createAdmissionCheck, queueRequired, type AdmissionCheck } from './queue.service.ts';
export { QueueTokens, resolveQueueSecret, devQueueSecretPath, type AdmissionVerdict, type TicketClaims } from './queue.tokens.ts';
