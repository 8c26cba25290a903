import { findOperation } from '../../../src/operations/registry.js';
import type { Fields, OperationDef } from '../../../src/operations/types.js';

export type OpCase = {
  op: OperationDef;
  key: Record<string, string>;
  /** Values that differ from the op's example; written through a CSV manifest exactly as given here. */
  set: Fields;
  /** A value the API refuses, and the start of the reason. */
  bad: { field: string; value: unknown; reason: RegExp };
};

const op = (name: string) => {
  const found = findOperation(name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
};

const U = (n: number) => ({ userId: `user${String(n).padStart(5, '0')}@sim.odin.test` });

/** One case per shipped operation: a realistic change, and a value the API refuses. */
export const CASES: OpCase[] = [
  {
    op: op('user-call-processing-policy'),
    key: U(3),
    set: { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID', useUserCallLimitsSetting: true, useMaxSimultaneousCalls: true, maxSimultaneousCalls: 7 },
    bad: { field: 'maxFindMeFollowMeDepth', value: 101, reason: /101 is out of range/ },
  },
  {
    op: op('group-call-processing-policy'),
    key: { serviceProviderId: 'sim-sp', groupId: 'grp-02' },
    set: {
      useGroupCLIDSetting: true,
      groupCallsCLIDPolicy: 'Use Location Code plus Extension',
      enterpriseCallsCLIDPolicy: 'Use External Calls Policy',
      useGroupName: true,
      allowDepartmentCLIDNameOverride: true,
      useGroupCallLimitsSetting: true,
      useMaxSimultaneousCalls: true,
      maxSimultaneousCalls: 40,
    },
    bad: { field: 'groupCallsCLIDPolicy', value: 'use extension', reason: /did you mean 'Use Extension'/ },
  },
  {
    op: op('user-do-not-disturb'),
    key: U(4),
    set: { isActive: true, ringSplash: true },
    bad: { field: 'ringSplash', value: 'yes', reason: /expected true or false/ },
  },
  {
    op: op('user-call-forwarding-always'),
    key: U(5),
    set: { isActive: true, forwardToPhoneNumber: '+15551230001', isRingSplashActive: true },
    bad: { field: 'forwardToPhoneNumber', value: '555 123 4567', reason: /phone number, extension or SIP URI without spaces/ },
  },
  {
    op: op('user-call-forwarding-busy'),
    key: U(6),
    set: { isActive: true, forwardToPhoneNumber: '2001' },
    bad: { field: 'forwardToPhoneNumber', value: '9'.repeat(162), reason: /expected 1 to 161 characters, got 162/ },
  },
  {
    op: op('user-call-forwarding-no-answer'),
    key: U(7),
    set: { isActive: true, forwardToPhoneNumber: 'sip:voicemail@example.test', numberOfRings: 5 },
    // BroadWorks takes 0 or 2–20 rings (OCI-P CallForwardingNoAnswerNumberOfRings): 1 is refused.
    bad: { field: 'numberOfRings', value: 1, reason: /1 is not allowed: expected 0 or 2 to 20/ },
  },
  {
    op: op('user-call-forwarding-not-reachable'),
    key: U(8),
    set: { isActive: true, forwardToPhoneNumber: '-5551230004' },
    // Full-width digits, as pasted from some documents: not a number BroadWorks dials.
    bad: { field: 'forwardToPhoneNumber', value: '+1555\uFF10\uFF11\uFF12', reason: /phone number, extension or SIP URI/ },
  },
  {
    op: op('user-call-recording'),
    key: U(9),
    set: {
      recordingOption: 'Always with Pause/Resume',
      pauseResumeNotification: 'Play Announcement',
      enableRecordCallRepeatWarningTone: true,
      recordCallRepeatWarningToneTimerSeconds: 1800,
    },
    bad: { field: 'recordCallRepeatWarningToneTimerSeconds', value: 9, reason: /9 is out of range: expected 10 to 1800/ },
  },
  {
    op: op('user-voice-messaging'),
    key: U(10),
    set: {
      isActive: true,
      processing: 'Deliver To Email Address Only',
      voiceMessageDeliveryEmailAddress: 'a.user@example.test',
      sendVoiceMessageNotifyEmail: true,
      voiceMessageNotifyEmailAddress: 'notify@example.test',
      transferOnZeroToPhoneNumber: true,
      transferPhoneNumber: '+15551230009',
    },
    bad: { field: 'voiceMessageNotifyEmailAddress', value: 'not-an-address', reason: /an email address/ },
  },
];
