// The package's index.d.ts re-exports './browser/commands.mjs', which has no .d.mts beside it, so TypeScript finds
// no types for it; this is that file's one declaration (browser/commands.d.ts).
export {};
declare module '@web/test-runner-visual-regression' {
  export function visualDiff(element: Node, name: string): Promise<void>;
}
