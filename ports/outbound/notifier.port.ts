/**
 * Where alerts and digests go (a Slack channel, a Teams channel, an SNS topic): a neutral message
 * that each adapter renders for its platform (Block Kit, an Adaptive Card, plain text for e-mail)
 * within the platform's size limits.
 */

export interface NotificationSection {
  readonly title: string;
  /** One line each, most urgent first; a renderer may cut the list and say how many more. */
  readonly lines: readonly string[];
}

export interface NotificationLink {
  readonly label: string;
  readonly url: string;
}

export interface Notification {
  readonly kind: 'alert' | 'digest';
  readonly title: string;
  /** One line: the counts. */
  readonly summary: string;
  readonly sections: readonly NotificationSection[];
  /** Buttons: open the plan, request a run. */
  readonly links: readonly NotificationLink[];
}

export interface Notifier {
  /** The channel as configured ("slack:C0123", "teams:ops", "sns:arn:..."), for logs and errors. */
  readonly channel: string;
  /** Posts one message. @throws SourceError naming the channel when the platform refuses. */
  post(message: Notification): Promise<void>;
}
