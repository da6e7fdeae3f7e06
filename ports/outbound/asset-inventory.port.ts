import type { Asset } from '../../domain/fleet-facts.js';

/**
 * EC2 instances (DescribeInstances, or a snapshot of it): running and stopped, with tags and
 * addresses. Terminated instances are left out.
 * @throws SourceError when the inventory cannot be read (a required source).
 */
export interface AssetInventory {
  listAssets(): Promise<readonly Asset[]>;
}
