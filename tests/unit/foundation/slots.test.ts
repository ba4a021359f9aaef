import { describe, expect, it } from 'vitest';

import { createSlots, withSlot } from '../../../packages/core/src/lib/slots';

const tick = () => new Promise((r) => setImmediate(r));

describe('createSlots / withSlot', () => {
  it('runs at most `size` at once, the rest in arrival order', async () => {
    const slots = createSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let open: () => void = () => undefined;
      return { opened: new Promise<void>((r) => (open = r)), open: () => open() };
    });
    const all = gates.map((g, i) =>
      withSlot(slots, async () => {
        order.push(i);
        most = Math.max(most, ++running);
        await g.opened;
        running--;
        return i;
      }),
    );
    await tick();
    expect(order).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('gives the slot back when the work fails', async () => {
    const slots = createSlots(1);
    await expect(withSlot(slots, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withSlot(slots, () => Promise.resolve('next'))).toBe('next');
  });

  it('refuses at once past the line', async () => {
    const slots = createSlots(1, 1);
    expect(await slots.take()).toBe(true);
    const waiting = slots.take();
    expect(await slots.take()).toBe(false);
    slots.give();
    expect(await waiting).toBe(true);
  });
});
