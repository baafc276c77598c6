/** Generated when the renderer is built (vite.config.ts, scripts/bundled-licences.ts). */
declare module 'virtual:kumiko-licences' {
  const licences: readonly { name: string; version: string; license: string }[];
  export default licences;
}
