export type * from "./chat-types";
