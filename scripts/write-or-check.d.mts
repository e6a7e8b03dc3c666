/** See write-or-check.mjs. */
export declare function writeOrCheck(target: string, text: string, options: { source: string; command: string }): void;
