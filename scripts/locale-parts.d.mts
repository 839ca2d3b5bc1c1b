export declare const LANGUAGES: string[];
export declare const PARTS: string[];
export declare function localeParts(code: string): Record<string, string>;
