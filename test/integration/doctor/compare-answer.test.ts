import { describe, expect, it } from '@jest/globals';
import { compareAnswer } from '../../../src/doctor/compare-answer.js';
import { findOperation } from '../../../src/operations/registry.js';
import { odinSample } from '../../kit/index.js';

// What doctor would say of Odin's own documented answers (test/fixtures/odin-samples/): the facts odin-api.md §8
// states about them are the oracle.

const sample = async (file: string) => odinSample<Record<string, unknown>>(file);
const op = (name: string) => findOperation(name)!;

describe("doctor's reading of Odin's documented answers", () => {
  it('the policy sample: the two R24 fields not returned, with their release; media set and route overrides absent (unset)', async () => {
    const found = compareAnswer(op('user-call-processing-policy'), await sample('put-user-call-processing-policy.json'));
    expect(found).toEqual({
      notReturned: [
        { field: 'allowUserSelectionOfExternalCLIDPolicy', release: 'R24' },
        { field: 'allowUserConfigurableCLIDModification', release: 'R24' },
      ],
      absent: ['supportedMediaSetName', 'routeOverrideDomain', 'routeOverridePrefix'],
      unknownFields: [],
      holdsSettings: true,
    });
  });

  it("the busy and not-reachable samples' documentation slips show as fields odin-bulk does not know", async () => {
    expect(compareAnswer(op('user-call-forwarding-busy'), await sample('get-user-call-forwarding-busy.json')).unknownFields).toEqual(['isRingSplashActive']);
    expect(compareAnswer(op('user-call-forwarding-not-reachable'), await sample('get-user-call-forwarding-not-reachable.json')).unknownFields).toEqual(['numberOfRings']);
  });

  it('the DND and forwarding samples hold every field, and only the user key besides', async () => {
    for (const [name, file] of [
      ['user-do-not-disturb', 'get-user-do-not-disturb.json'],
      ['user-call-forwarding-always', 'get-user-call-forwarding-always.json'],
      ['user-call-forwarding-no-answer', 'get-user-call-forwarding-no-answer.json'],
    ] as const) {
      expect({ name, ...compareAnswer(op(name), await sample(file)) }).toEqual({ name, notReturned: [], absent: [], unknownFields: [], holdsSettings: true });
    }
  });

  it('an answer with none of the fields is not the settings; a group answer keeps its key fields out of the unknown ones', () => {
    expect(compareAnswer(op('user-do-not-disturb'), { userId: 'a@x', status: 'ok' })).toMatchObject({ holdsSettings: false, unknownFields: ['status'] });
    const group = compareAnswer(op('group-call-processing-policy'), { serviceProviderId: 'sp', groupId: 'g', useGroupCLIDSetting: true });
    expect(group.unknownFields).toEqual([]);
    expect(group.notReturned.map((n) => n.field)).toContain('useGroupCallLimitsSetting');
  });
});
