import type { Asset } from '../../../domain/fleet-facts.js';
import type { AssetInventory } from '../../../ports/outbound/asset-inventory.port.js';
import type { SnapshotDirectory } from './snapshot-directory.js';

/** Instances from `ec2-describe-instances.json` (required), terminated ones left out. */
export class SnapshotAssetInventory implements AssetInventory {
  constructor(private readonly snapshot: SnapshotDirectory) {}

  async listAssets(): Promise<readonly Asset[]> {
    const all = await this.snapshot.instances();
    return all.filter((a) => a.state !== 'terminated');
  }
}
