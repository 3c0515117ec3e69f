/** Units for people: the one way sizes are written in logs, tables and comments. */

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** `1.50 GiB`, `12.3 MiB`, `512 B`. */
export const formatBytes = (n: number) =>
  n >= GiB ? `${(n / GiB).toFixed(2)} GiB` : n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} B`;
