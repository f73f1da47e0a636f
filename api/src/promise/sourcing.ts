/**
 * Sourcing (CONTRACT §3 "Stock and sourcing"): which warehouse ships each line. Lines are never split; one
 * warehouse if it can serve them all, else the fewest warehouses, then incoming stock, else the line is unavailable.
 */
import type { LineReason } from '../../../shared/src/promise.ts';
import { coverage, IN_STOCK, type StockView } from './availability.ts';
import type { Day } from './local-date.ts';
import type { Merchant, Product, Warehouse } from './merchant.ts';

export interface SourcingLine {
  sku: string;
  quantity: number;
  product: Product | undefined;
}

export type LineSource = { warehouse: Warehouse; availableFrom: Day | null } | { warehouse: null; reason: LineReason };

/** Stock a warehouse has promised to earlier lines of the same cart, by sku. */
type Commitments = Map<string, number>;

/** When a warehouse covers a line on top of what it already gives the cart: IN_STOCK, a day, or null. */
function lineCoverage(
  stock: StockView,
  warehouse: Warehouse,
  line: SourcingLine,
  committed: Commitments,
): number | null {
  let when = IN_STOCK;
  for (const unit of line.product?.stockUnits ?? []) {
    const need = (committed.get(unit.sku) ?? 0) + unit.quantity * line.quantity;
    const covered = coverage(stock(unit.sku)?.get(warehouse.id), need);
    if (covered === null) return null;
    when = Math.max(when, covered);
  }
  return when;
}

function commit(committed: Commitments, line: SourcingLine): void {
  for (const unit of line.product?.stockUnits ?? []) {
    committed.set(unit.sku, (committed.get(unit.sku) ?? 0) + unit.quantity * line.quantity);
  }
}

/** The lines (indexes) a warehouse can serve from stock now, taken in cart order on top of its commitments. */
function servableFromStock(
  stock: StockView,
  warehouse: Warehouse,
  lines: readonly SourcingLine[],
  candidates: readonly number[],
  committed: Commitments,
): number[] {
  const trial = new Map(committed);
  const served: number[] = [];
  for (const index of candidates) {
    const line = lines[index] as SourcingLine;
    if (lineCoverage(stock, warehouse, line, trial) === IN_STOCK) {
      commit(trial, line);
      served.push(index);
    }
  }
  return served;
}

/**
 * Sources every line. `served(warehouse)` says whether the warehouse has a lane to the destination.
 * Returns one source per line, in cart order.
 */
export function sourceLines(
  lines: readonly SourcingLine[],
  { merchant, stock, served }: { merchant: Merchant; stock: StockView; served: (warehouse: Warehouse) => boolean },
): LineSource[] {
  const sources: (LineSource | undefined)[] = lines.map((line) =>
    line.product ? undefined : { warehouse: null, reason: 'unknown_sku' },
  );
  const serving = merchant.warehousesByPriority.filter(served);
  const commitments = new Map<Warehouse, Commitments>(serving.map((w) => [w, new Map()]));
  const assign = (index: number, warehouse: Warehouse, availableFrom: Day | null) => {
    sources[index] = { warehouse, availableFrom };
    commit(commitments.get(warehouse) as Commitments, lines[index] as SourcingLine);
  };
  let remaining = lines.flatMap((_, index) => (sources[index] ? [] : [index]));

  // 1. One warehouse for the whole cart, by priority.
  for (const warehouse of serving) {
    if (remaining.length === 0) break;
    const lineIndexes = servableFromStock(stock, warehouse, lines, remaining, new Map());
    if (lineIndexes.length === remaining.length) {
      for (const index of lineIndexes) assign(index, warehouse, null);
      remaining = [];
    }
  }

  // 2. Else the fewest warehouses: each round, the one that serves the most remaining lines (ties: priority).
  while (remaining.length > 0) {
    let best: { warehouse: Warehouse; lineIndexes: number[] } | null = null;
    for (const warehouse of serving) {
      const lineIndexes = servableFromStock(
        stock,
        warehouse,
        lines,
        remaining,
        commitments.get(warehouse) as Commitments,
      );
      if (lineIndexes.length > (best?.lineIndexes.length ?? 0)) best = { warehouse, lineIndexes };
    }
    if (!best) break;
    for (const index of best.lineIndexes) assign(index, best.warehouse, null);
    remaining = remaining.filter((index) => !best.lineIndexes.includes(index));
  }

  // 3. Incoming stock: the earliest arrival that covers the line (ties: priority).
  for (const index of remaining) {
    const line = lines[index] as SourcingLine;
    let best: { warehouse: Warehouse; day: number } | null = null;
    for (const warehouse of serving) {
      const day = lineCoverage(stock, warehouse, line, commitments.get(warehouse) as Commitments);
      if (day !== null && (best === null || day < best.day)) best = { warehouse, day };
    }
    if (best) assign(index, best.warehouse, best.day === IN_STOCK ? null : best.day);
  }

  // 4. Unavailable: no_service when stock exists only where no lane reaches the destination.
  return lines.map((line, index) => {
    const source = sources[index];
    if (source) return source;
    const holders = merchant.warehouses.filter((w) => lineCoverage(stock, w, line, new Map()) !== null);
    const reason: LineReason = holders.length > 0 && !holders.some(served) ? 'no_service' : 'out_of_stock';
    return { warehouse: null, reason };
  });
}
