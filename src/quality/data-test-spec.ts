import { z } from 'zod';

/** `error` fails the run (nothing is published); `warn` is reported. */
const SeveritySchema = z.enum(['error', 'warn']);

const name = z.string().min(1);

/**
 * A data test as a model declares it (in TypeScript, or in a project model's YAML);
 * quality compiles it to SQL and runs it after the model is built.
 */
export const DataTestSpecSchema = z.discriminatedUnion('kind', [
  /** No two rows share these columns' values. */
  z.object({ kind: z.literal('unique'), columns: z.array(name).min(1), severity: SeveritySchema.optional() }).strict(),
  z.object({ kind: z.literal('not_null'), column: name, severity: SeveritySchema.optional() }).strict(),
  /** Every non-null `column` value is a `field` value of table `to`. */
  z
    .object({
      kind: z.literal('relationship'),
      column: name,
      to: name,
      field: name,
      severity: SeveritySchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('accepted_values'),
      column: name,
      values: z.array(z.string()).min(1),
      severity: SeveritySchema.optional(),
    })
    .strict(),
  /** `sql` selects the failing rows. */
  z.object({ kind: z.literal('expression'), name, sql: name, severity: SeveritySchema.optional() }).strict(),
]);

export type Severity = z.infer<typeof SeveritySchema>;
export type DataTestSpec = z.infer<typeof DataTestSpecSchema>;
