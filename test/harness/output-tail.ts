/**
 * Keeps the last `limit` characters written to it, so a failing server can put the end of
 * its stdout/stderr into an error message without the harness holding whole logs in memory.
 */
export class OutputTail {
  private chunks: string[] = [];
  private length = 0;
  private listeners = new Set<(chunk: string) => void>();

  constructor(private readonly limit = 64 * 1024) {}

  /** Appends a chunk and notifies listeners (used by waitFor). */
  push(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    // Trim whole chunks first, then compact into one string when still too long.
    while (this.length > this.limit && this.chunks.length > 1) {
      this.length -= this.chunks.shift()?.length ?? 0;
    }
    if (this.length > this.limit) {
      const only = (this.chunks[0] ?? '').slice(-this.limit);
      this.chunks = [only];
      this.length = only.length;
    }
    for (const listener of this.listeners) listener(chunk);
  }

  /** The retained text; `maxChars` cuts it further for compact error messages. */
  text(maxChars = this.limit): string {
    return this.chunks.join('').slice(-maxChars);
  }

  /** Subscribes to new chunks; returns the unsubscribe function. */
  onChunk(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
