import { bool, CALL_LIMIT_EXAMPLE, callLimitFields, CLID_POLICIES, oneOf } from './field-specs.js';
import type { OperationDef } from './types.js';

// Fields: ../shared/odin-api.md §2 (web group-call-processing-policy screen); gates and ranges from OCI-P
// GroupCallProcessingModifyPolicyRequest15sp2: useGroupCLIDSetting controls the CLID fields (enterpriseCallsCLIDPolicy
// and groupCallsCLIDPolicy included), useGroupCallLimitsSetting the call limits, with the user level's ranges.
// Both internal-call policies are EnterpriseInternalCallsCLIDPolicy in the schema.
const CLID = ['useGroupCLIDSetting'];
const INTERNAL_CLID_POLICIES = ['Use Extension', 'Use Location Code plus Extension', 'Use External Calls Policy'] as const;

export const groupCallProcessingPolicy: OperationDef = {
  name: 'group-call-processing-policy',
  description: "A group's call processing policy: caller ID and call limits (PUT /groups/call-processing-policy).",
  path: '/groups/call-processing-policy',
  keyFields: ['serviceProviderId', 'groupId'],
  schema: 'GroupCallProcessingModifyPolicyRequest15sp2 (EnterpriseInternalCallsCLIDPolicy, GroupCLIDPolicy)',
  fields: {
    useGroupCLIDSetting: bool(),
    useGroupCallLimitsSetting: bool(),

    clidPolicy: oneOf(CLID_POLICIES, CLID),
    emergencyClidPolicy: oneOf(CLID_POLICIES, CLID),
    enterpriseCallsCLIDPolicy: oneOf(INTERNAL_CLID_POLICIES, CLID),
    groupCallsCLIDPolicy: oneOf(INTERNAL_CLID_POLICIES, CLID),
    useGroupName: bool(CLID),
    // OCI-P: "allowDepartmentCLIDNameOverride is automatically set to false when useGroupName is set to false".
    allowDepartmentCLIDNameOverride: bool([...CLID, 'useGroupName']),
    allowAlternateNumbersForRedirectingIdentity: bool(CLID),
    allowConfigurableCLIDForRedirectingIdentity: bool(CLID),
    blockCallingNameForExternalCalls: bool(CLID),

    ...callLimitFields('useGroupCallLimitsSetting'),
  },
  example: {
    useGroupCLIDSetting: false,
    useGroupCallLimitsSetting: false,
    clidPolicy: 'Use DN',
    emergencyClidPolicy: 'Use DN',
    enterpriseCallsCLIDPolicy: 'Use Extension',
    groupCallsCLIDPolicy: 'Use Extension',
    useGroupName: false,
    allowDepartmentCLIDNameOverride: false,
    allowAlternateNumbersForRedirectingIdentity: true,
    allowConfigurableCLIDForRedirectingIdentity: false,
    blockCallingNameForExternalCalls: false,
    ...CALL_LIMIT_EXAMPLE,
  },
};
