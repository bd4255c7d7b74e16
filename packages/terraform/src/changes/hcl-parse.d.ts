/** Parses one HCL file into hcl2json's JSON form (blocks as lists); rejects with `file:line,col` messages. */
export declare function parseHcl(file: string, text: string): Promise<Record<string, unknown>>;
