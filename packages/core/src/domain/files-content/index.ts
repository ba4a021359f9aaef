export { attachmentDisposition, contentTypeFor } from './content-type';
export { fileContent, filePage, type FileContent } from './file-content';
export { FileContentParams, FilePageParams, FilePageResponse, PageChunkSchema } from './schemas';
