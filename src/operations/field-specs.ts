import type { FieldSpec, Fields, TextFormat } from './types.js';

// Building blocks shared by the operation definitions. Types, ranges and enums: the OCI-P schema (generated models
// in cwmiller/broadworks-connector-net, BroadworksConnector/Ocip/Models/), as listed in docs/odin-compatibility.md.

export const bool = (gates?: readonly string[]): FieldSpec => ({ kind: 'boolean', ...(gates ? { gates } : {}) });
export const int = (min: number, max: number, gates?: readonly string[], exclude?: readonly number[]): FieldSpec => ({
  kind: 'integer',
  min,
  max,
  ...(exclude ? { exclude } : {}),
  ...(gates ? { gates } : {}),
});
export const oneOf = (values: readonly string[], gates?: readonly string[]): FieldSpec => ({
  kind: 'enum',
  values,
  ...(gates ? { gates } : {}),
});

/** Text that JSON null clears, 1 to `maxLength` characters, of a shape `format` checks. */
const clearableText = (maxLength: number, format: TextFormat) => (gates?: readonly string[]): FieldSpec => ({
  kind: 'string',
  minLength: 1,
  maxLength,
  nullable: true,
  format,
  ...(gates ? { gates } : {}),
});

/** BroadWorks OutgoingDNorSIPURI: 1–161 characters; JSON null clears it. */
export const phoneNumber = clearableText(161, 'phone');

/** BroadWorks OutgoingDN: a phone number or extension (no SIP URI), 1–30 characters; JSON null clears it. */
export const outgoingDN = clearableText(30, 'dn');

/** BroadWorks EmailAddress: 1–80 characters; JSON null clears it. */
export const emailAddress = clearableText(80, 'email');

/** OCI-P GroupCLIDPolicy. */
export const CLID_POLICIES = ['Use DN', 'Use Configurable CLID', 'Use Group CLID'] as const;

/** OCI-P MediaPolicySelection. */
export const MEDIA_POLICIES = ['Use Uncompressed Codec', 'Use Supported Media Set', 'No Restrictions'] as const;

/**
 * The call-limit fields, identical at user and group level; only the outer gate differs
 * (`useUserCallLimitsSetting` or `useGroupCallLimitsSetting`). Each limit also needs its own `useMax…` switch.
 */
export function callLimitFields(gate: string): Record<string, FieldSpec> {
  const limits = [gate];
  const limit = (min: number, max: number, useFlag: string) => int(min, max, [...limits, useFlag]);
  return {
    useMaxSimultaneousCalls: bool(limits),
    maxSimultaneousCalls: limit(1, 999999, 'useMaxSimultaneousCalls'),
    useMaxSimultaneousVideoCalls: bool(limits),
    maxSimultaneousVideoCalls: limit(1, 999999, 'useMaxSimultaneousVideoCalls'),
    useMaxCallTimeForAnsweredCalls: bool(limits),
    maxCallTimeForAnsweredCallsMinutes: limit(3, 2880, 'useMaxCallTimeForAnsweredCalls'),
    useMaxCallTimeForUnansweredCalls: bool(limits),
    maxCallTimeForUnansweredCallsMinutes: limit(1, 2880, 'useMaxCallTimeForUnansweredCalls'),
    useMaxConcurrentRedirectedCalls: bool(limits),
    maxConcurrentRedirectedCalls: limit(1, 999999, 'useMaxConcurrentRedirectedCalls'),
    useMaxFindMeFollowMeDepth: bool(limits),
    maxFindMeFollowMeDepth: limit(1, 100, 'useMaxFindMeFollowMeDepth'),
    maxRedirectionDepth: int(1, 100, limits),
    useMaxConcurrentFindMeFollowMeInvocations: bool(limits),
    maxConcurrentFindMeFollowMeInvocations: limit(1, 999999, 'useMaxConcurrentFindMeFollowMeInvocations'),
    useMaxConcurrentTerminatingAlertingRequests: bool(limits),
    maxConcurrentTerminatingAlertingRequests: limit(1, 50, 'useMaxConcurrentTerminatingAlertingRequests'),
    includeRedirectionsInMaximumNumberOfConcurrentCalls: bool(limits),
  };
}

/** The call-limit values odins_spear's documentation shows Odin returning (put-user-call-processing-policy.md). */
export const CALL_LIMIT_EXAMPLE: Readonly<Fields> = {
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
};
