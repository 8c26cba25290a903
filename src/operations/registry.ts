import { groupCallProcessingPolicy } from './group-call-processing-policy.js';
import type { OperationDef } from './types.js';
import { userCallForwardingAlways } from './user-call-forwarding-always.js';
import { userCallForwardingBusy } from './user-call-forwarding-busy.js';
import { userCallForwardingNoAnswer } from './user-call-forwarding-no-answer.js';
import { userCallForwardingNotReachable } from './user-call-forwarding-not-reachable.js';
import { userCallProcessingPolicy } from './user-call-processing-policy.js';
import { userCallRecording } from './user-call-recording.js';
import { userDoNotDisturb } from './user-do-not-disturb.js';
import { userServices } from './user-services.js';
import { userVoiceMessaging } from './user-voice-messaging.js';

/** Every operation odin-bulk can run. Adding one is a new definition file plus a line here (and its tests). */
export const OPERATIONS: readonly OperationDef[] = [
  userCallProcessingPolicy,
  groupCallProcessingPolicy,
  userDoNotDisturb,
  userCallForwardingAlways,
  userCallForwardingBusy,
  userCallForwardingNoAnswer,
  userCallForwardingNotReachable,
  userCallRecording,
  userVoiceMessaging,
  userServices,
];

/** The operations that set values (read with their own GET): all but the service assignment. */
export const SETTINGS_OPERATIONS: readonly OperationDef[] = OPERATIONS.filter((op) => !op.assignment);

export const DEFAULT_OPERATION = userCallProcessingPolicy.name;

export function findOperation(name: string): OperationDef | undefined {
  return OPERATIONS.find((op) => op.name === name);
}
