// @cairn/storage/fs: the local-filesystem backend. Node only, which is why it has its own
// entry: a browser bundle of `@cairn/storage` never reaches node:fs. (The one documented
// exception to STYLE.md item 1; see the package README.)
export { FileSystemStorage, type FileSystemStorageOptions } from "./fileSystemStorage.js";
