import { expect } from 'chai';
import type { ProbeAnswer } from '../../hook/probe';
import { decide, tally } from '../../hook/verdict';

const ok = (round: number, version = 'new'): ProbeAnswer => ({
  round,
  path: '/version',
  status: 200,
  version,
  attempts: 1,
  ms: 2,
});
const health = (round: number, status = 200): ProbeAnswer => ({
  round,
  path: '/',
  status,
  attempts: 1,
  ms: 1,
});
const input = (answers: ProbeAnswer[], rounds = 2) => ({
  expectedVersion: 'new',
  answers,
  versionPath: '/version',
  paths: ['/version', '/'],
  rounds,
});

describe('hook verdict', () => {
  it('succeeds when every planned request answered 200 with the expected version', () => {
    expect(decide(input([ok(1), health(1), ok(2), health(2)]))).to.deep.equal({
      status: 'Succeeded',
      reasons: [],
    });
  });

  it('fails on each wrong version, status and missing answer, listing all', () => {
    const verdict = decide(
      input([
        ok(1, 'old'),
        health(1, 502),
        { round: 2, path: '/version', status: 200, attempts: 1, ms: 1 },
        { round: 2, path: '/', error: 'connect ECONNREFUSED 10.0.0.1:8080', attempts: 3, ms: 300 },
      ]),
    );
    expect(verdict).to.deep.equal({
      status: 'Failed',
      reasons: [
        'probe 1 GET /version: version "old", expected "new"',
        'probe 1 GET /: HTTP 502, expected 200',
        'probe 2 GET /version: no readable version, expected "new"',
        'probe 2 GET /: no answer after 3 tries (connect ECONNREFUSED 10.0.0.1:8080)',
      ],
    });
  });

  it('fails when fewer requests ran than planned', () => {
    expect(decide(input([ok(1), health(1)], 2))).to.deep.equal({
      status: 'Failed',
      reasons: ['only 2 of 4 probe requests ran'],
    });
  });

  it('fails with no answers at all', () => {
    expect(decide(input([], 1)).reasons).to.deep.equal(['only 0 of 2 probe requests ran']);
  });

  it('counts versions and statuses for the summary line', () => {
    const answers = [
      ok(1),
      health(1),
      ok(2, 'old'),
      { round: 3, path: '/version', error: 'x', attempts: 1, ms: 1 },
    ];
    expect(tally(answers, '/version')).to.deep.equal({
      versions: { new: 1, old: 1 },
      statuses: { 200: 3, 'no answer': 1 },
    });
  });
});
