import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  DEFAULT_CONFIG,
  GATE_WAIT_MARGIN_SECONDS,
  gateWaitSeconds,
  namesFor,
  REPO_ROOT,
  reuseBuildSeconds,
} from '../../config';
import { checkAwsCalls, checkCommands } from '../deploy/support/commands';

const DOC = 'docs/pipelines.md';
const text = readFileSync(join(REPO_ROOT, DOC), 'utf8');

describe('docs/pipelines.md', () => {
  it('names only scripts, flags, files and tools that exist', () => {
    expect(checkCommands(DOC, text).problems).to.deep.equal([]);
  });

  it('uses only AWS CLI operations and options that exist', function () {
    const { awsCalls } = checkCommands(DOC, text);
    expect(awsCalls.length).to.be.greaterThan(10);
    const problems = checkAwsCalls(awsCalls);
    if (problems === undefined) this.skip(); // no python3 with botocore (pip install cfn-lint brings it)
    expect(problems).to.deep.equal([]);
  });

  it("states the gate waiter's deadline as config/timeouts.ts derives it", () => {
    expect(GATE_WAIT_MARGIN_SECONDS).to.equal(60); // "and a minute"
    expect(text).to.contain(`(the model's non-gate phases, ${reuseBuildSeconds()} s) and a minute`);
    expect(text).to.contain(`${gateWaitSeconds()} s with the defaults`);
  });

  it('names the default pipelines, services, deployment group, hook and connection', () => {
    const names = namesFor(DEFAULT_CONFIG);
    for (const name of [
      names.rolling.pipeline,
      names.blueGreen.pipeline,
      names.rolling.service,
      names.blueGreen.deploymentGroup,
      names.blueGreen.codeDeployApplication,
      names.hookFunction,
      names.codeBuildProject,
      `${names.prefix}-github`,
      names.stackName('pipelines'),
    ]) {
      expect(text, name).to.contain(name);
    }
  });
});
