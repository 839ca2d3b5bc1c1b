export declare const LANGUAGES: string[];
export declare const PARTS: string[];
export declare function localePart(code: string, part: string): string | undefined;
