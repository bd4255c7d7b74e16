// Types for scripts/docs.js, so the TypeScript tests can import the generator directly.
export declare const BEGIN: string;
export declare const END: string;
export declare function workflowMarker(file: string): string;
export interface WorkflowCall {
  inputs?: Record<
    string,
    { description?: string; type?: string; required?: boolean; default?: unknown } | null
  >;
  secrets?: Record<string, { description?: string; required?: boolean } | null>;
  outputs?: Record<string, { description?: string; value?: string } | null>;
}
export declare function renderWorkflowTables(call: WorkflowCall | null | undefined): string;
export declare function formatBlock(markdown: string, file: string): Promise<string>;
export interface ActionMetadata {
  description?: string;
  inputs?: Record<
    string,
    {
      description?: string;
      required?: boolean | string;
      default?: unknown;
      deprecationMessage?: string;
    } | null
  >;
  outputs?: Record<string, { description?: string } | null>;
}
export interface DocsPlanEntry {
  file: string;
  /** null when the file does not exist; 'orphan' for a docs page without an action. */
  actual: string | null;
  /** null for an orphan docs page. */
  expected: string | null;
}
export declare function escapeCell(text: unknown): string;
export declare function formatDefault(value: unknown): string;
export declare function renderTables(meta: ActionMetadata | null | undefined): string;
export declare function renderBlock(meta: ActionMetadata | null | undefined, file: string): Promise<string>;
export declare function replaceBlock(
  text: string,
  block: string,
  file: string,
  begin?: string,
  heading?: string,
): string;
export declare function docsPageTemplate(name: string, meta: ActionMetadata | null | undefined): string;
export declare function planDocs(root: string): Promise<DocsPlanEntry[]>;
export declare function findDrift(root: string): Promise<string[]>;
export declare function writeDocs(root: string): Promise<string[]>;
