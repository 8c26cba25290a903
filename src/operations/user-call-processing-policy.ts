import { bool, CALL_LIMIT_EXAMPLE, callLimitFields, CLID_POLICIES, MEDIA_POLICIES, oneOf } from './field-specs.js';
import type { OperationDef } from './types.js';

// Types, ranges, enums and gates: ../shared/odin-api.md §5 (OCI-P UserCallProcessingModifyPolicyRequest14sp7/24).
// UserCallProcessingGetPolicyResponse22V2 (R22) returns every field below but the two marked R24.
const CLID = ['useUserCLIDSetting'];
const MEDIA = ['useUserMediaSetting'];

export const userCallProcessingPolicy: OperationDef = {
  name: 'user-call-processing-policy',
  description: "A user's call processing policy: caller ID, media and call limits (PUT /users/call-processing-policy).",
  path: '/users/call-processing-policy',
  keyFields: ['userId'],
  schema: 'UserCallProcessingModifyPolicyRequest14sp7 / …Request24; UserCallProcessingGetPolicyResponse22V2',
  fields: {
    useUserCLIDSetting: bool(),
    useUserMediaSetting: bool(),
    useUserCallLimitsSetting: bool(),
    useUserDCLIDSetting: bool(),
    useUserPhoneListLookupSetting: bool(),
    useUserTranslationRoutingSetting: bool(),

    clidPolicy: oneOf(CLID_POLICIES, CLID),
    emergencyClidPolicy: oneOf(CLID_POLICIES, CLID),
    allowAlternateNumbersForRedirectingIdentity: bool(CLID),
    useGroupName: bool(CLID),
    blockCallingNameForExternalCalls: bool(CLID),
    allowConfigurableCLIDForRedirectingIdentity: bool(CLID),
    allowDepartmentCLIDNameOverride: bool(CLID),
    allowMobileDNForRedirectingIdentity: bool(CLID),
    // Only in UserCallProcessingModifyPolicyRequest24: absent from an R22/R23 server's answers.
    allowUserSelectionOfExternalCLIDPolicy: { ...bool(CLID), release: 'R24' },
    allowUserConfigurableCLIDModification: { ...bool(CLID), release: 'R24' },

    mediaPolicySelection: oneOf(MEDIA_POLICIES, MEDIA),
    supportedMediaSetName: { kind: 'string', minLength: 1, maxLength: 80, nullable: true, gates: MEDIA },

    ...callLimitFields('useUserCallLimitsSetting'),

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
    ...CALL_LIMIT_EXAMPLE,
    enableDialableCallerID: false,
    enablePhoneListLookup: false,
    routeOverrideDomain: null,
    routeOverridePrefix: null,
  },
};
