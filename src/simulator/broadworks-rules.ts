/**
 * The simulator's own table of the BroadWorks rules it enforces: for each endpoint it serves, every field with its
 * type, range, enum, length, whether it may be cleared, the release that added it, and the value a new target
 * starts from. Written from the OCI-P schema (the generated models of cwmiller/broadworks-connector-net,
 * BroadworksConnector/Ocip/Models/, named per endpoint below), NOT from the tool's operation tables
 * (src/operations/): two tables that must agree, so a wrong rule in one shows up as a failing test
 * (test/integration/contract/rules-agree.test.ts). Nothing in src/simulator/ imports src/operations/.
 */

/** A value in the simulator's state and on the wire. */
export type SimValue = string | number | boolean | null;
export type SimFields = Record<string, SimValue>;

/**
 * `dn`: OutgoingDN (a phone number or extension, no SIP URI); `dn-or-uri`: OutgoingDNorSIPURI; `email`:
 * EmailAddress. BroadWorks checks numbers and addresses server-side; the simulator refuses white space and
 * control characters in all three, and an address without `name@domain`.
 */
export type TextKind = 'dn' | 'dn-or-uri' | 'email';

export type SimRule =
  | { type: 'bool' }
  /** `not`: values inside min–max the schema does not list (CallForwardingNoAnswerNumberOfRings has no 1). */
  | { type: 'int'; min: number; max: number; not?: readonly number[] }
  | { type: 'enum'; values: readonly string[] }
  /** `nullable`: the element is nillable in the modify request ("Eraseable"): JSON null clears it. */
  | { type: 'text'; min: number; max: number; nullable?: boolean; kind?: TextKind };

export type SimField = SimRule & {
  /** The BroadWorks release (major) that added the field; a server of an older release neither returns nor takes it. */
  since?: number;
  /** The value a new target starts from (before the seed varies it). */
  initial: SimValue;
};

export type SimEndpoint = {
  /** The handle of `sim.getFields(name, key)`: the endpoint's path as `user-…` / `group-…`. */
  name: string;
  /** Below `/api/v2`: GET with the key in the query, PUT with the key in the body. */
  path: string;
  scope: 'user' | 'group';
  /** The BroadWorks service a user must have for the endpoint to answer; undefined = every user has it. */
  service?: string;
  /**
   * Odin also reads it for a whole group: `GET <path>/bulk?serviceProviderId=&groupId=` (odin-api.md §8: the four
   * call forwardings, call recording and voice messaging; none for DND or the call processing policy).
   */
  bulk?: true;
  fields: Readonly<Record<string, SimField>>;
};

/** The newest release the table knows; the default of `release`. */
export const LATEST_RELEASE = 25;
/**
 * The oldest release `release` may name: R22, the oldest the table was checked against
 * (UserCallProcessingGetPolicyResponse22V2); what came before is not modelled.
 */
export const OLDEST_RELEASE = 22;

const bool = (initial: boolean, since?: number): SimField => ({ type: 'bool', initial, ...(since ? { since } : {}) });
const int = (min: number, max: number, initial: number): SimField => ({ type: 'int', min, max, initial });
const oneOf = (values: readonly string[], initial: string): SimField => ({ type: 'enum', values, initial });
const text = (min: number, max: number, kind?: TextKind): SimField => ({ type: 'text', min, max, nullable: true, initial: null, ...(kind ? { kind } : {}) });

// OCI-P simple types, as the models spell them.
const GROUP_CLID_POLICY = ['Use DN', 'Use Configurable CLID', 'Use Group CLID'];
const MEDIA_POLICY_SELECTION = ['Use Uncompressed Codec', 'Use Supported Media Set', 'No Restrictions'];
const ENTERPRISE_INTERNAL_CALLS_CLID_POLICY = ['Use Extension', 'Use Location Code plus Extension', 'Use External Calls Policy'];
const RECORDING_OPTION_20 = ['Always', 'Never', 'On Demand', 'Always with Pause/Resume', 'On Demand with User Initiated Start'];
const RECORDING_PAUSE_RESUME_NOTIFICATION = ['None', 'Beep', 'Play Announcement'];
const VOICE_MESSAGING_MESSAGE_PROCESSING = ['Unified Voice and Email Messaging', 'Deliver To Email Address Only'];

