/**
 * The file names of a snapshot folder: the contract between whoever captures one (the AWS
 * adapters' capture, the demo generator, a person with the AWS CLI) and the snapshot adapters.
 */
export const SNAPSHOT_FILES = {
  instances: 'ec2-describe-instances.json',
  findings: 'inspector2-list-findings.json',
  instanceInformation: 'ssm-describe-instance-information.json',
  patchStates: 'ssm-describe-instance-patch-states.json',
  kev: 'kev.json',
  manifest: 'snapshot.json',
  metricsDir: 'cloudwatch',
  activityDir: 'cloudtrail',
} as const;
