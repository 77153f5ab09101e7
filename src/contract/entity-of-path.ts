import { ENTITY_NAMES, isEntityName, type EntityName } from './entities.ts';

// Longest names first, so `order_items_x.csv` is not taken for `orders`.
const BY_LENGTH = [...ENTITY_NAMES].sort((a, b) => b.length - a.length);

/**
 * The entity a landing file belongs to (contract §1): its top-level folder, or for a file
 * at the landing root a name prefix followed by `_`, `-` or `.`.
 */
export function entityOfPath(relativePath: string): EntityName | undefined {
  const parts = relativePath.split(/[\\/]/);
  if (parts.length > 1) {
    const folder = parts[0]!.toLowerCase();
    return isEntityName(folder) ? folder : undefined;
  }
  const name = parts[0]!.toLowerCase();
  return BY_LENGTH.find((e) => name.startsWith(e) && /^[_.-]/.test(name.slice(e.length)));
}