/** The call limits of UserCallProcessingModifyPolicyRequest14sp7 and GroupCallProcessingModifyPolicyRequest15sp2. */
const CALL_LIMITS: Record<string, SimField> = {
  useMaxSimultaneousCalls: bool(false),
  maxSimultaneousCalls: int(1, 999999, 5),
  useMaxSimultaneousVideoCalls: bool(false),
  maxSimultaneousVideoCalls: int(1, 999999, 5),
  useMaxCallTimeForAnsweredCalls: bool(false),
  maxCallTimeForAnsweredCallsMinutes: int(3, 2880, 1440),
  useMaxCallTimeForUnansweredCalls: bool(false),
  maxCallTimeForUnansweredCallsMinutes: int(1, 2880, 2),
  useMaxConcurrentRedirectedCalls: bool(false),
  maxConcurrentRedirectedCalls: int(1, 999999, 5),
  useMaxFindMeFollowMeDepth: bool(false),
  maxFindMeFollowMeDepth: int(1, 100, 5),
  maxRedirectionDepth: int(1, 100, 10),
  useMaxConcurrentFindMeFollowMeInvocations: bool(false),
  maxConcurrentFindMeFollowMeInvocations: int(1, 999999, 5),
  useMaxConcurrentTerminatingAlertingRequests: bool(false),
  maxConcurrentTerminatingAlertingRequests: int(1, 50, 10),
  includeRedirectionsInMaximumNumberOfConcurrentCalls: bool(false),
};

/** Call forwarding: isActive, forwardToPhoneNumber (OutgoingDNorSIPURI, nillable). */
const forwarding = (extra: Record<string, SimField> = {}): Record<string, SimField> => ({
  isActive: bool(false),
  forwardToPhoneNumber: text(1, 161, 'dn-or-uri'),
  ...extra,
});

