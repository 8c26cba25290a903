import { bool, int, oneOf } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 14: PUT /users/call-recording. OCI-P UserCallRecordingModifyRequest: recordingOption is
// RecordingOption20 (the two "Pause/Resume" and "User Initiated Start" options came with R20; RecordingOption had
// the first three), recordCallRepeatWarningToneTimerSeconds 10–1800.
const RECORDING_OPTIONS = ['Always', 'Never', 'On Demand', 'Always with Pause/Resume', 'On Demand with User Initiated Start'] as const;
const PAUSE_RESUME_NOTIFICATIONS = ['None', 'Beep', 'Play Announcement'] as const;

export const userCallRecording: OperationDef = {
  name: 'user-call-recording',
  description: "A user's Call Recording: when calls are recorded, announcements and warning tones (PUT /users/call-recording).",
  path: '/users/call-recording',
  bulkRead: '/users/call-recording/bulk',
  keyFields: ['userId'],
  service: 'Call Recording',
  schema: 'UserCallRecordingModifyRequest (RecordingOption20, RecordingPauseResumeNotificationType)',
  fields: {
    recordingOption: oneOf(RECORDING_OPTIONS),
    pauseResumeNotification: oneOf(PAUSE_RESUME_NOTIFICATIONS),
    enableCallRecordingAnnouncement: bool(),
    enableRecordCallRepeatWarningTone: bool(),
    recordCallRepeatWarningToneTimerSeconds: int(10, 1800, ['enableRecordCallRepeatWarningTone']),
    // OCI-P: only applicable when the Voice Messaging User service is assigned; not a flag here, so no gate.
    enableVoiceMailRecording: bool(),
  },
  example: {
    recordingOption: 'Never',
    pauseResumeNotification: 'None',
    enableCallRecordingAnnouncement: false,
    enableRecordCallRepeatWarningTone: false,
    recordCallRepeatWarningToneTimerSeconds: 15,
    enableVoiceMailRecording: false,
  },
};
