import { bool, emailAddress, oneOf, outgoingDN } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 12: the basic fields of PUT /users/voice-messaging. Nothing works while isActive is
// false; the web UI shows each address or number only when its own switch is on, hence the second gates.
const ACTIVE = ['isActive'];
const PROCESSING = ['Unified Voice and Email Messaging', 'Deliver To Email Address Only'] as const;

export const userVoiceMessaging: OperationDef = {
  name: 'user-voice-messaging',
  description: "A user's voice messaging: on/off, delivery and notification e-mail, transfer on 0, redirects (PUT /users/voice-messaging).",
  path: '/users/voice-messaging',
  bulkRead: '/users/voice-messaging/bulk',
  keyFields: ['userId'],
  service: 'Voice Messaging User',
  schema: 'UserVoiceMessagingUserModifyVoiceManagementRequest (VoiceMessagingMessageProcessing)',
  fields: {
    isActive: bool(),
    processing: oneOf(PROCESSING, ACTIVE),
    voiceMessageDeliveryEmailAddress: emailAddress(ACTIVE),
    usePhoneMessageWaitingIndicator: bool(ACTIVE),
    sendVoiceMessageNotifyEmail: bool(ACTIVE),
    voiceMessageNotifyEmailAddress: emailAddress([...ACTIVE, 'sendVoiceMessageNotifyEmail']),
    sendCarbonCopyVoiceMessage: bool(ACTIVE),
    voiceMessageCarbonCopyEmailAddress: emailAddress([...ACTIVE, 'sendCarbonCopyVoiceMessage']),
    transferOnZeroToPhoneNumber: bool(ACTIVE),
    // OCI-P: OutgoingDN, 1–30 characters (not OutgoingDNorSIPURI: no SIP URI, and 30 characters at most).
    transferPhoneNumber: outgoingDN([...ACTIVE, 'transferOnZeroToPhoneNumber']),
    alwaysRedirectToVoiceMail: bool(ACTIVE),
    busyRedirectToVoiceMail: bool(ACTIVE),
    noAnswerRedirectToVoiceMail: bool(ACTIVE),
    outOfPrimaryZoneRedirectToVoiceMail: bool(ACTIVE),
  },
  example: {
    isActive: false,
    processing: 'Unified Voice and Email Messaging',
    voiceMessageDeliveryEmailAddress: null,
    usePhoneMessageWaitingIndicator: true,
    sendVoiceMessageNotifyEmail: false,
    voiceMessageNotifyEmailAddress: null,
    sendCarbonCopyVoiceMessage: false,
    voiceMessageCarbonCopyEmailAddress: null,
    transferOnZeroToPhoneNumber: false,
    transferPhoneNumber: null,
    alwaysRedirectToVoiceMail: false,
    busyRedirectToVoiceMail: true,
    noAnswerRedirectToVoiceMail: true,
    outOfPrimaryZoneRedirectToVoiceMail: false,
  },
};
