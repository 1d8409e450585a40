/** Helpers of the pipelines stack's tests: its IAM statements and pipeline stages, navigated. */
import type { Json } from '../helpers';

export const EXISTING =
  'arn:aws:codeconnections:us-west-2:111122223333:connection/8e1f2b3c-aaaa-bbbb-cccc-0123456789ab';

/** Every IAM statement of every role and policy of a template, with where it is. */
export function statements(t: Json): { at: string; s: Json }[] {
  const out: { at: string; s: Json }[] = [];
  for (const [id, r] of Object.entries(t.Resources as Record<string, Json>)) {
    for (const p of r.Properties?.Policies ?? [])
      for (const s of p.PolicyDocument.Statement) out.push({ at: id, s });
    if (r.Type === 'AWS::S3::BucketPolicy')
      for (const s of r.Properties.PolicyDocument.Statement) out.push({ at: id, s });
  }
  return out;
}

export const actionsOf = (s: Json): string[] => ([] as string[]).concat(s.Action);
export const statement = (t: Json, roleId: string, sid: string) =>
  t.Resources[roleId].Properties.Policies[0].PolicyDocument.Statement.find((s: Json) => s.Sid === sid);
export const stages = (t: Json, id: string) => t.Resources[id].Properties.Stages as Json[];
export const deployAction = (t: Json, id: string) => stages(t, id)[2].Actions[0];
