import { z } from 'zod';

/** Scratch ids name folders and cluster names: a UUID, nothing a path or shell could misread. */
export const ScratchId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
