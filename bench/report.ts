/** Prints one benchmark line: the figure, its baseline, the ratio and the target. */
export function report(name: string, figures: { value: number; baseline?: number; unit: string; target?: string; note?: string }): void {
  const ratio = figures.baseline ? figures.value / figures.baseline : undefined
  const parts = [
    `${name}: ${format(figures.value)} ${figures.unit}`,
    figures.baseline !== undefined ? `baseline ${format(figures.baseline)} ${figures.unit}` : undefined,
    ratio !== undefined ? `ratio ${ratio.toFixed(2)}×` : undefined,
    figures.target ? `target ${figures.target}` : undefined,
    figures.note
  ].filter(Boolean)
  console.log(`[bench] ${parts.join(' | ')}`)
}

function format(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(2)
}

/** Median of several runs, after one warm-up, so one slow run does not decide the figure. */
export async function median(runs: number, fn: () => Promise<number> | number): Promise<number> {
  await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await fn())
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}
