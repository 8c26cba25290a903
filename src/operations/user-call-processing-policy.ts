import type { FieldSpec, OperationDef } from './types.js';

// Types, ranges, enums and gates: ../shared/odin-api.md §5 (OCI-P UserCallProcessingModifyPolicyRequest14sp7/24).
const CLID_POLICIES = ['Use DN', 'Use Configurable CLID', 'Use Group CLID'] as const;
const MEDIA_POLICIES = ['Use Uncompressed Codec', 'Use Supported Media Set', 'No Restrictions'] as const;

const CLID = ['useUserCLIDSetting'];
const MEDIA = ['useUserMediaSetting'];
const LIMITS = ['useUserCallLimitsSetting'];

const bool = (gates?: string[]): FieldSpec => ({ kind: 'boolean', ...(gates ? { gates } : {}) });
const int = (min: number, max: number, gates: string[]): FieldSpec => ({ kind: 'integer', min, max, gates });

export const userCallProcessingPolicy: OperationDef = {
  name: 'user-call-processing-policy',
  description: "A user's call processing policy: caller ID, media and call limits (PUT /users/call-processing-policy).",
  path: '/users/call-processing-policy',
  keyFields: ['userId'],
  fields: {
    useUserCLIDSetting: bool(),
    useUserMediaSetting: bool(),
    useUserCallLimitsSetting: bool(),
    useUserDCLIDSetting: bool(),
    useUserPhoneListLookupSetting: bool(),
    useUserTranslationRoutingSetting: bool(),

    clidPolicy: { kind: 'enum', values: CLID_POLICIES, gates: CLID },
    emergencyClidPolicy: { kind: 'enum', values: CLID_POLICIES, gates: CLID },
    allowAlternateNumbersForRedirectingIdentity: bool(CLID),
    useGroupName: bool(CLID),
    blockCallingNameForExternalCalls: bool(CLID),
    allowConfigurableCLIDForRedirectingIdentity: bool(CLID),
    allowDepartmentCLIDNameOverride: bool(CLID),
    allowMobileDNForRedirectingIdentity: bool(CLID),
    allowUserSelectionOfExternalCLIDPolicy: bool(CLID),
    allowUserConfigurableCLIDModification: bool(CLID),

    mediaPolicySelection: { kind: 'enum', values: MEDIA_POLICIES, gates: MEDIA },
    supportedMediaSetName: { kind: 'string', minLength: 1, maxLength: 80, nullable: true, gates: MEDIA },

    useMaxSimultaneousCalls: bool(LIMITS),
    maxSimultaneousCalls: int(1, 999999, [...LIMITS, 'useMaxSimultaneousCalls']),
    useMaxSimultaneousVideoCalls: bool(LIMITS),
    maxSimultaneousVideoCalls: int(1, 999999, [...LIMITS, 'useMaxSimultaneousVideoCalls']),
    useMaxCallTimeForAnsweredCalls: bool(LIMITS),
    maxCallTimeForAnsweredCallsMinutes: int(3, 2880, [...LIMITS, 'useMaxCallTimeForAnsweredCalls']),
    useMaxCallTimeForUnansweredCalls: bool(LIMITS),
    maxCallTimeForUnansweredCallsMinutes: int(1, 2880, [...LIMITS, 'useMaxCallTimeForUnansweredCalls']),
    useMaxConcurrentRedirectedCalls: bool(LIMITS),
    maxConcurrentRedirectedCalls: int(1, 999999, [...LIMITS, 'useMaxConcurrentRedirectedCalls']),
    useMaxFindMeFollowMeDepth: bool(LIMITS),
    maxFindMeFollowMeDepth: int(1, 100, [...LIMITS, 'useMaxFindMeFollowMeDepth']),
    maxRedirectionDepth: int(1, 100, LIMITS),
    useMaxConcurrentFindMeFollowMeInvocations: bool(LIMITS),
    maxConcurrentFindMeFollowMeInvocations: int(1, 999999, [...LIMITS, 'useMaxConcurrentFindMeFollowMeInvocations']),
    useMaxConcurrentTerminatingAlertingRequests: bool(LIMITS),
    maxConcurrentTerminatingAlertingRequests: int(1, 50, [...LIMITS, 'useMaxConcurrentTerminatingAlertingRequests']),
    includeRedirectionsInMaximumNumberOfConcurrentCalls: bool(LIMITS),

    enableDialableCallerID: bool(['useUserDCLIDSetting']),
    enablePhoneListLookup: bool(['useUserPhoneListLookupSetting']),
    routeOverrideDomain: { kind: 'string', minLength: 1, maxLength: 80, nullable: true, gates: ['useUserTranslationRoutingSetting'] },
    routeOverridePrefix: { kind: 'string', minLength: 1, maxLength: 10, nullable: true, gates: ['useUserTranslationRoutingSetting'] },
  },
  // The values odins_spear's documentation shows Odin returning (put-user-call-processing-policy.md).
  example: {
    useUserCLIDSetting: false,
    useUserMediaSetting: false,
    useUserCallLimitsSetting: false,
    useUserDCLIDSetting: false,
    useUserPhoneListLookupSetting: false,
    useUserTranslationRoutingSetting: false,
    clidPolicy: 'Use DN',
    emergencyClidPolicy: 'Use DN',
    allowAlternateNumbersForRedirectingIdentity: true,
    useGroupName: false,
    blockCallingNameForExternalCalls: false,
    allowConfigurableCLIDForRedirectingIdentity: false,
    allowDepartmentCLIDNameOverride: false,
    allowMobileDNForRedirectingIdentity: false,
    allowUserSelectionOfExternalCLIDPolicy: false,
    allowUserConfigurableCLIDModification: false,
    mediaPolicySelection: 'No Restrictions',
    supportedMediaSetName: null,
    useMaxSimultaneousCalls: false,
    maxSimultaneousCalls: 5,
    useMaxSimultaneousVideoCalls: false,
    maxSimultaneousVideoCalls: 5,
    useMaxCallTimeForAnsweredCalls: false,
    maxCallTimeForAnsweredCallsMinutes: 1440,
    useMaxCallTimeForUnansweredCalls: false,
    maxCallTimeForUnansweredCallsMinutes: 2,
    useMaxConcurrentRedirectedCalls: false,
    maxConcurrentRedirectedCalls: 5,
    useMaxFindMeFollowMeDepth: false,
    maxFindMeFollowMeDepth: 5,
    maxRedirectionDepth: 10,
    useMaxConcurrentFindMeFollowMeInvocations: false,
    maxConcurrentFindMeFollowMeInvocations: 5,
    useMaxConcurrentTerminatingAlertingRequests: false,
    maxConcurrentTerminatingAlertingRequests: 10,
    includeRedirectionsInMaximumNumberOfConcurrentCalls: false,
    enableDialableCallerID: false,
    enablePhoneListLookup: false,
    routeOverrideDomain: null,
    routeOverridePrefix: null,
  },
};
