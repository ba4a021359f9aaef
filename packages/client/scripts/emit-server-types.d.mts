/** The server's router types as one self-contained declaration file's text. */
export function emitServerTypes(): string;
