// Types of scripts/wasm-assemble.mjs for test/models/gbdt/hist-kernel.test.ts (the scripts are plain JavaScript).
export declare function assembleHistKernel(wat: string): Promise<Buffer>;
export declare function histKernelModuleText(bytes: Buffer): string;
