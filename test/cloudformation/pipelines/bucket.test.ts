// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { PIPELINES_IDS as IDS } from '../../../cloudformation/pipelines';
import { generated } from '../helpers';
import { EXISTING, stages, statement } from './support';

describe('pipelines stack: artifact bucket and GitHub connection', () => {
  const t = generated('pipelines');

  it('creates a versioned, encrypted, private, TLS-only artifact bucket whose objects expire after 30 days by default', () => {
    const bucket = t.Resources[IDS.bucket].Properties;
    expect(bucket.BucketEncryption).to.deep.equal({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).to.deep.equal({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).to.deep.equal({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.VersioningConfiguration).to.deep.equal({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).to.deep.equal([
      {
        Id: 'expire-pipeline-artifacts',
        Status: 'Enabled',
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
      { Id: 'remove-expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
    ]);
    expect(t.Resources[IDS.bucketPolicy].Properties).to.deep.equal({
      Bucket: { Ref: IDS.bucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [{ 'Fn::GetAtt': [IDS.bucket, 'Arn'] }, { 'Fn::Sub': '${ArtifactBucket.Arn}/*' }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
    const days = generated('pipelines', { pipelines: { artifactExpiryDays: 7 } });
    expect(days.Resources[IDS.bucket].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).to.equal(
      7,
    );
  });

  it('creates a GitHub connection by default and uses it in every source action', () => {
    expect(t.Resources[IDS.connection]).to.deep.equal({
      Type: 'AWS::CodeStarConnections::Connection',
      Properties: {
        ConnectionName: 'ecs-playground-dev-github',
        ProviderType: 'GitHub',
        Tags: [
          { Key: 'app', Value: 'ecs-playground' },
          { Key: 'stage', Value: 'dev' },
        ],
      },
    });
    const arn = { 'Fn::GetAtt': [IDS.connection, 'ConnectionArn'] };
    for (const id of [IDS.rollingPipeline, IDS.blueGreenPipeline, IDS.canaryPipeline]) {
      expect(stages(t, id)[0].Actions[0].Configuration).to.deep.equal({
        ConnectionArn: arn,
        FullRepositoryId: 'your-github-user/ecs-deploy-playground',
        BranchName: 'main',
        OutputArtifactFormat: 'CODE_ZIP',
      });
    }
    // Both service prefixes: which one the connection's ARN has is AWS's choice.
    expect(statement(t, IDS.rollingRole, 'UseGitHubConnection')).to.deep.include({
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: arn,
    });
    expect(t.Outputs.ConnectionArn).to.deep.equal({
      Description: 'GitHub connection of the pipelines; a new one is PENDING until approved in the console',
      Value: arn,
      Export: { Name: 'ecs-playground-dev-pipelines:ConnectionArn' },
    });
  });

  it('uses github.connectionArn instead of creating a connection when it is set', () => {
    const existing = generated('pipelines', { github: { connectionArn: EXISTING } });
    expect(existing.Resources).not.to.have.property(IDS.connection);
    expect(stages(existing, IDS.blueGreenPipeline)[0].Actions[0].Configuration.ConnectionArn).to.equal(
      EXISTING,
    );
    expect(statement(existing, IDS.blueGreenRole, 'UseGitHubConnection')).to.deep.include({
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: EXISTING,
    });
    expect(existing.Outputs.ConnectionArn.Value).to.equal(EXISTING);
  });
});
