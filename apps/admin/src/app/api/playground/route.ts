import { handlePlaygroundRequest } from "../../../server/playground/playground-handler";

export const POST = handlePlaygroundRequest;
