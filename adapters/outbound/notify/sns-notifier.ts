/** Publishes to an SNS topic (e-mail subscribers read the plain text). @aws-sdk/client-sns is an optional peer. */
import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SourceError } from '../../../domain/errors.js';
import type { Notification, Notifier } from '../../../ports/outbound/notifier.port.js';
import { renderPlainText } from './plain-text.js';

export class SnsNotifier implements Notifier {
  readonly channel: string;
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    private readonly Publish: typeof PublishCommand,
  ) {
    this.channel = `sns:${topicArn}`;
  }

  async post(message: Notification): Promise<void> {
    const { subject, body } = renderPlainText(message);
    try {
      await this.client.send(new this.Publish({ TopicArn: this.topicArn, Subject: subject, Message: body }));
    } catch (err) {
      const code = (err as { name?: unknown }).name;
      throw new SourceError('sns', 'Publish', `${this.channel}: Publish failed (${typeof code === 'string' ? code : 'Unknown'}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}
