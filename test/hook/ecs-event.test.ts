import { expect } from 'chai';
import { isEcsPayload, PROGRESS_KEY, parseEcsPayload } from '../../hook/ecs-event';
import { IDS } from '../../scripts/bench/hook/aws';
import {
  CANARY_SERVICE_ARN,
  ecsPayload,
  SERVICE_DEPLOYMENT_ARN,
  TARGET_REVISION_ARN,
} from '../../scripts/bench/hook/ecs-aws';

describe('hook ECS payload (hook/ecs-event.ts)', () => {
  it('tells an ECS payload from a CodeDeploy event by its own keys', () => {
    expect(isEcsPayload(ecsPayload())).to.equal(true);
    expect(isEcsPayload({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' })).to.equal(true);
    expect(isEcsPayload(IDS)).to.equal(false);
    expect(isEcsPayload(null)).to.equal(false);
    expect(isEcsPayload(['executionDetails'])).to.equal(false);
  });

  it('reads the payload as the AWS samples see it, with no progress on a first invocation', () => {
    expect(parseEcsPayload(ecsPayload())).to.deep.equal({
      invocation: {
        serviceArn: CANARY_SERVICE_ARN,
        targetServiceRevisionArn: TARGET_REVISION_ARN,
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        executionId: 'a7a3b4c5-6d7e-4f80-9a1b-2c3d4e5f6a7b',
        serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
        hookDetails: {},
        progress: { passedRounds: 0, probedMs: 0, invocations: 0 },
      },
    });
  });

  it("also reads the common fields at the top level, as AWS's payload page lists them", () => {
    const parsed = parseEcsPayload({
      serviceArn: CANARY_SERVICE_ARN,
      targetServiceRevisionArn: TARGET_REVISION_ARN,
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    });
    expect(parsed).to.have.nested.property('invocation.targetServiceRevisionArn', TARGET_REVISION_ARN);
  });

  it('takes hookDetails as an object or as its JSON text, and reads the progress in it', () => {
    const progress = { passedRounds: 4, probedMs: 31_000, invocations: 1 };
    const details = { [PROGRESS_KEY]: progress, note: 'kept' };
    for (const hookDetails of [details, JSON.stringify(details)]) {
      const parsed = parseEcsPayload(ecsPayload({ hookDetails }));
      expect(parsed).to.have.deep.nested.property('invocation.progress', progress);
      expect(parsed).to.have.deep.nested.property('invocation.hookDetails', details);
    }
    expect(parseEcsPayload(ecsPayload({ hookDetails: '[1]' }))).to.deep.equal({
      problems: ['hookDetails must be a JSON object'],
    });
  });

  it('names the field and what is allowed for a revision ARN of another kind', () => {
    const payload = ecsPayload();
    payload.executionDetails.targetServiceRevisionArn = SERVICE_DEPLOYMENT_ARN;
    expect(parseEcsPayload(payload)).to.deep.equal({
      problems: [
        `executionDetails.targetServiceRevisionArn=${JSON.stringify(SERVICE_DEPLOYMENT_ARN)}: must be an ECS service ` +
          'revision ARN (arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<id>)',
      ],
    });
  });
});
