import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, Reservation } from '@aws-sdk/client-ec2';
import type { Asset } from '../../../domain/fleet-facts.js';
import type { AssetInventory } from '../../../ports/outbound/asset-inventory.port.js';
import { mapInstance } from '../aws-shapes/index.js';
import { callAws } from './aws-errors.js';

/** Every state but terminated: an instance starting, stopping or stopped still carries findings. */
export const LISTED_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] as const;

/** DescribeInstances' largest page. */
export const MAX_INSTANCES_PAGE = 1000;

/** Options of Ec2AssetInventory. */
export interface Ec2AssetInventoryOptions {
  /** MaxResults per call (5..1000); default 1000. */
  readonly pageSize?: number;
}

/** EC2 DescribeInstances: every instance not terminated, with tags and addresses, every page. */
export class Ec2AssetInventory implements AssetInventory {
  private readonly pageSize: number;

  constructor(
    private readonly client: EC2Client,
    options: Ec2AssetInventoryOptions = {},
  ) {
    this.pageSize = options.pageSize ?? MAX_INSTANCES_PAGE;
  }

  /** @throws SourceError (ec2, DescribeInstances, AWS code) when a page cannot be read. */
  async listAssets(): Promise<readonly Asset[]> {
    const assets: Asset[] = [];
    const reservations = await this.reservations();
    for (let r = 0; r < reservations.length; r++) {
      const instances = reservations[r]?.Instances ?? [];
      for (let i = 0; i < instances.length; i++) {
        const asset = mapInstance(instances[i], `$.Reservations[${r}].Instances[${i}]`);
        // The state filter runs on the server; this keeps the port's promise if it is ignored.
        if (asset.state !== 'terminated') assets.push(asset);
      }
    }
    return assets;
  }

  /** The raw reservations of every page, as DescribeInstances returned them (for the capture). */
  async reservations(): Promise<Reservation[]> {
    const out: Reservation[] = [];
    let nextToken: string | undefined;
    do {
      const response = await callAws('ec2', 'DescribeInstances', () =>
        this.client.send(
          new DescribeInstancesCommand({
            Filters: [{ Name: 'instance-state-name', Values: [...LISTED_STATES] }],
            MaxResults: this.pageSize,
            NextToken: nextToken,
          }),
        ),
      );
      out.push(...(response.Reservations ?? []));
      nextToken = response.NextToken;
    } while (nextToken);
    return out;
  }
}
