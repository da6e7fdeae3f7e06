/** Describes the data source in reports: "demo", "snapshot:/path", "aws:eu-west-1". */
export interface SourceInfo {
  readonly label: string;
  /** Notes the source wants every report to carry (e.g. "demo fleet: not real data"). */
  readonly notes: readonly string[];
}
