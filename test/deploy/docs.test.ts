import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { deployTemplateDir, renderAll } from '../../cloudformation/stacks';
import { DEFAULT_CONFIG, namesFor, REPO_ROOT, STACKS } from '../../config';
import { DOC_BLOCKS, GENERATED_DOCS, main } from '../../scripts/deploy/docs';
import { checkAwsCalls, checkCommands, shellLines, words } from './support/commands';

const read = (doc: string) => readFileSync(join(REPO_ROOT, doc), 'utf8');

describe('README and docs/deploy.md', () => {
  it('README: the manual path names, in order, templates, stacks and parameters that exist', () => {
    const names = namesFor(DEFAULT_CONFIG);
    const rendered = renderAll(DEFAULT_CONFIG);
    // The first-deploy path: the generated block (the re-run commands after it are checked below).
    const block = read('README.md').split('<!-- BEGIN generated:manual-deploy -->')[1].split('<!-- END')[0];
    const lines = shellLines(block).map((l) => l.text);
    const deploys = lines.filter((l) => l.startsWith('aws cloudformation deploy '));
    const seen = deploys.map((line) => {
      const w = words(line);
      const opt = (name: string) => w[w.indexOf(`--${name}`) + 1];
      const file = opt('template-file');
      const stack = /^cloudformation\/out\/dev\/([a-z-]+)\.json$/.exec(file)?.[1];
      const template = rendered.find((t) => t.stack === stack);
      expect(template, `${file} is a generated template`).to.not.equal(undefined);
      // Where `npm run synth` writes the templates of the config being deployed (git-ignored).
      expect(file, `${file} is where npm run synth writes it`).to.equal(
        `${deployTemplateDir(DEFAULT_CONFIG.app.stage)}/${template!.stack}.json`,
      );
      expect(opt('stack-name')).to.equal(names.stackName(template!.stack));
      expect(opt('capabilities')).to.equal('CAPABILITY_NAMED_IAM');
      const overrides = w.includes('--parameter-overrides')
        ? w.slice(w.indexOf('--parameter-overrides') + 1).map((kv) => kv.split('=')[0])
        : [];
      expect(overrides, `${file} parameters`).to.deep.equal(
        Object.keys(JSON.parse(template!.json).Parameters ?? {}),
      );
      return template!.stack;
    });
    expect(seen).to.deep.equal([...STACKS]);
    // The hook goes after the pipelines stack and before the services.
    const hook = lines.indexOf('npx sls deploy');
    expect(hook).to.be.greaterThan(lines.indexOf(deploys[3]));
    expect(hook).to.be.lessThan(lines.indexOf(deploys[4]));
  });

  it('README: the manual re-run gives the rolling and canary stacks the image their service runs now, and keeps the blue/green one', () => {
    const section = read('README.md').split('**Re-running the manual path**')[1].split('\n## ')[0];
    const lines = shellLines(section).map((l) => l.text);
    const names = namesFor(DEFAULT_CONFIG);
    // The image comes from the rolling service's current task definition, not from ECR.
    expect(lines[0]).to.match(
      /^TASK_DEFINITION=\$\(aws ecs describe-services .*--services ecs-playground-dev-rolling .*taskDefinition/,
    );
    expect(lines[1]).to.include(`containerDefinitions[?name=='${DEFAULT_CONFIG.container.name}'].image`);
    expect(lines.join('\n')).not.to.include('describe-images');
    const rolling = lines.find((l) => l.includes(`--stack-name ${names.stackName('service-rolling')}`));
    const blueGreen = lines.find((l) => l.includes(`--stack-name ${names.stackName('service-bluegreen')}`));
    expect(rolling).to.match(/--parameter-overrides ImageUri="\$IMAGE_URI"$/);
    expect(blueGreen).to.not.include('--parameter-overrides');
    // The canary reads its own service's image just before its own deploy.
    const canary = lines.findIndex((l) => l.includes(`--stack-name ${names.stackName('service-canary')}`));
    expect(lines[canary]).to.match(/--parameter-overrides ImageUri="\$IMAGE_URI"$/);
    expect(lines[canary - 2]).to.include('--services ecs-playground-dev-canary ');
  });

  it('README: Quick start is exactly the two commands CI runs', () => {
    const section = read('README.md').split('## Quick start')[1].split('\n## ')[0];
    expect(shellLines(section).map((l) => l.text.replace(/\s+#.*$/, ''))).to.deep.equal([
      'npm ci && npm run synth',
      'npm test',
    ]);
    expect(read('.ci/run')).to.include('npm ci --no-audit --no-fund\nnpm test\n');
  });

  it('README: the configuration table shows the real defaults', () => {
    const rows = read('README.md')
      .split('\n')
      .map((l) => /^\| `([a-zA-Z.]+)` \| `(.+?)` \|/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(rows.length).to.be.greaterThan(10);
    for (const [, path, shown] of rows) {
      const value = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], DEFAULT_CONFIG);
      expect(JSON.parse(shown), path).to.deep.equal(value);
    }
  });

  for (const doc of GENERATED_DOCS) {
    it(`${doc}: every shell command names scripts, flags, files and tools that exist`, () => {
      const { problems } = checkCommands(doc, read(doc));
      expect(problems).to.deep.equal([]);
    });

    // docs/concepts.md shows no aws command.
    if (doc === 'docs/concepts.md') continue;
    it(`${doc}: every aws command is an operation with options the AWS CLI accepts`, function () {
      const { awsCalls } = checkCommands(doc, read(doc));
      expect(awsCalls.length).to.be.greaterThan(3);
      const problems = checkAwsCalls(awsCalls);
      if (problems === undefined) this.skip(); // no python3 with botocore (pip install cfn-lint brings it)
      expect(problems).to.deep.equal([]);
    });
  }

  it('fails when a document names a script, a flag or an AWS option that does not exist', function () {
    const bad = [
      '```sh',
      'npm run deploi',
      'npm run deploy -- --dryrun',
      'make deploy',
      'aws ecs update-service --cluster c --service s --task-def x',
      'aws cloudformation deploy --template-file t.json --stack-name s --force',
      '```',
    ].join('\n');
    const { problems, awsCalls } = checkCommands('bad.md', bad);
    expect(problems).to.deep.equal([
      'bad.md:2: npm run deploi: no such script',
      'bad.md:3: npm run deploy -- --dryrun: unknown flag --dryrun: did you mean --dry-run?',
      'bad.md:4: make: unchecked command',
      'bad.md:6: aws cloudformation deploy: no --force',
    ]);
    const aws = checkAwsCalls(awsCalls);
    if (aws === undefined) this.skip();
    expect(aws).to.deep.equal(['aws ecs update-service: no option --task-def']);
  });
});

describe('every doc in docs/', () => {
  it('names only generated templates, their stacks and their parameters in aws cloudformation deploy', () => {
    const names = namesFor(DEFAULT_CONFIG);
    const rendered = renderAll(DEFAULT_CONFIG);
    const docs = readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    let checked = 0;
    for (const doc of ['README.md', ...docs.map((d) => `docs/${d}`)]) {
      for (const { line, text } of shellLines(read(doc))) {
        if (!text.startsWith('aws cloudformation deploy ')) continue;
        const w = words(text);
        const opt = (name: string) => w[w.indexOf(`--${name}`) + 1];
        const where = `${doc}:${line}`;
        const stack = /^cloudformation\/out\/dev\/([a-z-]+)\.json$/.exec(opt('template-file'))?.[1];
        const template = rendered.find((t) => t.stack === stack);
        expect(template, `${where}: a generated template`).to.not.equal(undefined);
        expect(opt('stack-name'), where).to.equal(names.stackName(template!.stack));
        const given = w.includes('--parameter-overrides')
          ? w.slice(w.indexOf('--parameter-overrides') + 1).map((kv) => kv.split('=')[0])
          : [];
        // Parameters the template declares; a re-run may leave one out (the stack keeps its value).
        expect(Object.keys(JSON.parse(template!.json).Parameters ?? {}), where).to.include.members(given);
        checked++;
      }
    }
    expect(checked).to.be.at.least(12);
  });
});

describe('npm run render:docs', () => {
  it('rewrites a stale block and reports the documents that are up to date', () => {
    const root = mkdtempSync(join(tmpdir(), 'render-docs-'));
    const lines: string[] = [];
    const log = console.log;
    try {
      mkdirSync(join(root, 'docs'));
      for (const doc of GENERATED_DOCS) writeFileSync(join(root, doc), read(doc));
      const stale = /(<!-- BEGIN generated:cost-deploy -->\n)[\s\S]*?(<!-- END)/;
      writeFileSync(join(root, 'README.md'), read('README.md').replace(stale, '$1stale\n$2'));
      console.log = (line: string) => lines.push(line);
      expect(main([], root)).to.equal(0);
    } finally {
      console.log = log;
    }
    try {
      expect(lines).to.deep.equal([
        `README.md: updated (${DOC_BLOCKS['README.md'].join(', ')})`,
        `docs/deploy.md: up to date (${DOC_BLOCKS['docs/deploy.md'].join(', ')})`,
        `docs/concepts.md: up to date (${DOC_BLOCKS['docs/concepts.md'].join(', ')})`,
      ]);
      expect(readFileSync(join(root, 'README.md'), 'utf8')).to.equal(read('README.md'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