export const BROADWORKS_ENDPOINTS: readonly SimEndpoint[] = [
  {
    // UserCallProcessingModifyPolicyRequest14sp7; the two R24 fields only in …Request24 (absent from
    // UserCallProcessingGetPolicyResponse22V2).
    name: 'user-call-processing-policy',
    path: '/users/call-processing-policy',
    scope: 'user',
    fields: {
      useUserCLIDSetting: bool(false),
      useUserMediaSetting: bool(false),
      useUserCallLimitsSetting: bool(false),
      useUserDCLIDSetting: bool(false),
      useUserPhoneListLookupSetting: bool(false),
      useUserTranslationRoutingSetting: bool(false),
      clidPolicy: oneOf(GROUP_CLID_POLICY, 'Use DN'),
      emergencyClidPolicy: oneOf(GROUP_CLID_POLICY, 'Use DN'),
      allowAlternateNumbersForRedirectingIdentity: bool(true),
      useGroupName: bool(false),
      blockCallingNameForExternalCalls: bool(false),
      allowConfigurableCLIDForRedirectingIdentity: bool(false),
      allowDepartmentCLIDNameOverride: bool(false),
      allowMobileDNForRedirectingIdentity: bool(false),
      allowUserSelectionOfExternalCLIDPolicy: bool(false, 24),
      allowUserConfigurableCLIDModification: bool(false, 24),
      mediaPolicySelection: oneOf(MEDIA_POLICY_SELECTION, 'No Restrictions'),
      supportedMediaSetName: text(1, 80),
      ...CALL_LIMITS,
      enableDialableCallerID: bool(false),
      enablePhoneListLookup: bool(false),
      routeOverrideDomain: text(1, 80),
      routeOverridePrefix: text(1, 10),
    },
  },
  {
    // GroupCallProcessingModifyPolicyRequest15sp2: the fields the Odin web UI's group policy screen edits.
    name: 'group-call-processing-policy',
    path: '/groups/call-processing-policy',
    scope: 'group',
    fields: {
      useGroupCLIDSetting: bool(false),
      useGroupCallLimitsSetting: bool(false),
      clidPolicy: oneOf(GROUP_CLID_POLICY, 'Use DN'),
      emergencyClidPolicy: oneOf(GROUP_CLID_POLICY, 'Use DN'),
      enterpriseCallsCLIDPolicy: oneOf(ENTERPRISE_INTERNAL_CALLS_CLID_POLICY, 'Use Extension'),
      groupCallsCLIDPolicy: oneOf(ENTERPRISE_INTERNAL_CALLS_CLID_POLICY, 'Use Extension'),
      useGroupName: bool(false),
      allowDepartmentCLIDNameOverride: bool(false),
      allowAlternateNumbersForRedirectingIdentity: bool(true),
      allowConfigurableCLIDForRedirectingIdentity: bool(false),
      blockCallingNameForExternalCalls: bool(false),
      ...CALL_LIMITS,
    },
  },
  {
    // UserDoNotDisturbModifyRequest.
    name: 'user-do-not-disturb',
    path: '/users/do-not-disturb',
    scope: 'user',
    service: 'Do Not Disturb',
    fields: { isActive: bool(false), ringSplash: bool(false) },
  },
  {
    // UserCallForwardingAlwaysModifyRequest.
    name: 'user-call-forwarding-always',
    path: '/users/call-forwarding-always',
    scope: 'user',
    service: 'Call Forwarding Always',
    bulk: true,
    fields: forwarding({ isRingSplashActive: bool(false) }),
  },
  {
    // UserCallForwardingBusyModifyRequest.
    name: 'user-call-forwarding-busy',
    path: '/users/call-forwarding-busy',
    scope: 'user',
    service: 'Call Forwarding Busy',
    bulk: true,
    fields: forwarding(),
  },
  {
    // UserCallForwardingNoAnswerModifyRequest; numberOfRings is CallForwardingNoAnswerNumberOfRings: 0, 2–20.
    name: 'user-call-forwarding-no-answer',
    path: '/users/call-forwarding-no-answer',
    scope: 'user',
    service: 'Call Forwarding No Answer',
    bulk: true,
    fields: forwarding({ numberOfRings: { type: 'int', min: 0, max: 20, not: [1], initial: 3 } }),
  },
  {
    // UserCallForwardingNotReachableModifyRequest.
    name: 'user-call-forwarding-not-reachable',
    path: '/users/call-forwarding-not-reachable',
    scope: 'user',
    service: 'Call Forwarding Not Reachable',
    bulk: true,
    fields: forwarding(),
  },
  {
    // UserCallRecordingModifyRequest: RecordingOption20, RecordingPauseResumeNotificationType, 10–1800 seconds.
    name: 'user-call-recording',
    path: '/users/call-recording',
    scope: 'user',
    service: 'Call Recording',
    bulk: true,
    fields: {
      recordingOption: oneOf(RECORDING_OPTION_20, 'Never'),
      pauseResumeNotification: oneOf(RECORDING_PAUSE_RESUME_NOTIFICATION, 'None'),
      enableCallRecordingAnnouncement: bool(false),
      enableRecordCallRepeatWarningTone: bool(false),
      recordCallRepeatWarningToneTimerSeconds: int(10, 1800, 15),
      enableVoiceMailRecording: bool(false),
    },
  },
  {
    // UserVoiceMessagingUserModifyVoiceManagementRequest: e-mail addresses are EmailAddress (1–80, nillable),
    // transferPhoneNumber is OutgoingDN (1–30, nillable).
    name: 'user-voice-messaging',
    path: '/users/voice-messaging',
    scope: 'user',
    service: 'Voice Messaging User',
    bulk: true,
    fields: {
      isActive: bool(false),
      processing: oneOf(VOICE_MESSAGING_MESSAGE_PROCESSING, 'Unified Voice and Email Messaging'),
      voiceMessageDeliveryEmailAddress: text(1, 80, 'email'),
      usePhoneMessageWaitingIndicator: bool(true),
      sendVoiceMessageNotifyEmail: bool(false),
      voiceMessageNotifyEmailAddress: text(1, 80, 'email'),
      sendCarbonCopyVoiceMessage: bool(false),
      voiceMessageCarbonCopyEmailAddress: text(1, 80, 'email'),
      transferOnZeroToPhoneNumber: bool(false),
      transferPhoneNumber: text(1, 30, 'dn'),
      alwaysRedirectToVoiceMail: bool(false),
      busyRedirectToVoiceMail: bool(true),
      noAnswerRedirectToVoiceMail: bool(true),
      outOfPrimaryZoneRedirectToVoiceMail: bool(false),
    },
  },
];

/** The features `unassigned` can name: the last part of a user endpoint's path that belongs to a service. */
export function serviceFeature(endpoint: SimEndpoint): string | undefined {
  return endpoint.service && endpoint.scope === 'user' ? endpoint.path.split('/').at(-1) : undefined;
}
